// The L_simple page in Chromium: the KL-versus-ε-route check passes, the timestep slider moves the
// λ_t readout, and the experiment — two models trained side by side with L_simple and with the
// true bound (a few steps here) — fills its table with finite numbers and a computed conclusion.
import {test} from "node:test";
import assert from "node:assert/strict";

import {BOUND_TIE_NATS, SHARE_Z} from "../../src/lib/checks/lsimple-check.ts";
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
    assert.match((await page.textContent(`[data-testid=lsimple-status-${kind}]`)) ?? "", /40 steps, bound -?[0-9.]+ ± [0-9.]+ nats per example/);
  }
  // Both bounds in the table carry their standard errors (nats and bits per dimension).
  const boundCells = await page.$$eval("[data-testid=lsimple-table] tbody tr", (rows) =>
    rows.slice(0, 2).flatMap((row) => Array.from(row.querySelectorAll("td[data-objective]"), (td) => td.textContent ?? ""))
  );
  assert.equal(boundCells.length, 4);
  for (const cell of boundCells) assert.match(cell, /^-?[0-9.]+ ± [0-9.]+$/);
  const conclusion = await page.$eval("[data-testid=lsimple-conclusion]", (el) => ({text: el.textContent ?? "", bound: el.getAttribute("data-bound"), samples: el.getAttribute("data-samples")}));
  console.log(`# ${conclusion.text}`);
  assert.match(conclusion.text, /Bound: .*Samples: .*The paper/s);
  // The verdicts follow from the table's own numbers, by the rules written out here: the lower bound
  // wins unless within BOUND_TIE_NATS; the energy decides the samples when its gap exceeds the larger
  // floor (energy ÷ its ratio to the floor), else the high-quality shares, when more than SHARE_Z
  // standard errors apart (the page draws 500 samples per model).
  const table: Record<string, number[]> = await page.$$eval("[data-testid=lsimple-table] tr[data-row]", (rows) =>
    Object.fromEntries(rows.map((row) => [(row as HTMLElement).dataset.row, Array.from(row.querySelectorAll("td[data-objective]"), (c) => Number((c as HTMLElement).dataset.value))]))
  );
  const [boundSimple, boundVlb] = table.total;
  const bound = Math.abs(boundSimple - boundVlb) <= BOUND_TIE_NATS ? "tie" : boundSimple < boundVlb ? "simple" : "vlb";
  assert.equal(conclusion.bound, bound, `bounds ${boundSimple} and ${boundVlb}`);
  const [energySimple, energyVlb] = table.energy;
  const floor = Math.max(energySimple / table.energyRatio[0], energyVlb / table.energyRatio[1]);
  let samples = "tie";
  if (Math.abs(energySimple - energyVlb) > floor) samples = energySimple < energyVlb ? "simple" : "vlb";
  else if (table.highQualityFraction) {
    const [a, b] = table.highQualityFraction;
    const pooled = (a + b) / 2;
    const z = (a - b) / Math.sqrt((pooled * (1 - pooled) * 2) / 500);
    if (Math.abs(z) > SHARE_Z) samples = z > 0 ? "simple" : "vlb";
  }
  assert.equal(conclusion.samples, samples, `energies ${energySimple} and ${energyVlb} (floor ${floor}), high-quality shares ${table.highQualityFraction}`);

  await assertClean({page, problems, external});
  await context.close();
});
