// The Training page in Chromium without a GPU: the model trains in its worker, the loss falls,
// the ledger fills with every term and stays above the data's entropy, the bound is shown with its
// standard error (≤ 0.05 nats for the reference model), the live tensor count stays flat, and
// samples of the 8-Gaussian ring cover all 8 modes.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {REFERENCE_LEDGER_POINTS} from "../../src/model/reference.ts";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

const status = (page: Page) =>
  page.$eval("[data-testid=status]", (el) => ({...(el as HTMLElement).dataset, text: el.textContent ?? ""}) as Record<string, string>);

test("the ring trains in the browser: loss falls, ledger fills, 8 modes covered, no tensor leak", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/training");
  await page.waitForFunction(() => /Paused on/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  // Instant start: the reference model trained at build time is shown at once, with its samples,
  // their quality and its ledger.
  assert.equal(await page.$eval("[data-testid=training-panel]", (el) => (el as HTMLElement).dataset.reference), "true");
  const reference = await page.$eval("[data-testid=quality]", (el) => ({...(el as HTMLElement).dataset, text: el.textContent ?? ""}) as Record<string, string>);
  console.log(`# reference model: ${reference.text}`);
  assert.equal(reference.modesCovered, "8", "the reference model covers the ring's 8 modes");
  const referenceLedger = await page.$eval("[data-testid=ledger-summary]", (el) => ({...(el as HTMLElement).dataset, text: el.textContent ?? ""}) as Record<string, string>);
  assert.equal(referenceLedger.terms, "1001");
  // The reference bound is shown with its standard error, small enough to read to 0.05 nats.
  const referenceSe = Number(referenceLedger.totalStdErr);
  assert.ok(referenceSe > 0 && referenceSe <= 0.05, `reference ledger's standard error ${referenceLedger.totalStdErr}`);
  assert.match(referenceLedger.text, new RegExp(`= ${Number(referenceLedger.total).toFixed(3)} ± ${referenceSe.toFixed(3)} nats per example`));
  assert.match(referenceLedger.text, new RegExp(`one standard error over the ${REFERENCE_LEDGER_POINTS.toLocaleString("en")} held-out points`));
  // Then train a fresh model live.
  await page.click("button[data-action=reset]");
  await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.baseSteps === "0", null, {timeout: 30_000});
  // Record the live tensor count at every progress message.
  await page.evaluate(() => {
    const node = document.querySelector("[data-testid=status]") as HTMLElement;
    const log: [number, number][] = ((window as any).__tensorLog = []);
    new MutationObserver(() => log.push([Number(node.dataset.step), Number(node.dataset.tensors)])).observe(node, {attributes: true});
  });
  await page.click("button[data-action=start]");
  // Early loss: the smoothed loss after the first ~50 steps.
  await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 50, null, {timeout: 60_000});
  const first = await status(page);
  await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 300, null, {timeout: 90_000});
  // Train until the samples cover all 8 modes (checked after each live preview), at most 3 minutes.
  await page.waitForFunction(
    () => {
      const q = document.querySelector("[data-testid=quality]") as HTMLElement | null;
      const step = Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step);
      return q?.dataset.modesCovered === "8" && step >= 2000;
    },
    null,
    {timeout: 180_000, polling: 1000}
  );
  const late = await status(page);
  console.log(`# early ${first.text}\n# late ${late.text}`);
  assert.ok(Number(late.loss) < 0.8 * Number(first.loss), `loss did not fall: ${first.loss} → ${late.loss}`);
  // Flat: the trainer's rollback snapshots make the count cycle by a few tensors, but the most
  // seen after step 1000 is no more than the most seen between steps 100 and 1000. A leak of one
  // tensor per step or per chunk would add hundreds.
  const log: [number, number][] = await page.evaluate(() => (window as any).__tensorLog);
  const before1000 = log.filter(([step]) => step >= 100 && step < 1000).map(([, n]) => n);
  const after1000 = log.filter(([step]) => step >= 1000).map(([, n]) => n);
  // Without reports on both sides the comparison below would hold for nothing (max of [] is −∞).
  assert.ok(before1000.length > 0 && after1000.length > 0, `tensor counts logged: ${before1000.length} before step 1000, ${after1000.length} after`);
  const early = Math.max(...before1000);
  const lateMax = Math.max(...after1000);
  assert.ok(lateMax <= early, `live tensors grew: at most ${early} before step 1000, ${lateMax} after`);
  await page.waitForFunction(() => (document.querySelector("[data-testid=ledger-summary]") as HTMLElement)?.dataset.total, null, {timeout: 60_000});
  const ledger = await page.$eval("[data-testid=ledger-summary]", (el) => ({...(el as HTMLElement).dataset, text: el.textContent ?? ""}) as Record<string, string>);
  console.log(`# ${ledger.text}`);
  assert.equal(Number(ledger.terms), 1001, "every term L_0 … L_1000");
  assert.ok(Number(ledger.total) > Number(ledger.entropy), `bound ${ledger.total} below the entropy ${ledger.entropy}`);
  // The live ledger (fewer points) shows its own, larger, standard error.
  assert.ok(Number(ledger.totalStdErr) > referenceSe, `live ledger's standard error ${ledger.totalStdErr}`);
  assert.match(ledger.text, new RegExp(` ± ${Number(ledger.totalStdErr).toFixed(3)} nats per example`));
  const quality = await page.textContent("[data-testid=quality]");
  console.log(`# ${quality}`);
  await page.click("button[data-action=start]"); // pause
  await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.running === "false", null, {timeout: 10_000});
  await assertClean({page, problems, external});
  await context.close();
});

test("σ_t² = β_t against β̃_t: the exact check passes, and the reader's model samples with both", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/training");
  await page.waitForSelector("[data-testid=check]", {timeout: 60_000});
  const check = await page.$eval("[data-testid=check]", (el) => ({status: (el as HTMLElement).dataset.status, text: el.textContent ?? ""}));
  console.log(`# ${check.text}`);
  assert.equal(check.status, "pass", check.text);
  assert.match(check.text, /without the noise the check fails, as it should/);
  await page.waitForFunction(() => /Paused on/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  await page.click("[data-testid=sigma-model] button");
  await page.waitForFunction(() => (document.querySelector("[data-testid=sigma-model]") as HTMLElement).dataset.state, null, {timeout: 120_000});
  const model = await page.$eval("[data-testid=sigma-model]", (el) => ({state: (el as HTMLElement).dataset.state, text: el.textContent ?? ""}));
  console.log(`# ${model.text}`);
  assert.equal(model.state, "done", model.text);
  // The reference ring model: all 8 modes with either σ_t².
  assert.match(model.text, /σₜ² = β̃ₜ: .*8\/8 modes/);
  assert.match(model.text, /σₜ² = βₜ: .*8\/8 modes/);
  await assertClean({page, problems, external});
  await context.close();
});

test("choosing a backend this browser lacks falls back visibly and keeps working", async () => {
  const context = await site.browser.newContext();
  const {page, problems, external} = await visit(context, site.origin, "/training");
  await page.waitForFunction(() => /Paused on/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  // Headless Chromium without flags has no WebGPU adapter.
  await page.selectOption("[data-testid=training-panel] select >> nth=4", "webgpu");
  await page.waitForFunction(() => /not available here/.test(document.querySelector(".tp-message")?.textContent ?? ""), null, {timeout: 60_000});
  const message = await page.textContent(".tp-message");
  console.log(`# ${message}`);
  await page.waitForFunction(() => /Paused on WebAssembly/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  await page.click("button[data-action=step]");
  await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 1, null, {timeout: 30_000});
  await assertClean({page, problems, external}, {ignore: /webgpu|adapter/i});
  await context.close();
});
