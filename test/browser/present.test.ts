// Presentation mode in real Chromium: every page enters and leaves it; the keys walk every slide
// and fragment of the deck and of two derivation pages; the URL keeps the position across a
// reload; the speaker window follows the presenting one and drives it; the deck fits and reads at
// 1280 × 720; printing gives one slide per sheet with every figure drawn.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, builtPages, settle, useSite, visit} from "./harness.ts";
import {allowNamedFunctions, auditSlide, onScreen, position, slideCount} from "./slide-audit.ts";

const site = useSite();
const viewport = {width: 1280, height: 720};

const presenting = (page: Page) => page.evaluate(() => document.documentElement.classList.contains("presenting"));

/** Enters presentation mode with the key and waits until the page has settled into its slides. */
async function present(page: Page): Promise<void> {
  await page.keyboard.press("p");
  await page.waitForSelector("html[data-present-ready]", {timeout: 30_000});
}

/** Derivation steps visible on the slide now (shown, not kept invisible for a fragment to come). */
const visibleSteps = (page: Page) =>
  page.$$eval("[data-present-step]", (nodes) =>
    nodes.filter((n) => {
      const style = getComputedStyle(n);
      return n.getBoundingClientRect().height > 0 && style.visibility !== "hidden" && (n.matches("section, eqn, .katex-display") || n.querySelector(".katex-display"));
    }).length
  );

/** Presses the key and returns the position after it, with the time the page took to handle it. */
async function press(page: Page, key: string): Promise<{slide: number; step: number}> {
  await page.keyboard.press(key);
  const at = await position(page);
  assert.ok(at, `not presenting after ${key}`);
  return at;
}

/**
 * Checks what the audience sees on the slide now: its blocks inside the window, every other
 * slide's blocks hidden, and body text at 28 px or more (measured on screen, at 1280 × 720).
 */
async function assertOneSlideOnScreen(page: Page, where: string): Promise<void> {
  const seen = await onScreen(page);
  assert.ok(seen.shown.length > 0, `${where}: nothing on screen`);
  assert.deepEqual(seen.leaked, [], `${where}: blocks of other slides show`);
  assert.deepEqual(seen.outside, [], `${where}: blocks of the slide outside the window`);
  if (Number.isFinite(seen.smallestBodyPx)) assert.ok(seen.smallestBodyPx >= 27.95, `${where}: body text at ${seen.smallestBodyPx.toFixed(1)} px`);
}

/**
 * Walks forward from the first slide to the end with the keys a clicker or keyboard sends, and
 * back, checking that each key moves exactly one step (a fragment or a slide) and that a
 * fragment reveals exactly one more derivation step. Returns the positions visited.
 */
async function walk(page: Page): Promise<{slides: number; fragments: number}> {
  const count = await slideCount(page);
  await page.keyboard.press("Home");
  let at = (await position(page))!;
  assert.deepEqual(at, {slide: 1, step: 0});
  const path = await page.evaluate(() => location.pathname);
  await assertOneSlideOnScreen(page, `${path} slide 1`);
  const forward = ["ArrowRight", " ", "PageDown", "ArrowDown", "n"];
  let fragments = 0;
  for (let k = 0; ; k++) {
    const before = await visibleSteps(page);
    const next = await press(page, forward[k % forward.length]);
    if (next.slide === at.slide && next.step === at.step) break; // the end
    if (next.slide === at.slide) {
      assert.equal(next.step, at.step + 1, `a key moved from ${JSON.stringify(at)} to ${JSON.stringify(next)}`);
      assert.equal(await visibleSteps(page), before + 1, `step ${next.step} of slide ${next.slide} should show one more derivation step`);
      fragments += 1;
    } else {
      assert.deepEqual(next, {slide: at.slide + 1, step: 0}, `a key moved from ${JSON.stringify(at)} to ${JSON.stringify(next)}`);
      await assertOneSlideOnScreen(page, `${path} slide ${next.slide}`);
    }
    at = next;
    assert.ok(k < 1000, "the walk does not end");
  }
  assert.equal(at.slide, count, "the walk ends on the last slide");
  // End and Home jump; going back visits every position again, arriving at a slide's last step.
  assert.deepEqual(await press(page, "Home"), {slide: 1, step: 0});
  assert.deepEqual(await press(page, "End"), at);
  const backward = ["ArrowLeft", "PageUp", "ArrowUp"];
  let back = 0;
  for (let k = 0; ; k++) {
    const prev = await press(page, backward[k % backward.length]);
    if (prev.slide === at.slide && prev.step === at.step) break;
    if (prev.slide === at.slide) assert.equal(prev.step, at.step - 1);
    else assert.equal(prev.slide, at.slide - 1);
    back += 1;
    at = prev;
  }
  assert.deepEqual(at, {slide: 1, step: 0});
  assert.equal(back, count - 1 + fragments, "backwards visits every position once");
  return {slides: count, fragments};
}

test("every page enters presentation mode (button and p) and leaves it with Esc at the same place", async () => {
  const context = await site.browser.newContext({viewport});
  for (const path of builtPages().filter((p) => p !== "/speaker")) {
    const visited = await visit(context, site.origin, path);
    const {page} = visited;
    await settle(visited);
    // Scroll to a later heading: presenting starts at the part on screen, and Esc comes back to it.
    await page.$$eval("#observablehq-main > h2", (hs) => hs[Math.min(1, hs.length - 1)]?.scrollIntoView({block: "start"}));
    const target = await page.evaluateHandle(() => Array.from(document.querySelectorAll("#observablehq-main > *")).find((b) => b.getBoundingClientRect().bottom > 40 && b.getBoundingClientRect().height > 0));
    const element = target.asElement();
    const label = element ? ((await element.textContent()) ?? "").trim().slice(0, 40) : "";
    await page.getByRole("button", {name: "Present", exact: true}).click();
    assert.ok(await presenting(page), `${path}: the Present button shows slides`);
    assert.equal(await page.locator("#observablehq-sidebar").isVisible(), false, `${path}: the sidebar is hidden`);
    assert.equal(await page.locator("#observablehq-footer").isVisible(), false, `${path}: the footer is hidden`);
    const at = await position(page);
    assert.ok(at && at.slide >= 1, `${path}: the URL names the slide`);
    assert.match((await page.locator(".present-count").textContent()) ?? "", /^\d+ \/ \d+/);
    if (element) assert.ok(await element.isVisible(), `${path}: the first slide shown holds "${label}", the part that was on screen`);
    await page.keyboard.press("Escape");
    assert.equal(await presenting(page), false, `${path}: Esc leaves`);
    assert.ok(await page.locator("#observablehq-main").isVisible());
    assert.equal(await page.evaluate(() => location.hash), "", `${path}: the URL no longer names a slide`);
    if (element) {
      const {top, bottom, height} = await element.evaluate((b) => ({...b.getBoundingClientRect().toJSON(), height: innerHeight}));
      assert.ok(bottom > 0 && top < height, `${path}: back at "${label}" (now at ${Math.round(top)}–${Math.round(bottom)} px)`);
    }
    // The key enters too.
    await page.locator("body").press("p");
    assert.ok(await presenting(page), `${path}: p shows slides`);
    await page.keyboard.press("Escape");
    await assertClean(visited);
    await page.close();
  }
  await context.close();
});

test("the keys walk every slide and fragment of the deck, forwards and back, each shown within 100 ms", async () => {
  const context = await site.browser.newContext({viewport});
  const visited = await visit(context, site.origin, "/deck");
  const {page} = visited;
  await settle(visited);
  await present(page);
  const {slides, fragments} = await walk(page);
  assert.ok(slides >= 20 && slides <= 40, `${slides} slides for a 45-minute talk`);
  assert.ok(fragments >= 10, `the deck's derivations step through (${fragments} fragments)`);
  // Feedback: from the key to the next frame drawn (the slide's layout included), every step of
  // the deck, forwards.
  await page.keyboard.press("Home");
  await allowNamedFunctions(page);
  // The machine is shared with other jobs: a step over 100 ms is measured once more (back, then
  // forward again), and the better of the two counts.
  const times = await page.evaluate(async (n) => {
    const key = async (name: string) => {
      const t0 = performance.now();
      document.body.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true}));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    };
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      let time = await key("ArrowRight");
      if (time > 100) {
        await key("ArrowLeft");
        time = Math.min(time, await key("ArrowRight"));
      }
      out.push(time);
    }
    return out;
  }, slides + fragments - 1);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const slowest = sorted[sorted.length - 1];
  console.log(`# key to next frame: median ${median.toFixed(1)} ms, slowest ${slowest.toFixed(1)} ms over ${times.length} steps`);
  assert.ok(slowest < 100, `the slowest step took ${slowest.toFixed(1)} ms to show (median ${median.toFixed(1)} ms)`);
  await assertClean(visited);
  await context.close();
});

/** Goes to the slide whose visible text matches `text` (by walking from the first slide). */
async function goToSlideWith(page: Page, text: RegExp): Promise<void> {
  await page.keyboard.press("Home");
  for (let k = 0; k < 200; k++) {
    const shown = await page.$eval("#observablehq-main", (main) => Array.from(main.children).filter((b) => !b.hasAttribute("data-present-off")).map((b) => b.textContent).join(" "));
    if (text.test(shown)) return;
    await page.keyboard.press("ArrowRight");
  }
  throw new Error(`no slide shows ${text}`);
}

test("live cells stay live on a slide: a slider redraws, a handle drags under the zoomed slide, a sampler runs", async () => {
  const context = await site.browser.newContext({viewport});
  const visited = await visit(context, site.origin, "/deck");
  const {page} = visited;
  await settle(visited);
  await present(page);
  // The forward chain: move the step, the point cloud follows.
  await goToSlideWith(page, /A Markov chain, each step/);
  const cloud = page.locator(".point-cloud").filter({visible: true}).first();
  const before = await cloud.getAttribute("aria-label");
  await page.locator(".step-slider input").filter({visible: true}).first().evaluate((input) => {
    const el = input as HTMLInputElement;
    el.value = el.max;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  await page.waitForFunction((old) => Array.from(document.querySelectorAll(".point-cloud")).some((c) => c.getAttribute("aria-label") !== old && (c as HTMLElement).offsetParent !== null), before);
  assert.match((await page.locator(".point-cloud").filter({visible: true}).first().getAttribute("aria-label")) ?? "", /after 1000 forward steps/);
  // The sampler: a click gives feedback at once and a result.
  await goToSlideWith(page, /A perfect reverse process/);
  await page.getByRole("button", {name: "Run Algorithm 2 with ε*"}).click();
  await page.waitForFunction(() => /Run 1 done/.test(document.querySelector("[data-testid=eps-status]")?.textContent ?? ""), null, {timeout: 30_000});
  // The explorer: a drag moves the handle with the pointer, at the slide's zoom.
  await goToSlideWith(page, /Drag it/);
  // x_t, drawn over x_0 (the two start close together, and x_t's target covers x_0's centre).
  const handle = page.locator("[data-handle=xt] circle.ring");
  const box = (await handle.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 60, y + 40, {steps: 6});
  await page.mouse.up();
  const moved = (await handle.boundingBox())!;
  const dx = moved.x + moved.width / 2 - (x - 60);
  const dy = moved.y + moved.height / 2 - (y + 40);
  assert.ok(Math.hypot(dx, dy) < 6, `the handle is ${Math.hypot(dx, dy).toFixed(1)} px from the pointer after the drag`);
  // The handle keeps the focus (its arrow keys move it); a clicker's PageDown still moves on.
  const at = (await position(page))!;
  await page.keyboard.press("PageDown");
  assert.equal((await position(page))!.slide, at.slide + 1, "PageDown with a handle focused goes to the next slide");
  assert.ok(await presenting(page));
  await assertClean(visited);
  await context.close();
});

test("two derivation pages step through their derivations as fragments, over several slides", async () => {
  const context = await site.browser.newContext({viewport});
  for (const path of ["/forward", "/posterior"]) {
    const visited = await visit(context, site.origin, path);
    const {page} = visited;
    await settle(visited);
    await present(page);
    const h2 = await page.$$eval("#observablehq-main > :is(h1, h2, h3)", (n) => n.length);
    const {slides, fragments} = await walk(page);
    assert.ok(fragments >= 4, `${path}: ${fragments} fragments`);
    assert.ok(slides > h2, `${path}: ${slides} slides for ${h2} headings: long sections and derivations spread over several`);
    await page.keyboard.press("Escape");
    await assertClean(visited);
    await page.close();
  }
  await context.close();
});

test("the slide and step are in the URL, and a reload returns to them", async () => {
  const context = await site.browser.newContext({viewport});
  const visited = await visit(context, site.origin, "/deck");
  const {page} = visited;
  await settle(visited);
  await present(page);
  // Go to the first slide with a fragment and reveal one step of it.
  for (let k = 0; k < 60; k++) {
    const at = await press(page, "ArrowRight");
    if (at.step === 1) break;
  }
  const before = (await position(page))!;
  assert.equal(before.step, 1, "a slide with fragments");
  const heading = await page.$eval("#observablehq-main > h2:not([data-present-off])", (h) => h.textContent);
  await page.reload({waitUntil: "load"});
  await settle(visited);
  await page.waitForSelector("html[data-present-ready]", {timeout: 30_000});
  assert.deepEqual(await position(page), before);
  assert.equal(await page.$eval("#observablehq-main > h2:not([data-present-off])", (h) => h.textContent), heading);
  assert.equal(await visibleSteps(page), 2, "two steps of the derivation shown, as before the reload");
  await assertClean(visited);
  await context.close();
});

/** The sheets of the page printed to PDF (Chromium's print, with the page's own @page size). */
async function printedSheets(page: Page): Promise<number> {
  const pdf = await page.pdf({preferCSSPageSize: true, printBackground: true});
  return (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

test("the deck prints one slide per sheet, from the page and while presenting, with every figure drawn", async () => {
  const context = await site.browser.newContext({viewport});
  const visited = await visit(context, site.origin, "/deck");
  const {page} = visited;
  await settle(visited);
  const scrolled = await page.evaluate(() => (scrollTo(0, 900), scrollY));
  const fromPage = await printedSheets(page);
  // Back as it was: not presenting, at the same place.
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains("presenting")), false);
  assert.equal(await page.evaluate(() => scrollY), scrolled);
  await present(page);
  const slides = await slideCount(page);
  // Printed from the page, the slides are planned at once, before the charts have redrawn at the
  // slide's size (a print cannot wait for them); one chart that is taller at the page's width than
  // on its slide may then take a slide of its own, or two slides may share one.
  assert.ok(Math.abs(fromPage - slides) <= 1, `printed from the page: ${fromPage} sheets for ${slides} slides`);
  assert.equal(await printedSheets(page), slides, "printed while presenting");
  // In print, every chart on a slide has its marks (no empty figure).
  await page.emulateMedia({media: "print"});
  const empty = await page.evaluate(() =>
    // (Plotly draws a chart in layered svgs; its top layer, for hover labels, is empty by design.)
    Array.from(document.querySelectorAll("#observablehq-main svg:not(.main-svg ~ .main-svg)"))
      .filter((svg) => svg.getBoundingClientRect().width > 100 && svg.getBoundingClientRect().height > 60)
      .filter((svg) => svg.querySelectorAll("path, circle, rect, line, polyline, text").length < 3)
      .map((svg) => svg.getAttribute("aria-label") ?? svg.outerHTML.slice(0, 80))
  );
  assert.deepEqual(empty, [], "charts without marks in print");
  await page.emulateMedia({media: "screen"});
  await assertClean(visited);
  await context.close();
});

test("the speaker window shows the slide, the next one and the notes, follows the presenting window and drives it", async () => {
  const context = await site.browser.newContext({viewport});
  const visited = await visit(context, site.origin, "/deck");
  const {page} = visited;
  await settle(visited);
  await present(page);
  const [speaker] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("s")]);
  await speaker.waitForLoadState("load");
  const count = await slideCount(page);
  const said = (text: RegExp) => speaker.waitForFunction((source) => new RegExp(source).test(document.querySelector(".speaker-position")?.textContent ?? ""), text.source, {timeout: 15_000});
  await said(new RegExp(`slide 1 of ${count}`));
  assert.match((await speaker.locator(".speaker-notes").textContent()) ?? "", /Welcome/);
  assert.match((await speaker.locator(".speaker-frame").first().textContent()) ?? "", /Denoising Diffusion Probabilistic Models/);
  assert.match((await speaker.locator(".speaker-frame").nth(1).textContent()) ?? "", /Problems of GANs/, "the next slide");
  assert.match((await speaker.locator(".speaker-clock").textContent()) ?? "", /\d:\d\d/);
  // The presenting window moves: the speaker follows.
  await page.bringToFront();
  await page.keyboard.press("ArrowRight");
  await said(new RegExp(`slide 2 of ${count}`));
  assert.match((await speaker.locator(".speaker-frame").first().textContent()) ?? "", /Problems of GANs/);
  assert.match((await speaker.locator(".speaker-notes").textContent()) ?? "", /likelihood model/);
  // The speaker window's keys drive the presentation.
  await speaker.bringToFront();
  await speaker.keyboard.press("ArrowRight");
  await page.waitForFunction(() => location.hash.startsWith("#slide=3"));
  await said(new RegExp(`slide 3 of ${count}`));
  await speaker.keyboard.press("b");
  await page.waitForFunction(() => !(document.querySelector(".present-black") as HTMLElement).hidden);
  await speaker.keyboard.press("b");
  await page.waitForFunction(() => (document.querySelector(".present-black") as HTMLElement).hidden);
  await speaker.keyboard.press("ArrowLeft");
  await page.waitForFunction(() => location.hash === "#slide=2");
  await assertClean(visited);
  await context.close();
});

test("every slide of the deck fits the screen and reads from the back of the room at 1280 × 720", async () => {
  const context = await site.browser.newContext({viewport});
  const visited = await visit(context, site.origin, "/deck");
  const {page} = visited;
  await settle(visited);
  await present(page);
  const count = await slideCount(page);
  const problems: string[] = [];
  for (let slide = 1; slide <= count; slide++) {
    await page.evaluate((n) => (location.hash = `#slide=${n}&step=99`), slide);
    await page.waitForTimeout(150);
    // Everything is checked, the live Training panel's slides too: its charts are redrawn at the
    // slide's size when presenting starts, so its labels read and its ledger fits.
    const audit = await auditSlide(page);
    for (const problem of audit.problems) problems.push(`slide ${slide} (${audit.heading}): ${problem}`);
  }
  assert.deepEqual(problems, []);
  await assertClean(visited);
  await context.close();
});
