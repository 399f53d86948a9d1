// The Forward page's live check runs in the browser and passes: the Markov chain run step by
// step and the closed-form jump give the same distribution, for the default step, the last
// step, and another dataset.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

async function verdict(page: Page, expectTitle: RegExp): Promise<{status: string; text: string}> {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector("[data-testid=check]")?.textContent ?? ""),
    expectTitle.source,
    {timeout: 30_000}
  );
  return page.$eval("[data-testid=check]", (el) => ({status: (el as HTMLElement).dataset.status ?? "", text: el.textContent ?? ""}));
}

test("the chain-versus-jump check passes in the browser at several t and on another dataset", async () => {
  const context = await site.browser.newContext();
  const {page, problems, external} = await visit(context, site.origin, "/forward");
  let result = await verdict(page, /t = 95:/);
  assert.equal(result.status, "pass", result.text);

  // The last step, t = T = 1000: x_T is pure noise in both.
  await page.$eval(".step-slider input", (input) => {
    const el = input as HTMLInputElement;
    el.value = el.max;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  result = await verdict(page, /t = 1000:/);
  assert.equal(result.status, "pass", result.text);

  await page.selectOption("select", {label: "8 Gaussians (ring)"});
  await page.waitForTimeout(500);
  result = await verdict(page, /t = \d+:/);
  assert.equal(result.status, "pass", result.text);
  const title = await page.$eval(".point-cloud", (el) => el.getAttribute("aria-label") ?? "");
  assert.match(title, /ring|Gaussian/i);

  await assertClean({page, problems, external});
  await context.close();
});

test("the derivation steps one equation at a time, and an exercise checks its answer", async () => {
  const context = await site.browser.newContext();
  const {page, problems, external} = await visit(context, site.origin, "/forward");
  const controls = page.locator(".derivation-controls").first();
  await controls.getByRole("button", {name: "Step through"}).click();
  await page.waitForFunction(() => /step 1 of \d+/.test(document.querySelector(".derivation-controls span")?.textContent ?? ""));
  const visible = () => page.$$eval(".derivation section.eqno", (nodes) => nodes.filter((n) => !(n as HTMLElement).hidden).length);
  assert.equal(await visible(), 1);
  await controls.getByRole("button", {name: "Next step"}).click();
  assert.equal(await visible(), 2);
  await controls.getByRole("button", {name: "Show all"}).click();
  assert.equal(await visible(), 6);
  // The step mode is remembered for the next visit (localStorage), and "Show all" resets it.
  const exercise = page.locator("[data-exercise=forward-two-steps]");
  await exercise.getByRole("textbox").fill("0.3");
  await exercise.getByRole("button", {name: "Check"}).click();
  assert.match((await exercise.locator(".exercise-verdict").textContent()) ?? "", /not yet/);
  await exercise.getByRole("textbox").fill("0.28");
  await exercise.getByRole("button", {name: "Check"}).click();
  assert.match((await exercise.locator(".exercise-verdict").textContent()) ?? "", /correct/);
  assert.equal(await exercise.getAttribute("data-solved"), "true");
  // The Contents list keeps the headings' subscripts: "q(x_t | x_{t−1})", not "q(xt | xt−1)".
  const tocEntry = page.locator("#observablehq-toc a[href='#one-step-q-xt-xt-1']");
  assert.equal(await tocEntry.locator("sub").count(), 2);
  await assertClean({page, problems, external});
  await context.close();
});
