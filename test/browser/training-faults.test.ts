// The Training panel under faults, each injected from outside the site (faults.ts): a lost WebGL
// context and a worker that stops responding (observation 1), WebAssembly missing
// (observation 7), a worker that cannot start, and data that arrives late (observation 10).
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";
import {alerts, status, stepOf, trainButton, waitForStatus, waitForStep} from "./training-helpers.ts";
import {injectFault, installFaults} from "./faults.ts";

const site = useSite();

test("a lost WebGL context, then a worker that stops responding: training moves on from the last checkpoint, with a message each time (observation 1)", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  await installFaults(context);
  const {page, problems, external} = await visit(context, site.origin, "/training");
  await waitForStatus(page, /^Paused on/);
  await page.getByLabel("Backend").selectOption({index: 2}); // WebGL: software here
  await waitForStatus(page, /^Paused on WebGL · step 1,?000/);
  await trainButton(page).click();
  await waitForStep(page, 1002, 90_000);
  const lostAt = await stepOf(page);
  await injectFault(page, "lose-context");
  const start = Date.now();
  await page.waitForFunction(() => /context was lost/.test([...document.querySelectorAll("[data-testid=training-panel] [role=alert]")].map((a) => a.textContent).join(" ")), null, {timeout: 30_000});
  await waitForStatus(page, /^Training on WebAssembly/, 30_000);
  const moved = await status(page);
  console.log(`# lost at step ${lostAt}; after ${Date.now() - start} ms: ${await alerts(page)}\n# ${moved.text}`);
  assert.ok((await stepOf(page)) >= 1000, "training continues from the model's weights, not from scratch");
  await waitForStep(page, (await stepOf(page)) + 20, 30_000);

  // Now the worker stops answering: after the watchdog's 10 s a new one takes over on the next backend.
  await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.running === "true");
  const stalledAt = await stepOf(page);
  await injectFault(page, "stall");
  const stallStart = Date.now();
  await page.waitForFunction(() => /stopped responding/.test([...document.querySelectorAll("[data-testid=training-panel] [role=alert]")].map((a) => a.textContent).join(" ")), null, {timeout: 30_000});
  await waitForStatus(page, /^Training on CPU/, 30_000);
  const restarted = await status(page);
  console.log(`# stalled at step ${stalledAt}; after ${Date.now() - stallStart} ms: ${await alerts(page)}\n# ${restarted.text}`);
  const restartedAt = await stepOf(page);
  assert.ok(restartedAt >= stalledAt - 200, `restarted at step ${restartedAt}, far behind ${stalledAt}`);
  await waitForStep(page, (await stepOf(page)) + 5, 30_000);
  await trainButton(page).click(); // Pause still works
  await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.running === "false", null, {timeout: 10_000});
  await assertClean({page, problems, external}, {ignore: /webgl|context/i});
  await context.close();
});

test("with WebAssembly missing, the float32 CPU backend is chosen over software WebGL, and the menu marks WebGL as slow (observation 7)", async () => {
  const context = await site.browser.newContext();
  // No WebAssembly at all: tfjs's .wasm files and the kernel's module (its bytes in a script).
  await installFaults(context, {missing: [/\.wasm$/, /mlp-wasm\.generated\.[^/]*\.js$/]});
  const {page, problems, external} = await visit(context, site.origin, "/training");
  await waitForStatus(page, /^Paused on/);
  const text = (await status(page)).text;
  console.log(`# ${text}`);
  assert.match(text, /^Paused on CPU \(JavaScript\)/);
  const webgl = await page.$eval("[data-testid=training-panel] form select", () => {
    const select = [...document.querySelectorAll("[data-testid=training-panel] select")].find((s) => (s as HTMLSelectElement).labels?.[0]?.textContent === "Backend") as HTMLSelectElement;
    return select.options[2].textContent ?? "";
  });
  assert.match(webgl, /^WebGL \((software|float16).*slow, never chosen automatically\)$/);
  await assertClean({page, problems, external}, {ignore: /\.wasm|wasm|WebAssembly|404/i});
  await context.close();
});

test("a worker that cannot start says so, and Train says why it is off (observation 10)", async () => {
  const context = await site.browser.newContext();
  await installFaults(context, {workerMissing: true});
  const {page, problems, external} = await visit(context, site.origin, "/training");
  await page.waitForFunction(() => /could not start|failed/.test([...document.querySelectorAll("[data-testid=training-panel] [role=alert]")].map((a) => a.textContent).join(" ")), null, {timeout: 30_000});
  const text = (await status(page)).text;
  console.log(`# ${await alerts(page)}\n# status: ${text}`);
  assert.doesNotMatch(text, /Starting the training worker/);
  assert.ok(await trainButton(page).isDisabled());
  assert.match((await page.textContent("[data-testid=reason]")) ?? "", /Training is off/);
  await assertClean({page, problems, external}, {ignore: /train-worker|404/i});
  await context.close();
});

test("data that arrives late: the panel is there at once and says what it is loading (observation 10)", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  await installFaults(context, {delays: [{pattern: /reference\/ring-8|plotly/, ms: 3000}], workerDelayMs: 3000});
  const {page, problems, external} = await visit(context, site.origin, "/training");
  // Within a second of the page's load event: the panel, its controls and loading notes.
  await page.waitForSelector("[data-testid=training-panel]", {timeout: 1500});
  const early = await page.evaluate(() => ({
    status: document.querySelector("[data-testid=status]")?.textContent ?? "",
    quality: document.querySelector("[data-testid=quality]")?.textContent ?? "",
    train: (document.querySelector("[data-testid=training-panel] button[data-action=start]") as HTMLButtonElement | null)?.textContent ?? ""
  }));
  console.log(`# early: ${JSON.stringify(early)}`);
  assert.match(early.status, /Starting the training worker/);
  assert.match(early.quality, /Loading the reference model/);
  assert.equal(early.train, "Train");
  // Then everything arrives: the reference model, the worker, the ledger's chart.
  await waitForStatus(page, /^Paused on/);
  await page.waitForSelector("[data-testid=ledger] .plot-container", {timeout: 30_000});
  assert.equal(await page.$eval("[data-testid=training-panel]", (el) => (el as HTMLElement).dataset.reference), "true");
  await assertClean({page, problems, external});
  await context.close();
});
