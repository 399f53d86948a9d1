// The live panels' settings in the URL (components/panel-urls.ts): the Training panel, the L_simple
// experiment, the GAN and the race. Each is set from its controls, written to the address as it
// changes, and restored when the link is opened in a fresh browser; a bad value in a link is
// answered with a visible message and the default, and the address is corrected.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, settle, useSite, visit} from "./harness.ts";
import {params, reopen, urlHas} from "./url-helpers.ts";

const site = useSite();

/** A select's shown choice, found by its label. */
const chosen = (page: Page, label: string) => page.getByLabel(label, {exact: true}).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
const field = (page: Page, label: string) => page.getByLabel(label, {exact: true}).inputValue();
const panelReady = (page: Page) =>
  page.waitForFunction(() => /^Paused on/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 90_000});
const statusData = (page: Page) => page.$eval("[data-testid=status]", (el) => ({...(el as HTMLElement).dataset}));

test("the Training panel's dataset round-trips through the URL: the link opens the same reference model's figures", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/training");
  const {page} = visited;
  await panelReady(page);
  assert.deepEqual(await params(page), {}, "the defaults leave the URL clean");
  await page.waitForFunction(() => /energy distance/.test(document.querySelector("[data-testid=quality]")?.textContent ?? ""));
  const ringQuality = await page.locator("[data-testid=quality]").textContent();
  await page.getByLabel("Dataset", {exact: true}).selectOption({label: "Two moons"});
  await urlHas(page, {dataset: "two-moons"});
  // The two-moons reference model's figures replace the ring's.
  await page.waitForFunction(
    (before) => {
      const quality = document.querySelector("[data-testid=quality]")?.textContent ?? "";
      return quality !== before && /energy distance/.test(quality) && (document.querySelector("[data-testid=training-panel]") as HTMLElement).dataset.reference === "true";
    },
    ringQuality,
    {timeout: 60_000}
  );
  await panelReady(page);
  const quality = await page.locator("[data-testid=quality]").textContent();
  assert.match(quality ?? "", /energy distance/);

  const {context: fresh, visited: again} = await reopen(site, page);
  await panelReady(again.page);
  assert.equal(await chosen(again.page, "Dataset"), "Two moons");
  await again.page.waitForFunction(() => (document.querySelector("[data-testid=training-panel]") as HTMLElement).dataset.reference === "true" && /energy distance/.test(document.querySelector("[data-testid=quality]")?.textContent ?? ""));
  assert.equal(await again.page.locator("[data-testid=quality]").textContent(), quality, "the same reference model's samples, measured the same way");
  assert.equal(await again.page.locator(".url-problem").count(), 0);
  // Copy link answers at once.
  await again.page.getByRole("button", {name: "Copy link to this view"}).click();
  await again.page.waitForFunction(() => /copied|Copy this link/.test(document.querySelector(".copy-link")?.textContent ?? ""));
  await assertClean(visited);
  await assertClean(again);
  await fresh.close();
  await context.close();
});

test("every Training panel setting round-trips through the URL, and only the settings in force are written", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/training?loss=vlb&sigma=beta&lr=0.002&batch=256&seed=7");
  const {page} = visited;
  await panelReady(page);
  assert.equal(await page.locator(".url-problem").count(), 0);
  assert.equal(await chosen(page, "Loss"), "true bound weights λₜ (Eq. 12)");
  assert.equal(await chosen(page, "σₜ²"), "βₜ");
  assert.equal(await field(page, "Learning rate"), "0.002");
  assert.equal(await field(page, "Batch"), "256");
  assert.equal(await field(page, "Seed"), "7");
  // The worker trains with them: its word, on the status line.
  const data = await statusData(page);
  assert.equal(data.learningRate, "0.002");
  assert.equal(data.batchSize, "256");

  // A value still being typed is not in force, and not in the URL; committed, it is.
  await page.getByLabel("Learning rate", {exact: true}).fill("0.0");
  await page.waitForTimeout(400);
  assert.equal((await params(page)).lr, "0.002");
  await page.getByLabel("Learning rate", {exact: true}).fill("0.0025");
  await page.getByLabel("Learning rate", {exact: true}).press("Enter");
  await urlHas(page, {lr: "0.0025"});
  await page.getByLabel("Model", {exact: true}).selectOption({label: "3×256 MLP"});
  await urlHas(page, {model: "large"});
  await page.getByLabel("Backend", {exact: true}).selectOption({index: 0});
  const expected = {loss: "vlb", sigma: "beta", lr: "0.0025", batch: "256", seed: "7", model: "large"};
  await urlHas(page, expected);

  const {context: fresh, visited: again} = await reopen(site, page);
  await panelReady(again.page);
  assert.deepEqual(await params(again.page), expected);
  assert.equal(await again.page.locator(".url-problem").count(), 0);
  assert.equal(await chosen(again.page, "Model"), "3×256 MLP");
  assert.equal(await field(again.page, "Learning rate"), "0.0025");
  assert.equal((await statusData(again.page)).learningRate, "0.0025");
  assert.equal(await chosen(again.page, "Loss"), "true bound weights λₜ (Eq. 12)");
  await assertClean(visited);
  await assertClean(again);
  await fresh.close();
  await context.close();
});

test("bad values in a Training link give visible messages and the defaults, and the panel trains", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/training?dataset=mnist&lr=abc&batch=0&backend=gpu&seed=1.5");
  const {page} = visited;
  await panelReady(page);
  const messages = await page.locator(".url-problem").allTextContents();
  for (const pattern of [
    /dataset to "mnist", but dataset must be one of swiss-roll, two-moons, ring-8.*your-data: showing the default, dataset = ring-8\./,
    /lr to "abc", but lr must be a number from 0\.00001 to 1|lr to "abc", but lr must be a number from 1e-5 to 1/,
    /batch to "0", but batch must be from 1 to 8192: showing the default, batch = 512\./,
    /backend to "gpu", but backend must be one of auto, /,
    /seed to "1\.5", but seed must be a whole number from 0 to 999999/
  ]) {
    assert.ok(messages.some((m) => pattern.test(m)), `${pattern} in:\n${messages.join("\n")}`);
  }
  for (const message of await page.locator(".url-problem").all()) assert.ok(await message.isVisible());
  assert.equal(await chosen(page, "Dataset"), "8 Gaussians (ring)");
  assert.equal(await field(page, "Batch"), "512");
  // The URL now says what is shown; the panel works.
  await page.waitForFunction(() => location.search === "");
  await page.locator("[data-testid=training-panel] button[data-action=step]").click();
  await page.waitForFunction(() => /step [\d,]+/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""));
  // Choosing settles the messages.
  await page.getByLabel("Loss", {exact: true}).selectOption({index: 1});
  await page.waitForFunction(() => document.querySelectorAll(".url-problem").length === 0);
  await assertClean(visited);

  // A link to "your data" in a browser that keeps none: the default dataset, and the reason.
  const yours = await visit(context, site.origin, "/training?dataset=your-data");
  await panelReady(yours.page);
  const note = yours.page.locator("[data-testid=training-panel] .url-problem");
  assert.match((await note.textContent()) ?? "", /The link opens the panel on your data, but no points of your own are kept in this browser yet\. Showing 8 Gaussians \(ring\) instead/);
  assert.ok(await note.isVisible());
  assert.equal(await chosen(yours.page, "Dataset"), "8 Gaussians (ring)");
  await yours.page.waitForFunction(() => location.search === "");
  await assertClean(yours);
  await context.close();
});

test("the L_simple experiment's dataset, steps and seed round-trip through the URL; a bad one gives a message", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/l-simple?dataset=two-moons&steps=800");
  const {page} = visited;
  await settle(visited);
  const experiment = page.locator("[data-testid=lsimple-experiment]");
  assert.equal(await chosen(page, "Dataset"), "Two moons");
  assert.equal(await experiment.getByLabel("Steps each", {exact: true}).inputValue(), "800");
  await experiment.getByLabel("Seed", {exact: true}).fill("x");
  await page.waitForTimeout(400);
  assert.equal((await params(page)).seed, undefined, "a value that fails its check is not written");
  await experiment.getByLabel("Seed", {exact: true}).fill("4");
  await urlHas(page, {dataset: "two-moons", steps: "800", seed: "4"});
  const {context: fresh, visited: again} = await reopen(site, page);
  const reopened = again.page.locator("[data-testid=lsimple-experiment]");
  assert.equal(await chosen(again.page, "Dataset"), "Two moons");
  assert.equal(await reopened.getByLabel("Steps each", {exact: true}).inputValue(), "800");
  assert.equal(await reopened.getByLabel("Seed", {exact: true}).inputValue(), "4");
  assert.equal(await again.page.locator(".url-problem").count(), 0);
  await assertClean(again);
  await fresh.close();

  const bad = await visit(context, site.origin, "/l-simple?steps=5&dataset=cifar");
  await settle(bad);
  const messages = await bad.page.locator(".url-problem").allTextContents();
  assert.equal(messages.length, 2, messages.join(" | "));
  assert.match(messages.join(" "), /steps to "5", but steps must be from 10 to 20000: showing the default, steps = 1500\./);
  assert.match(messages.join(" "), /dataset to "cifar", but dataset must be one of /);
  assert.equal(await bad.page.locator("[data-testid=lsimple-experiment]").getByLabel("Steps each", {exact: true}).inputValue(), "1500");
  await bad.page.waitForFunction(() => location.search === "");
  await assertClean(visited);
  await assertClean(bad);
  await context.close();
});

test("the GAN panel's and the race's settings round-trip through the URL, side by side on one page", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/why-diffusion?gan=minimax&gan-seed=4&race-data=grid-25&race-seconds=2.7&race-seeds=2");
  const {page} = visited;
  await settle(visited);
  const gan = page.locator("[data-testid=gan-panel]");
  const race = page.locator("[data-testid=race-panel]");
  assert.equal(await gan.getByLabel("GAN", {exact: true}).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent), "minimax loss (W1 as written)");
  assert.equal(await gan.getByLabel("Seed", {exact: true}).inputValue(), "4");
  assert.equal(await race.getByLabel("Data", {exact: true}).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent), "25 Gaussians (grid)");
  // 2.7 s is between the slider's steps: the nearest one, and a message that says so.
  const messages = await page.locator(".url-problem").allTextContents();
  assert.equal(messages.length, 1, messages.join(" | "));
  assert.match(messages[0], /race-seconds must be in steps of 0\.5 from 1; the nearest is race-seconds = 2\.5: showing race-seconds = 2\.5\./);
  assert.equal(await race.getByRole("spinbutton", {name: "Training seconds per model"}).inputValue(), "2.5");
  await urlHas(page, {"race-seconds": "2.5"});
  // Set from the controls.
  await gan.getByLabel("Steps", {exact: true}).fill("1200");
  await race.getByRole("spinbutton", {name: "Seeds"}).fill("4");
  await race.getByRole("spinbutton", {name: "Seeds"}).dispatchEvent("input");
  const expected = {gan: "minimax", "gan-seed": "4", "gan-steps": "1200", "race-data": "grid-25", "race-seconds": "2.5", "race-seeds": "4"};
  await urlHas(page, expected);
  const {context: fresh, visited: again} = await reopen(site, page);
  assert.deepEqual(await params(again.page), expected);
  assert.equal(await again.page.locator(".url-problem").count(), 0);
  assert.equal(await again.page.locator("[data-testid=gan-panel]").getByLabel("Steps", {exact: true}).inputValue(), "1200");
  assert.equal(await again.page.locator("[data-testid=race-panel]").getByRole("spinbutton", {name: "Seeds"}).inputValue(), "4");
  await assertClean(visited);
  await assertClean(again);
  await fresh.close();
  await context.close();
});

test("the L_simple page's timestep, Why diffusion's drift step and the Code page's search round-trip through the URL", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  for (const [path, set, expected, shown] of [
    ["/l-simple", async (p: Page) => p.getByRole("slider", {name: "Timestep"}).fill("39"), {t: "40"}, async (p: Page) => p.locator(".step-slider output").first().textContent()],
    ["/why-diffusion", async (p: Page) => p.getByRole("slider", {name: "Reverse step"}).fill("8"), {t: "300"}, async (p: Page) => p.locator(".step-slider output").first().textContent()],
    ["/code", async (p: Page) => p.getByLabel("Find", {exact: true}).fill("posterior"), {find: "posterior"}, async (p: Page) => String(await p.locator("main").textContent()).length]
  ] as const) {
    const visited = await visit(context, site.origin, path);
    await settle(visited);
    await set(visited.page);
    await urlHas(visited.page, expected);
    await settle(visited);
    const before = await shown(visited.page);
    const {context: fresh, visited: again} = await reopen(site, visited.page);
    assert.equal(await shown(again.page), before, `${path}: the same view after the link is opened`);
    assert.equal(await again.page.locator(".url-problem").count(), 0);
    await assertClean(visited);
    await assertClean(again);
    await fresh.close();
  }
  await context.close();
});
