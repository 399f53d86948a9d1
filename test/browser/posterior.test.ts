// The Reverse-process page's live parts run in the browser and pass: Bayes' rule on a grid
// against Eq. 6–7 (at the default t, at t = T and for another x_0), and the 2D explorer's check,
// whose L_{t−1} follows the keyboard, a mouse drag, the t slider and the "move x_0" button.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

const GRID_CHECK = "[data-testid=check]:not([data-testid=posterior-explorer] *)";
const EXPLORER = "[data-testid=posterior-explorer]";

async function gridVerdict(page: Page, expectTitle: RegExp): Promise<{status: string; text: string}> {
  await page.waitForFunction(
    ([selector, source]) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ""),
    [GRID_CHECK, expectTitle.source] as const,
    {timeout: 30_000}
  );
  return page.$eval(GRID_CHECK, (el) => ({status: (el as HTMLElement).dataset.status ?? "", text: el.textContent ?? ""}));
}

async function explorerReadout(page: Page): Promise<{kl: number; status: string; text: string}> {
  return page.$eval(EXPLORER, (root) => ({
    kl: Number(root.querySelector("[data-testid=posterior-kl-value]")?.textContent),
    status: (root.querySelector("[data-testid=check]") as HTMLElement | null)?.dataset.status ?? "",
    text: root.querySelector("[data-testid=check]")?.textContent ?? ""
  }));
}

async function setRange(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (input, v) => {
      const el = input as HTMLInputElement;
      el.value = v === "max" ? el.max : v;
      el.dispatchEvent(new Event("input", {bubbles: true}));
    },
    value
  );
}

test("Bayes' rule on a grid agrees with μ̃_t and β̃_t at several t and x_0", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/posterior");
  let result = await gridVerdict(page, /t = 2, x₀ = 1,/);
  assert.equal(result.status, "pass", result.text);
  assert.match(result.text, /the slides' βₜ .* fails/);

  // The last step, t = T: β_t and β̃_t differ by < 1e-6 there, and the check still tells them apart.
  await setRange(page, `.step-slider:not(${EXPLORER} *) input`, "max");
  result = await gridVerdict(page, /t = 1000,/);
  assert.equal(result.status, "pass", result.text);
  assert.match(result.text, /the slides' βₜ .* fails/);

  // Another x_0, through the range input's number box.
  await page.$eval("form:has(input[type=range][min='-3']) input[type=number]", (input) => {
    const el = input as HTMLInputElement;
    el.value = "-2.5";
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  result = await gridVerdict(page, /x₀ = -2\.5,/);
  assert.equal(result.status, "pass", result.text);

  await assertClean({page, problems, external});
  await context.close();
});

test("the explorer's L_{t−1} follows the keyboard, a drag, the t slider and the snap button; its check passes", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/posterior");
  await page.waitForSelector(`${EXPLORER} [data-testid=posterior-kl-value]`, {timeout: 30_000});
  const start = await explorerReadout(page);
  assert.equal(start.status, "pass", start.text);
  assert.match(start.text, /t = 30:/);
  assert.ok(start.kl > 0 && Number.isFinite(start.kl), `L_{t−1} = ${start.kl}`);

  // The model's variance, found by its label: σ_t² = β_t changes L_{t−1} (a variance term, and the
  // means' term over another σ_t²); back to β̃_t, the same L_{t−1} as at the start.
  const variance = page.locator(EXPLORER).getByLabel("Model variance");
  await variance.selectOption({label: "σₜ² = βₜ"});
  const beta = await explorerReadout(page);
  assert.notEqual(beta.kl, start.kl);
  assert.equal(beta.status, "pass", beta.text);
  assert.match((await page.textContent(EXPLORER)) ?? "", /σₜ² = βₜ = /);
  await variance.selectOption({label: "σₜ² = β̃ₜ"});
  assert.equal((await explorerReadout(page)).kl, start.kl);

  // Keyboard: move x_0 right by 10 × 0.1 (Shift+arrow).
  await page.focus(`${EXPLORER} [data-handle=x0]`);
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
  const keyed = await explorerReadout(page);
  assert.notEqual(keyed.kl, start.kl);
  assert.equal(keyed.status, "pass", keyed.text);
  const x0Value = await page.$eval(`${EXPLORER} input[aria-label="x₀, first coordinate"]`, (el) => Number((el as HTMLInputElement).value));
  assert.ok(Math.abs(x0Value - 1.73) < 1e-9, `x₀ moved to ${x0Value}`);

  // Mouse: drag x_t 40 px up and to the left.
  const box = (await page.locator(`${EXPLORER} [data-handle=xt] circle.ring`).boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx - 20, cy - 20, {steps: 4});
  await page.mouse.move(cx - 40, cy - 40, {steps: 4});
  await page.mouse.up();
  const dragged = await explorerReadout(page);
  assert.notEqual(dragged.kl, keyed.kl);
  assert.equal(dragged.status, "pass", dragged.text);
  const xtValue = await page.$eval(`${EXPLORER} input[aria-label="xₜ, first coordinate"]`, (el) => Number((el as HTMLInputElement).value));
  assert.ok(xtValue < 1.2, `xₜ dragged to ${xtValue}`);

  // The t slider: t = T.
  await setRange(page, `${EXPLORER} .step-slider input`, "max");
  const last = await explorerReadout(page);
  assert.match(last.text, /t = 1000:/);
  assert.equal(last.status, "pass", last.text);

  // x_0 = E[x_0|x_t] makes the KL vanish (σ_t² = β̃_t): the optimal model's mean is the posterior mean there.
  await page.click(`${EXPLORER} [data-action=snap-x0]`);
  const snapped = await explorerReadout(page);
  assert.ok(snapped.kl < 1e-12, `L_{t−1} = ${snapped.kl} at x₀ = E[x₀|xₜ]`);

  // The close-up of the data panel keeps the check passing.
  await page.click(`${EXPLORER} [data-action=close-up]`);
  await page.click(`${EXPLORER} [data-action=draw-xt]`);
  const drawn = await explorerReadout(page);
  assert.equal(drawn.status, "pass", drawn.text);

  await assertClean({page, problems, external});
  await context.close();
});
