// The Training page's algorithm stepper in Chromium, pressed as a reader would (keyboard and
// mouse): Algorithm 1 line by line, each line's values appearing beside the highlighted line and the
// highlight moving, then a run to the end; Algorithm 2 the same, its highlighted point moving on the
// chart. Every press is answered within 100 ms and the page's tensor count stays flat.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Locator, Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();
// Coordinates are written by fmtFixed: three decimals, or scientific below 10⁻³ (9.64e−4).

/** The highlighted line: its number, whether it is the only one, its values' text, and whether the reader sees the mark. */
async function current(stepper: Locator) {
  return stepper.evaluate((root) => {
    const rows = [...root.querySelectorAll<HTMLElement>(".stepper-line")];
    const marked = rows.filter((r) => r.getAttribute("aria-current") === "step");
    const row = marked[0];
    const other = rows.find((r) => r !== row);
    // (No named function in here: the test's compiler would wrap it in a helper the page lacks.)
    const [lookRow, lookOther] = [row, other].map((r) => (r ? `${getComputedStyle(r).borderLeftColor}|${getComputedStyle(r).backgroundColor}` : ""));
    const box = row?.getBoundingClientRect();
    return {
      line: row ? Number(row.dataset.line) : 0,
      count: marked.length,
      values: row?.querySelector(".stepper-values")?.textContent ?? "",
      // The mark is seen: the current line looks different from another line, and has a size.
      looksDifferent: Boolean(row && lookRow !== lookOther),
      visible: Boolean(box && box.width > 0 && box.height > 0)
    };
  });
}

const valuesOf = (stepper: Locator, line: number) => stepper.locator(`[data-testid=values-${line}]`).innerText();

/** Milliseconds from a press (the event's time stamp) to the first change inside `stepper`. */
async function answerTime(page: Page, stepper: Locator, press: () => Promise<void>): Promise<number> {
  await stepper.evaluate((root) => {
    const w = window as unknown as {__press: number | null; __change: number | null};
    w.__press = null;
    w.__change = null;
    const observer = new MutationObserver(() => {
      if (w.__press !== null && w.__change === null) {
        w.__change = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    document.addEventListener("click", (event) => (w.__press = event.timeStamp), {capture: true, once: true});
  });
  await press();
  await page.waitForFunction(() => (window as unknown as {__change: number | null}).__change !== null, null, {timeout: 5000}).catch(() => undefined);
  const {p, c} = await page.evaluate(() => {
    const w = window as unknown as {__press: number | null; __change: number | null};
    return {p: w.__press, c: w.__change};
  });
  return p === null || c === null ? Infinity : c - p;
}

const tensors = async (stepper: Locator) => Number(await stepper.getAttribute("data-tensors"));

test("Algorithm 1 steps line by line with its values beside each line, runs to the end, and Algorithm 2 moves its point", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/training");
  const s1 = page.locator("[data-testid=algorithm-stepper-1]");
  await s1.scrollIntoViewIfNeeded();
  const next1 = s1.getByRole("button", {name: "Next line"});
  assert.equal((await current(s1)).count, 0, "no line is highlighted before the first press");

  // The keyboard: focus "Next line" and press Enter.
  await next1.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-testid=algorithm-stepper-1] [aria-current=step]") !== null, null, {timeout: 60_000});
  let c = await current(s1);
  assert.deepEqual([c.line, c.count, c.visible], [1, 1, true]);
  assert.match(c.values, /iteration 1 of 50, batch of 8/);
  assert.ok(c.looksDifferent, "the current line is marked visibly");
  const shown = await s1.getByTestId("stepper-status-1").innerText();
  assert.match(shown, /reference model \(ring-8, 1,000 steps\)/);

  // Lines 2–6, each press answered within 100 ms: the highlight moves and the line's values appear.
  const expected: [number, RegExp][] = [
    [2, /^x₀ = \(−?\d+\.\d+(?:e−?\d+)?, −?\d+\.\d+(?:e−?\d+)?\) \(example \d+ of the data\)$/],
    [3, /^t = \d+$/],
    [4, /^ε = \(−?\d+\.\d+(?:e−?\d+)?, −?\d+\.\d+(?:e−?\d+)?\)$/],
    [5, /^x_t = \(.+\); ε_θ\(x_t, t\) = \(.+\); loss \(batch mean\) = [\d.e−-]+; ‖∇_θ loss‖ = [\d.e−-]+; ‖Δθ‖ = [\d.e−-]+$/],
    [6, /^not yet: step 1 of 50 \(loss [\d.]+\)$/]
  ];
  const times: number[] = [];
  for (const [line, pattern] of expected) {
    times.push(await answerTime(page, s1, () => next1.click()));
    await page.waitForFunction((n) => document.querySelector("[data-testid=algorithm-stepper-1] [aria-current=step]")?.getAttribute("data-line") === String(n), line);
    c = await current(s1);
    assert.equal(c.line, line);
    assert.equal(c.count, 1);
    assert.ok(c.looksDifferent && c.visible);
    assert.match(c.values, pattern, `line ${line}`);
    // Earlier lines keep this iteration's values, written beside them.
    for (let earlier = 2; earlier < line; earlier++) assert.match(await valuesOf(s1, earlier), expected[earlier - 2][1]);
  }
  const loss1 = Number(/loss \(batch mean\) = ([\d.]+)/.exec(await valuesOf(s1, 5))![1]);
  assert.ok(loss1 > 0);
  // The chart shows x_0 (a ring) and x_t (a dot) of the highlighted example.
  assert.equal(await s1.getByTestId("stepper-point").isVisible(), true);
  assert.equal(await s1.getByTestId("stepper-from").isVisible(), true);
  // Back to line 2 for the next iteration: a new x_0, and lines 3–5 empty again.
  await next1.click();
  await page.waitForFunction(() => document.querySelector("[data-testid=algorithm-stepper-1] [aria-current=step]")?.getAttribute("data-line") === "2");
  assert.match(await valuesOf(s1, 1), /iteration 2 of 50/);
  assert.equal(await valuesOf(s1, 3), "");
  const tensorsStepping = await tensors(s1);

  // Run to the end: all 50 iterations, the last one's values shown, line 6 says done.
  await s1.getByRole("button", {name: "Run to the end"}).click();
  await page.waitForFunction(() => /all 50 iterations done/.test(document.querySelector("[data-testid=stepper-status-1]")?.textContent ?? ""), null, {timeout: 60_000});
  c = await current(s1);
  assert.equal(c.line, 6);
  assert.match(c.values, /^done: 50 steps; loss [\d.]+ at step 1, [\d.]+ at step 50$/);
  assert.match(await valuesOf(s1, 5), expected[3][1]);
  await page.waitForFunction(() => document.querySelector("[data-testid=algorithm-stepper-1]")?.getAttribute("data-tensors") !== null);
  assert.equal(await tensors(s1), tensorsStepping, "the tensor count is flat across the run");
  console.log(`# Algorithm 1: answers to Next line in ${times.map((t) => t.toFixed(0)).join(", ")} ms; ${tensorsStepping} tensors held`);
  for (const t of times) assert.ok(t < 100, `a press answered in ${t.toFixed(0)} ms`);

  // Reset clears the highlight and the values; the model's tensors are freed.
  await s1.getByRole("button", {name: "Reset"}).click();
  await page.waitForFunction(() => document.querySelector("[data-testid=algorithm-stepper-1] [aria-current=step]") === null);
  assert.equal(await valuesOf(s1, 2), "");

  // Algorithm 2.
  const s2 = page.locator("[data-testid=algorithm-stepper-2]");
  await s2.scrollIntoViewIfNeeded();
  const next2 = s2.getByRole("button", {name: "Next line"});
  const point = s2.getByTestId("stepper-point");
  const where = async () => [Number(await point.getAttribute("cx")), Number(await point.getAttribute("cy"))];
  await next2.click();
  await page.waitForFunction(() => document.querySelector("[data-testid=algorithm-stepper-2] [aria-current=step]") !== null, null, {timeout: 60_000});
  c = await current(s2);
  assert.equal(c.line, 1);
  assert.match(c.values, /^x_T = \(−?\d+\.\d+(?:e−?\d+)?, −?\d+\.\d+(?:e−?\d+)?\) \(the highlighted one of 16 points\)$/);
  assert.ok(await point.isVisible());
  const atT = await where();
  const expected2: [number, RegExp][] = [
    [2, /^t = 1000$/],
    [3, /^z = \(−?\d+\.\d+(?:e−?\d+)?, −?\d+\.\d+(?:e−?\d+)?\)$/],
    [4, /^x_t = \(.+\); ε_θ\(x_t, t\) = \(.+\); μ_θ = \(.+\); σ_t = [\d.]+; x_\{t−1\} = \(−?\d+\.\d+(?:e−?\d+)?, −?\d+\.\d+(?:e−?\d+)?\)$/],
    [5, /^next: t = 999$/],
    [2, /^t = 999$/]
  ];
  const times2: number[] = [];
  for (const [line, pattern] of expected2) {
    times2.push(await answerTime(page, s2, () => next2.click()));
    await page.waitForFunction(
      ([n, source]) => {
        const row = document.querySelector("[data-testid=algorithm-stepper-2] [aria-current=step]");
        return row?.getAttribute("data-line") === String(n) && new RegExp(source).test(row.querySelector(".stepper-values")?.textContent ?? "");
      },
      [line, pattern.source] as const
    );
    c = await current(s2);
    assert.ok(c.count === 1 && c.looksDifferent && c.visible);
    assert.match(c.values, pattern);
  }
  // Line 4 moved the point to x_{T−1}, and the values say where.
  const atT1 = await where();
  assert.notDeepEqual(atT1, atT, "the point moved on the chart");
  await s2.getByRole("button", {name: "Run to the end"}).click();
  await page.waitForFunction(() => /x₀ returned/.test(document.querySelector("[data-testid=stepper-status-2]")?.textContent ?? ""), null, {timeout: 60_000});
  c = await current(s2);
  assert.equal(c.line, 6);
  assert.match(c.values, /^x₀ = \(−?\d+\.\d+(?:e−?\d+)?, −?\d+\.\d+(?:e−?\d+)?\)$/);
  const at0 = await where();
  assert.notDeepEqual(at0, atT1, "the point moved during the run");
  // x_0 lies near the ring (its modes at radius ≈ 1.4 once standardised; the reference model has learned it): the point came from noise to the data.
  const x0 = /x₀ = \((\S+), (\S+)\)/.exec(c.values.replace(/−/g, "-"))!;
  const radius = Math.hypot(Number(x0[1]), Number(x0[2]));
  console.log(`# Algorithm 2: answers in ${times2.map((t) => t.toFixed(0)).join(", ")} ms; x_0 at radius ${radius.toFixed(3)}`);
  assert.ok(radius > 1.0 && radius < 1.8, `x_0 at radius ${radius}`);
  for (const t of times2) assert.ok(t < 100, `a press answered in ${t.toFixed(0)} ms`);
  assert.match((await s2.getByTestId("stepper-path").getAttribute("d")) ?? "", /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){2,}/, "the point's path is drawn");

  await assertClean({page, problems, external});
  await context.close();
});
