// Slide breaks: headings and forced breaks start slides, height splits what does not fit, a
// derivation's steps become fragments, and slide positions round-trip through the URL hash.
import {test} from "node:test";
import assert from "node:assert/strict";
import {clampPosition, parseSlideHash, planSlides, slideHash, type PlanUnit, type UnitKind} from "../../src/components/slide-plan.ts";

/** Units stacked one after another, each `h` tall (markers and notes take no room). */
function stack(spec: [UnitKind, number?, Partial<PlanUnit>?][]): PlanUnit[] {
  let y = 0;
  return spec.map(([kind, h = 10, extra = {}]) => {
    const height = kind === "break" || kind === "continue" || kind === "notes" || kind === "empty" ? 0 : h;
    const unit = {kind, top: y, bottom: y + height, ...extra};
    y += height;
    return unit;
  });
}

const groups = (units: PlanUnit[], height: number) => planSlides(units, height).map((s) => s.units);

test("each heading starts a slide; content stays with the heading above it", () => {
  const units = stack([["heading"], ["content"], ["content"], ["heading"], ["content"]]);
  assert.deepEqual(groups(units, 100), [[0, 1, 2], [3, 4]]);
});

test("a heading right under another heading stays on its slide", () => {
  const units = stack([["heading"], ["heading"], ["content"], ["heading"], ["content"]]);
  assert.deepEqual(groups(units, 100), [[0, 1, 2], [3, 4]]);
});

test("data-slide=continue on a heading, or a continue marker before it, suppresses the break", () => {
  const onHeading = stack([["heading"], ["content"], ["heading", 10, {continues: true}], ["content"]]);
  assert.deepEqual(groups(onHeading, 100), [[0, 1, 2, 3]]);
  const marker = stack([["heading"], ["content"], ["continue"], ["heading"], ["content"]]);
  assert.deepEqual(groups(marker, 100), [[0, 1, 2, 3, 4]]);
  // The marker only affects the heading right after it.
  const later = stack([["heading"], ["continue"], ["content"], ["heading"], ["content"]]);
  assert.deepEqual(groups(later, 100), [[0, 1, 2], [3, 4]]);
});

test("a forced break starts a slide without a heading; the marker opens the new slide", () => {
  const units = stack([["heading"], ["content"], ["break"], ["content"], ["content"]]);
  assert.deepEqual(groups(units, 100), [[0, 1], [2, 3, 4]]);
  // A break before any content, or two in a row, makes no empty slide.
  const leading = stack([["break"], ["heading"], ["content"], ["break"], ["break"], ["content"]]);
  assert.deepEqual(groups(leading, 100), [[0, 1, 2], [3, 4, 5]]);
});

test("content taller than the slide splits by height, and a heading is never left at the bottom", () => {
  const units = stack([["heading", 10], ["content", 40], ["content", 40], ["content", 40], ["heading", 10, {continues: true}], ["content", 40]]);
  // 10 + 40 + 40 = 90 fits in 100; the next 40 does not.
  assert.deepEqual(groups(units, 100), [[0, 1, 2], [3, 4, 5]]);
  const orphan = stack([["heading", 10], ["content", 60], ["heading", 10, {continues: true}], ["content", 60]]);
  // The second heading would fit (80) but its content would not: it moves with its content.
  assert.deepEqual(groups(orphan, 100), [[0, 1], [2, 3]]);
});

test("a long derivation spreads over slides, and each slide's later steps are fragments", () => {
  const units = stack([["heading", 10], ["content", 20], ["step", 30], ["step", 30], ["step", 30], ["step", 30], ["step", 30], ["content", 20]]);
  const slides = planSlides(units, 100);
  assert.deepEqual(slides.map((s) => s.units), [[0, 1, 2, 3], [4, 5, 6], [7]]);
  assert.deepEqual(slides.map((s) => s.fragments), [1, 2, 0]);
  assert.ok(slides.every((s) => !s.overflows));
});

test("notes take no room and stay with the slide they end", () => {
  const units = stack([["heading"], ["content", 50], ["notes"], ["heading"], ["content"], ["notes"]]);
  assert.deepEqual(groups(units, 60), [[0, 1, 2], [3, 4, 5]]);
});

test("a unit taller than the slide gets a slide of its own, marked as overflowing", () => {
  const units = stack([["heading", 10], ["content", 20], ["content", 300], ["content", 20]]);
  const slides = planSlides(units, 100);
  assert.deepEqual(slides.map((s) => s.units), [[0, 1], [2], [3]]);
  assert.deepEqual(slides.map((s) => s.overflows), [false, true, false]);
});

test("a heading is never alone on a slide: with a unit that does not fit, the slide overflows", () => {
  const units = stack([["heading", 30], ["content", 90], ["content", 20]]);
  const slides = planSlides(units, 100);
  assert.deepEqual(slides.map((s) => s.units), [[0, 1], [2]]);
  assert.deepEqual(slides.map((s) => s.overflows), [true, false]);
});

test("empty output takes no room and starts nothing", () => {
  const units = stack([["empty"], ["empty"], ["heading"], ["content"], ["empty"], ["heading"], ["content"]]);
  assert.deepEqual(groups(units, 100), [[0, 1, 2, 3, 4], [5, 6]]);
});

test("a page without headings is one slide, or several by height", () => {
  assert.deepEqual(groups(stack([["content"], ["content"]]), 100), [[0, 1]]);
  assert.deepEqual(groups(stack([["content", 60], ["content", 60]]), 100), [[0], [1]]);
  assert.deepEqual(groups([], 100), []);
});

test("every unit is on exactly one slide, in order", () => {
  const kinds: UnitKind[] = ["heading", "content", "step", "break", "continue", "notes", "empty"];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 200; trial++) {
    const spec = Array.from({length: 1 + Math.floor(random() * 30)}, () => [kinds[Math.floor(random() * kinds.length)], 5 + Math.floor(random() * 80)] as [UnitKind, number]);
    const units = stack(spec);
    const flat = planSlides(units, 100).flatMap((s) => s.units);
    assert.deepEqual(flat, units.map((_, i) => i), `trial ${trial}`);
  }
});

test("the slide height must be positive", () => {
  assert.throws(() => planSlides(stack([["content"]]), 0), /slide height must be positive, got 0/);
});

test("slide positions round-trip through the URL hash and clamp to the plan", () => {
  assert.equal(slideHash(7, 0), "#slide=7");
  assert.equal(slideHash(7, 2), "#slide=7&step=2");
  assert.deepEqual(parseSlideHash("#slide=7&step=2"), {slide: 7, step: 2});
  assert.deepEqual(parseSlideHash("#slide=7"), {slide: 7, step: 0});
  assert.equal(parseSlideHash("#watch-it"), null);
  assert.equal(parseSlideHash(""), null);
  // Nonsense reads as the first slide rather than failing.
  assert.deepEqual(parseSlideHash("#slide=abc&step=-1"), {slide: 1, step: 0});
  const slides = planSlides(stack([["heading"], ["step"], ["step"], ["heading"], ["content"]]), 100);
  assert.deepEqual(clampPosition(slides, 1, 5), {index: 0, step: 1});
  assert.deepEqual(clampPosition(slides, 99, 3), {index: 1, step: 0});
});
