// The L_simple page in Chromium: the KL-versus-ε-route check passes, the timestep slider moves the
// λ_t readout, and the experiment — two models trained side by side with L_simple and with the
// true bound (a few steps here) — fills its table with finite numbers and a computed conclusion.
import {test} from "node:test";
import assert from "node:assert/strict";

import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

test("the routes agree, the slider moves λ_t, and the L_simple-vs-bound experiment completes", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/l-simple");
  await page.waitForSelector("[data-testid=check]", {timeout: 60_000});
  const check = await page.$eval("[data-testid=check]", (el) => ({status: (el as HTMLElement).dataset.status, text: el.textContent ?? ""}));
  assert.equal(check.status, "pass", check.text);
  assert.match(check.text, /15,984 random examples/);

  // Nothing trains on load.
  assert.equal(await page.getAttribute("[data-testid=lsimple-experiment]", "data-state"), "idle");

  // Slider to the far right: t = 1000, where λ_t ≈ 0.0102 for both σ_t².
  const before = await page.textContent("[data-testid=lambda-readout]");
  assert.match(before ?? "", /At t = 2:/);
  await page.$eval(".step-slider input", (input) => {
    const el = input as HTMLInputElement;
    el.value = el.max;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  await page.waitForFunction(() => /At t = 1000:/.test(document.querySelector("[data-testid=lambda-readout]")?.textContent ?? ""), null, {timeout: 10_000});
  assert.match((await page.textContent("[data-testid=routes-caption]")) ?? "", /t = 1000/);

  // The experiment, with a few steps so that the test stays short.
  await page.fill("[data-testid=lsimple-steps]", "40");
  await page.click("button[data-action=lsimple-start]");
  await page.waitForFunction(() => document.querySelector("[data-testid=lsimple-experiment]")?.getAttribute("data-state") === "training", null, {timeout: 10_000});
  await page.waitForFunction(
    () => ["done", "error"].includes(document.querySelector("[data-testid=lsimple-experiment]")?.getAttribute("data-state") ?? ""),
    null,
    {timeout: 300_000, polling: 1000}
  );
  const state = await page.getAttribute("[data-testid=lsimple-experiment]", "data-state");
  assert.equal(state, "done", (await page.textContent("[data-testid=lsimple-experiment]")) ?? "");
  const values = await page.$$eval("[data-testid=lsimple-table] td[data-objective]", (cells) => cells.map((c) => Number((c as HTMLElement).dataset.value)));
  assert.ok(values.length >= 16, `table has ${values.length} values`);
  for (const v of values) assert.ok(Number.isFinite(v), `non-finite value in the table: ${values}`);
  for (const kind of ["simple", "vlb"]) {
    assert.match((await page.textContent(`[data-testid=lsimple-status-${kind}]`)) ?? "", /40 steps/);
  }
  const conclusion = await page.$eval("[data-testid=lsimple-conclusion]", (el) => ({text: el.textContent ?? "", bound: el.getAttribute("data-bound"), samples: el.getAttribute("data-samples")}));
  console.log(`# ${conclusion.text}`);
  assert.match(conclusion.text, /Bound: .*Samples: .*The paper/s);
  assert.ok(["simple", "vlb", "tie"].includes(conclusion.bound ?? ""));
  assert.ok(["simple", "vlb", "tie"].includes(conclusion.samples ?? ""));

  await assertClean({page, problems, external});
  await context.close();
});
