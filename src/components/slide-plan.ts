// Where a page breaks into slides, decided from its structure and measured heights (no DOM
// here: presentation mode measures, this module decides, the tests check the rules).
//
// The rules, in the order they apply:
// - a forced break (`<div class="slide-break"></div>` in the Markdown) starts a slide;
// - a heading (h1–h3) starts a slide, unless it carries `data-slide="continue"` or follows a
//   `<div data-slide="continue"></div>` marker, or the slide so far holds only headings (a
//   heading and its sub-heading stay together);
// - otherwise a unit that would make the slide taller than the slide's box starts a new one;
//   the headings at the bottom of the full slide move with it (a heading is never left last,
//   nor alone: a heading whose first unit does not fit stays with it, on a slide that overflows);
// - a derivation counts as one unit per step (an equation and its reasons), so a long
//   derivation spreads over several slides, and each of its steps after the first one on a
//   slide is a fragment, revealed by the next key;
// - speaker notes (`<aside class="notes">`) and empty output take no room and belong to the slide
//   they end.

export type UnitKind = "heading" | "content" | "step" | "break" | "continue" | "notes" | "empty";

export interface PlanUnit {
  kind: UnitKind;
  /** Top and bottom of the unit in one column, everything shown (any unit of length; only differences matter). */
  top: number;
  bottom: number;
  /** A heading that must not start a slide (data-slide="continue"). */
  continues?: boolean;
}

export interface PlannedSlide {
  /** Indices into the units, in order. */
  units: number[];
  /** The number of fragments: the slide's derivation steps after its first one. */
  fragments: number;
  /** Whether the slide is taller than the box (a single unit that cannot be split). */
  overflows: boolean;
}

/** Units that take no room and never start a slide of their own. */
export const silent = (kind: UnitKind) => kind === "break" || kind === "continue" || kind === "notes" || kind === "empty";

/**
 * Splits units into slides whose content fits `height` (same unit as top/bottom), following the
 * rules above. Every unit lands on exactly one slide; slides are never empty of visible units
 * unless the page has none.
 */
export function planSlides(units: readonly PlanUnit[], height: number): PlannedSlide[] {
  if (!(height > 0)) throw new Error(`planSlides: the slide height must be positive, got ${height}`);
  const visible = (slide: number[]) => slide.filter((i) => !silent(units[i].kind));
  const isMarker = (i: number) => units[i].kind === "break" || units[i].kind === "continue";
  const slides: number[][] = [];
  let current: number[] = [];
  let forced = false; // a break marker: the next visible unit starts a slide
  let suppress = false; // a continue marker: the next heading does not
  units.forEach((unit, i) => {
    if (silent(unit.kind)) {
      if (unit.kind === "break") forced = true;
      if (unit.kind === "continue") suppress = true;
      current.push(i);
      return;
    }
    const shown = visible(current);
    const onlyHeadings = shown.length > 0 && shown.every((k) => units[k].kind === "heading");
    const byHeading = unit.kind === "heading" && !unit.continues && !suppress && !onlyHeadings;
    const byHeight = shown.length > 0 && !onlyHeadings && unit.bottom - units[shown[0]].top > height;
    if (shown.length > 0 && (forced || byHeading || byHeight)) {
      // Markers just before the unit open the new slide; after a break forced by height, so do
      // the headings that would otherwise end the full slide.
      const carried: number[] = [];
      for (;;) {
        const last = current[current.length - 1];
        if (last === undefined) break;
        const heading = units[last].kind === "heading" && !forced && !byHeading && visible(current).length > 1;
        if (!isMarker(last) && !heading) break;
        carried.unshift(current.pop()!);
      }
      slides.push(current);
      current = carried;
    }
    forced = false;
    suppress = false;
    current.push(i);
  });
  if (current.length > 0) {
    if (visible(current).length > 0 || slides.length === 0) slides.push(current);
    else slides[slides.length - 1].push(...current);
  }
  return slides.map((indices) => {
    const shown = visible(indices);
    const steps = shown.filter((i) => units[i].kind === "step").length;
    const tall = shown.length ? units[shown[shown.length - 1]].bottom - units[shown[0]].top : 0;
    return {units: indices, fragments: Math.max(0, steps - 1), overflows: tall > height + 0.5};
  });
}

/** The slide holding unit `unit`, or -1. */
export function slideOfUnit(slides: readonly PlannedSlide[], unit: number): number {
  return slides.findIndex((s) => s.units.includes(unit));
}

/**
 * Reads a slide position from a URL hash such as "#slide=7&step=2" (1-based slide, 0-based
 * step: the fragments shown). Returns null when the hash names no slide.
 */
export function parseSlideHash(hash: string): {slide: number; step: number} | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const raw = params.get("slide");
  if (raw === null) return null;
  const slide = Number(raw);
  const step = Number(params.get("step") ?? 0);
  return {
    slide: Number.isInteger(slide) && slide >= 1 ? slide : 1,
    step: Number.isInteger(step) && step >= 0 ? step : 0
  };
}

/** The hash for a slide position: "#slide=7", or "#slide=7&step=2" with fragments shown. */
export function slideHash(slide: number, step: number): string {
  return step > 0 ? `#slide=${slide}&step=${step}` : `#slide=${slide}`;
}

/**
 * Clamps a requested position to a plan: a slide number beyond the last goes to the last, a step
 * beyond the slide's fragments to its last fragment.
 */
export function clampPosition(slides: readonly PlannedSlide[], slide: number, step: number): {index: number; step: number} {
  const index = Math.max(0, Math.min(slides.length - 1, slide - 1));
  return {index, step: Math.max(0, Math.min(slides[index]?.fragments ?? 0, step))};
}
