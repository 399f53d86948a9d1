// The "Why diffusion" page in Chromium: the data's coverage check and the drift check pass and
// follow their controls; the GAN trains a few steps on its button and reports a mode coverage;
// Algorithm 2 with ε* covers all eight modes of the ring.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

/** Every check on the page whose title matches, once one does. */
async function checks(page: Page, title: RegExp): Promise<{status: string; text: string}[]> {
  await page.waitForFunction(
    (source) => Array.from(document.querySelectorAll("[data-testid=check]")).some((el) => new RegExp(source).test(el.textContent ?? "")),
    title.source,
    {timeout: 30_000}
  );
  const all = await page.$$eval("[data-testid=check]", (els) => els.map((el) => ({status: (el as HTMLElement).dataset.status ?? "", text: el.textContent ?? ""})));
  return all.filter((c) => title.test(c.text));
}

test("the ring's checks pass and follow their controls; the GAN trains on its button; DDPM with ε* covers the ring", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/why-diffusion");

  // The data's own coverage, then a new draw.
  let [data] = await checks(page, /draw 1: 8 of 8 modes covered/);
  assert.equal(data.status, "pass", data.text);
  await page.getByRole("button", {name: "Draw the data again"}).click();
  [data] = await checks(page, /draw 2: /);
  assert.equal(data.status, "pass", data.text);

  // The drift identity at the default step, then at the last one.
  let [drift] = await checks(page, /t = 150: Eq\. 11 with ε\* equals the score form/);
  assert.equal(drift.status, "pass", drift.text);
  await page.$eval(".step-slider input", (input) => {
    const el = input as HTMLInputElement;
    el.value = el.max;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  [drift] = await checks(page, /t = 1000: Eq\. 11 with ε\*/);
  assert.equal(drift.status, "pass", drift.text);

  // Nothing trains before the button: tfjs is not even loaded.
  const status = page.locator("[data-testid=gan-status]");
  assert.equal(await status.getAttribute("data-step"), "0");
  assert.equal(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => /tf\.fesm|tfjs-browser/.test(e.name))), false);

  // A short run: 200 generator steps, measured at 100 and 200.
  // The controls are found by their labels, as a reader (or a screen reader) finds them.
  const ganPanel = page.locator("[data-testid=gan-panel]");
  assert.equal(await ganPanel.getByLabel("GAN", {exact: true}).locator("option:checked").textContent(), "non-saturating loss");
  await ganPanel.getByLabel("Steps", {exact: true}).fill("200");
  await page.click("button[data-action=gan-start]");
  await page.waitForFunction(
    () => {
      const el = document.querySelector("[data-testid=gan-status]") as HTMLElement;
      return el.dataset.step === "200" && el.dataset.running === "false";
    },
    null,
    {timeout: 120_000}
  );
  // A missing attribute must fail, not read as 0 (Number(null) === 0).
  const covered = Number((await status.getAttribute("data-modes-covered")) ?? NaN);
  const hq = Number((await status.getAttribute("data-hq")) ?? NaN);
  const summary = (await page.textContent("[data-testid=gan-summary]")) ?? "";
  console.log(`# GAN after 200 steps on ${await status.getAttribute("data-backend")}: ${summary}`);
  assert.ok(Number.isInteger(covered) && covered >= 0 && covered <= 8, `modes covered ${covered}`);
  assert.ok(hq >= 0 && hq <= 1, `share ${hq}`);
  assert.match(summary, /At step 200: \d of 8 modes covered/);
  assert.ok(await page.locator("[data-testid=gan-panel] .ring-view").count() >= 1);
  // Start from scratch clears the run.
  await page.click("button[data-action=gan-reset]");
  assert.equal(await status.getAttribute("data-step"), "0");

  // DDPM's Algorithm 2 with the exact ε*.
  await page.click("button[data-action=eps-sample]");
  const [eps] = await checks(page, /Algorithm 2 with ε\*: /);
  assert.equal(eps.status, "pass", eps.text);
  assert.match(eps.text, /8 of 8 modes covered/);

  // Every check on the page passes.
  const all = await page.$$eval("[data-testid=check]", (els) => els.map((el) => (el as HTMLElement).dataset.status));
  assert.ok(all.length >= 3 && all.every((s) => s === "pass"), `${all}`);
  await assertClean({page, problems, external});
  await context.close();
});
