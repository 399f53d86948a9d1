// The reader's own drawing on the Training page, as a reader meets it: drawn with the mouse on the
// Forward page, offered in the Training panel's Dataset menu, trained from scratch, sampled, and
// measured on its own held-out split (the energy distance beside the split's floor; the bound on
// held-out points, with the data's entropy said to be unavailable and a fitted mixture's score
// beside it, named as such); no console error, no tensor leak. Then the drawing is cleared in
// another tab: the panel says so and will not train on the points it no longer has; undone, all is
// well again; replaced by other points, the trained model is kept (and called stale) or rebuilt
// only as the reader chooses.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";
import {trainButton} from "./training-helpers.ts";

const site = useSite();
const YOUR_DATA = "Your data (draw or paste)";

const picker = (page: Page) => page.locator("select", {has: page.locator("option", {hasText: YOUR_DATA})});
const pointCount = (page: Page) => page.$eval(".data-drawer-summary", (el) => Number((el as HTMLElement).dataset.points));
const panelText = (page: Page, testid: string) => page.$eval(`[data-testid=${testid}]`, (el) => ({...(el as HTMLElement).dataset, text: el.textContent ?? ""}) as Record<string, string>);
const waitForText = (page: Page, testid: string, pattern: RegExp, timeout = 60_000) =>
  page
    .waitForFunction(([id, source]) => new RegExp(source).test(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ""), [testid, pattern.source] as const, {timeout})
    .catch(async () => {
      throw new Error(`[data-testid=${testid}] never matched ${pattern}; it reads: ${(await panelText(page, testid).catch(() => ({text: "(absent)"}))).text}`);
    });

/** Draws an L and a bar with the mouse on the Forward page's pad, and returns the points drawn. */
async function drawOnForward(page: Page): Promise<number> {
  await picker(page).selectOption({label: YOUR_DATA});
  await page.waitForSelector(".data-drawer-pad", {state: "visible", timeout: 30_000});
  await page.locator(".data-drawer-pad").scrollIntoViewIfNeeded();
  const box = (await page.locator(".data-drawer-pad").boundingBox())!;
  const stroke = async (from: [number, number], to: [number, number], steps = 30) => {
    await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
    await page.mouse.down();
    for (let k = 1; k <= steps; k++) await page.mouse.move(box.x + (from[0] + ((to[0] - from[0]) * k) / steps) * box.width, box.y + (from[1] + ((to[1] - from[1]) * k) / steps) * box.height);
    await page.mouse.up();
  };
  await stroke([0.3, 0.2], [0.3, 0.8]);
  await stroke([0.3, 0.8], [0.75, 0.8]);
  await stroke([0.6, 0.2], [0.8, 0.4]);
  await page.waitForFunction(() => Number((document.querySelector(".data-drawer-summary") as HTMLElement)?.dataset.points) >= 100);
  return pointCount(page);
}

test("a drawing from the Forward page trains on the Training page: from scratch, sampled, measured on its held-out split, no tensor leak; cleared in another tab, it is not trained on; changed there, a trained model is kept or replaced only as the reader chooses", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const forward = await visit(context, site.origin, "/forward");
  const n = await drawOnForward(forward.page);
  assert.ok(n >= 100 && n <= 5000, `${n} points drawn`);
  const heldOut = Math.round(n / 4);

  const training = await visit(context, site.origin, "/training");
  const {page} = training;
  await waitForText(page, "status", /Paused on/);
  // The panel knows the drawing, and the menu offers it by its size.
  await waitForText(page, "your-data-note", new RegExp(`Your data \\(${n.toLocaleString("en")} points, drawn\\) are kept in this browser`));
  const datasetSelect = page.locator("[data-testid=training-panel] select").first();
  await datasetSelect.selectOption({label: `Your data (${n.toLocaleString("en")} points)`});
  // Nothing was trained live yet, so the new model is built at once: from scratch, no reference.
  await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.baseSteps === "0", null, {timeout: 30_000});
  await waitForText(page, "your-data-note", new RegExp(`Training on your data: ${n.toLocaleString("en")} points \\(drawn\\), ${(n - heldOut).toLocaleString("en")} to train on and ${heldOut.toLocaleString("en")} held out`));
  assert.match((await panelText(page, "your-data-note")).text, /No reference model exists for your data: the model starts from scratch/);
  assert.equal(await page.$eval("[data-testid=training-panel]", (el) => (el as HTMLElement).dataset.reference), "false");
  assert.equal(Number((await panelText(page, "status")).step), 0);

  // Train a few hundred steps, then pause.
  await trainButton(page).click();
  await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 300, null, {timeout: 120_000});
  await trainButton(page).click();
  await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.running === "false", null, {timeout: 30_000});

  // Sample now: the quality against the held-out split, beside the split's own floor; no modes.
  await page.click("[data-testid=training-panel] button[data-action=sample]");
  await waitForText(page, "quality", new RegExp(`energy distance to your ${heldOut.toLocaleString("en")} held-out points [\\d.]+ \\(floor [\\d.]+`), 120_000);
  const quality = await panelText(page, "quality");
  console.log(`# quality on your data: ${quality.text}`);
  assert.match(quality.text, /modes covered and the high-quality share: not available for drawn data/);
  assert.ok(Number(quality.energyRatio) > 0 && Number.isFinite(Number(quality.energyRatio)), `ratio ${quality.energyRatio}`);
  assert.equal(quality.modesCovered, "");
  assert.match(await page.textContent("[data-testid=samples]").then((t) => t ?? ""), /your held-out points/);

  // The ledger: the bound on held-out points of the drawing; no entropy, a fitted mixture's score named as such.
  await page.waitForFunction(() => (document.querySelector("[data-testid=ledger-summary]") as HTMLElement).dataset.terms === "1001", null, {timeout: 120_000});
  const ledger = await panelText(page, "ledger-summary");
  console.log(`# ledger on your data: ${ledger.text}`);
  assert.match(ledger.text, /The data's entropy is not available for drawn data/);
  assert.equal(ledger.entropy, "");
  assert.match(ledger.text, new RegExp(`one standard error over the ${heldOut.toLocaleString("en")} held-out points`));
  assert.match(ledger.text, /a 12-component Gaussian mixture fitted to your training points scores -?[\d.]+ ± [\d.]+ nats per example \(its exact −log p\) on the same/);
  assert.match(ledger.text, /an upper bound on the data's entropy, not that entropy/);
  assert.ok(Number.isFinite(Number(ledger.baseline)) && ledger.baseline !== "");

  // No tensor leak: the live count is the same when idle before and after another sample and ledger.
  const idle = async () => {
    await waitForText(page, "activity", /Worker: idle\./);
    return Number((await panelText(page, "status")).tensors);
  };
  const before = await idle();
  await page.click("[data-testid=training-panel] button[data-action=sample]");
  await page.waitForFunction(() => document.querySelector("[data-testid=training-panel] button[data-action=sample]")?.textContent === "Stop sampling", null, {timeout: 10_000});
  await page.waitForFunction(() => document.querySelector("[data-testid=training-panel] button[data-action=sample]")?.textContent === "Sample now", null, {timeout: 120_000});
  const after = await idle();
  assert.equal(after, before, `live tensors ${before} → ${after}`);

  // The drawing is cleared on the Forward page (another tab): the panel says so and will not train.
  await forward.page.bringToFront();
  await forward.page.getByRole("button", {name: "Clear"}).click();
  await page.bringToFront();
  await waitForText(page, "message", /Your data changed in another tab and can no longer be trained on/);
  await waitForText(page, "your-data-note", /These are not the points kept in this browser now/);
  await waitForText(page, "field-errors", /Dataset “Your data”: No points of your own are kept/);
  assert.equal(await trainButton(page).isDisabled(), true, "Train is off while the points are gone");

  // Undo there brings back the very points this model trains on: nothing is stale any more.
  await forward.page.bringToFront();
  await forward.page.getByRole("button", {name: "Undo"}).click();
  await page.bringToFront();
  await page.waitForFunction(() => (document.querySelector("[data-testid=your-data-note]") as HTMLElement)?.dataset.state === "training", null, {timeout: 30_000});
  assert.equal(await page.locator("[data-testid=field-errors]").isHidden(), true);
  // Other points pasted there: the model, trained, is not replaced without asking.
  await forward.page.bringToFront();
  const text = Array.from({length: 120}, (_, j) => `${(j % 3) + 0.2 * Math.sin(j)},${0.2 * Math.cos(3 * j)}`).join("\n");
  await forward.page.locator(".data-drawer textarea").fill(text);
  await forward.page.getByRole("button", {name: "Use pasted points"}).click();
  await page.bringToFront();
  await waitForText(page, "message", /Your data changed in another tab: 120 points now; this model was trained on the [\d,]+ points it had\. Training is paused until you choose\./);
  const confirm = page.getByRole("alertdialog", {name: "A change that needs a new model"});
  await confirm.waitFor({timeout: 10_000});
  assert.match((await confirm.textContent()) ?? "", /Changing the points of your data needs a new model: the current one, trained for [\d,]+ steps, will be discarded\./);
  assert.equal(await trainButton(page).isDisabled(), true, "Train waits for the choice");
  // Keep it: it goes on with its own points, and the note says they are not the kept ones.
  await page.getByRole("button", {name: "Keep the current model"}).click();
  await waitForText(page, "your-data-note", /These are not the points kept in this browser now \(120 points\)/);
  assert.equal(await trainButton(page).isEnabled(), true);
  // Start from scratch trains on the kept points.
  await page.getByRole("button", {name: "Start from scratch"}).click();
  await waitForText(page, "your-data-note", /Training on your data: 120 points \(pasted\), 90 to train on and 30 held out/);
  assert.equal(await page.$eval("[data-testid=your-data-note]", (el) => (el as HTMLElement).dataset.state), "training");

  await assertClean(training);
  await assertClean(forward);
  await context.close();
});

test("the race offers pasted points of your own: both models train on their training part and are measured on the held-out part, with no ε* reference", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const forward = await visit(context, site.origin, "/forward");
  await forward.page.locator("select", {has: forward.page.locator("option", {hasText: YOUR_DATA})}).selectOption({label: YOUR_DATA});
  await forward.page.waitForSelector(".data-drawer textarea", {timeout: 30_000});
  // Two blobs, 120 points, through the drawer's own paste box.
  const text = Array.from({length: 120}, (_, j) => `${(j % 2 ? 4 : -4) + 0.3 * Math.sin(7 * j)},${0.3 * Math.cos(5 * j)}`).join("\n");
  await forward.page.locator(".data-drawer textarea").fill(text);
  await forward.page.getByRole("button", {name: "Use pasted points"}).click();
  await forward.page.waitForFunction(() => Number((document.querySelector(".data-drawer-summary") as HTMLElement)?.dataset.points) === 120);

  const visited = await visit(context, site.origin, "/why-diffusion");
  const {page} = visited;
  await page.getByRole("button", {name: "Start the race"}).waitFor({timeout: 60_000});
  await page.getByLabel("Data", {exact: true}).selectOption({label: "Your data (120 points)"});
  await page.getByRole("spinbutton", {name: "Training seconds per model", exact: true}).fill("1");
  await page.getByRole("spinbutton", {name: "Seeds", exact: true}).fill("1");
  await page.getByRole("button", {name: "Start the race"}).click();
  await waitForText(page, "race-status", /your data \(120 points\)/, 30_000);
  await page.waitForFunction(() => (document.querySelector("[data-testid=race-status]") as HTMLElement).dataset.state === "done", null, {timeout: 240_000});
  const table = (await page.textContent(".race-table")) ?? "";
  console.log(`# race on your data: ${table}`);
  assert.match(table, /GAN/);
  assert.doesNotMatch(table, /ε\* reference/, "no ε* reference for drawn data");
  const status = await panelText(page, "race-status");
  assert.equal(status.tensorsBefore, status.tensorsAfter, "no tensor leak");
  await assertClean(visited);
  await assertClean(forward);
  await context.close();
});
