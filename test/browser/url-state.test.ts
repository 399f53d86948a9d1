// A control's state in the URL, on the Forward page (the example the other panels follow): the
// dataset and the step are written as they change and restored on load; a bad or stale value is
// answered with a visible message and the default, never a broken page.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, settle, useSite, visit} from "./harness.ts";
import {params, reopen, urlHas} from "./url-helpers.ts";

const site = useSite();

const shownStep = (page: Page) => page.locator(".step-slider output").first().textContent();
/** The dataset select's shown choice (Inputs.select's option values are indices). */
const selected = (page: Page) => page.$eval("select", (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");

test("the Forward page's dataset and step round-trip through the URL", async () => {
  const context = await site.browser.newContext();
  const visited = await visit(context, site.origin, "/forward");
  const {page} = visited;
  await settle(visited);
  assert.deepEqual(await params(page), {}, "the defaults leave the URL clean");
  await page.selectOption("select", {label: "8 Gaussians (ring)"});
  await page.waitForFunction(() => new URLSearchParams(location.search).get("dataset") === "ring-8");
  // Move the step (the slider is the page's, one for every dataset): the URL follows.
  await page.waitForSelector(".step-slider input");
  await page.$eval(".step-slider input", (input) => {
    const el = input as HTMLInputElement;
    el.value = String(Number(el.max) - 3);
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  await page.waitForFunction(() => new URLSearchParams(location.search).has("t"));
  const {t} = await params(page);
  assert.equal(await shownStep(page), `t = ${t}`);
  // The link opens the same view.
  const link = await page.evaluate(() => location.href);
  const again = await visit(context, site.origin, new URL(link).pathname + new URL(link).search);
  await settle(again);
  assert.equal(await selected(again.page), "8 Gaussians (ring)");
  assert.equal(await shownStep(again.page), `t = ${t}`);
  assert.equal(await again.page.locator(".url-problem").count(), 0);
  assert.match((await again.page.locator("[data-testid=check]").textContent()) ?? "", new RegExp(`t = ${t}:`));
  // Copy link: the button answers at once (the clipboard, or the address to copy by hand).
  await again.page.getByRole("button", {name: "Copy link to this view"}).click();
  await again.page.waitForFunction(() => /copied|Copy this link/.test(document.querySelector(".copy-link")?.textContent ?? ""));
  await assertClean(visited);
  await assertClean(again);
  await context.close();
});

test("t = 5000, an unknown dataset and text where a number goes give a visible message and the default", async () => {
  const context = await site.browser.newContext();
  for (const [query, expect] of [
    ["?t=5000&dataset=mnist", [/dataset to "mnist", but dataset must be one of swiss-roll, two-moons, ring-8/, /t to "5000", but t must be from 0 to 1000: showing the default, t = \d+/]],
    ["?t=abc", [/t to "abc", but t must be a whole number/]],
    ["?t=37", [/t = 37 is not one of the saved steps; the nearest is t = \d+/]]
  ] as const) {
    const visited = await visit(context, site.origin, `/forward${query}`);
    const {page} = visited;
    await settle(visited);
    const messages = await page.locator(".url-problem").allTextContents();
    assert.equal(messages.length, expect.length, `${query}: ${messages.join(" | ")}`);
    expect.forEach((pattern, k) => assert.match(messages[k], pattern));
    for (const message of await page.locator(".url-problem").all()) assert.ok(await message.isVisible());
    if (query.includes("mnist")) assert.equal(await selected(page), "Swiss roll");
    // The page works: its check ran, at the step the slider shows.
    const step = (await shownStep(page)) ?? "";
    assert.match((await page.locator("[data-testid=check]").textContent()) ?? "", new RegExp(`${step}:|t = 1:`));
    // The URL now says what is shown, so that copying it shares the same view.
    assert.equal((await params(page)).dataset, undefined);
    await assertClean(visited);
    await page.close();
  }
  await context.close();
});

const EXPLORER = "[data-testid=posterior-explorer]";
/** Waits until no computation on the page is still in progress ("Computing … 40%"). */
const computed = (page: Page) => page.waitForFunction(() => !/Computing/.test(document.querySelector("main")?.textContent ?? ""), null, {timeout: 120_000});
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? "").replace(/\s+/g, " ").trim();

test("every control of the Posterior, Notation, Bound and Results pages, and a derivation's step, round-trips through the URL: same state, same figure", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  // The posterior explorer: t, both points and σ², set from the keyboard and the menus.
  const visited = await visit(context, site.origin, "/posterior");
  const {page} = visited;
  await page.waitForSelector(`${EXPLORER} [data-testid=posterior-kl-value]`, {timeout: 30_000});
  await page.locator(EXPLORER).getByLabel("Model variance").selectOption({label: "σₜ² = βₜ"});
  await page.focus(`${EXPLORER} [data-handle=x0]`);
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
  await page.locator(EXPLORER).getByLabel("xₜ, second coordinate").fill("-0.5");
  await page.locator(EXPLORER).getByLabel("xₜ, second coordinate").dispatchEvent("change");
  await page.$eval(`${EXPLORER} .step-slider input`, (input) => {
    const el = input as HTMLInputElement;
    el.value = String(Number(el.value) + 4);
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  const state = await page.evaluate(() => {
    const value = (document.querySelector("[data-testid=posterior-explorer]") as any).value;
    return {t: String(value.t), x0: Array.from(value.x0 as Float64Array).join(",")};
  });
  assert.ok(Math.abs(Number(state.x0.split(",")[0]) - 1.73) < 1e-9 && state.x0.endsWith(",0.28"), state.x0);
  await urlHas(page, {t: state.t, x0: state.x0, sigma: "beta"});
  await page.waitForFunction(() => /,-0\.5$/.test(new URLSearchParams(location.search).get("xt") ?? ""));
  // The grid check's step and points, and the second derivation's step.
  await page.getByRole("spinbutton", {name: "x₀", exact: true}).fill("-1.5");
  await page.getByRole("spinbutton", {name: "x₀", exact: true}).dispatchEvent("input");
  await urlHas(page, {"grid-x0": "-1.5"});
  const derivation = page.locator(".derivation:has(.derivation-controls)").nth(1);
  await derivation.getByRole("button", {name: "Step through"}).click();
  await derivation.getByRole("button", {name: "Next step"}).click();
  await urlHas(page, {d2: "2"});
  const before = {explorer: await text(page, EXPLORER), grid: await text(page, "[data-testid=check]:not([data-testid=posterior-explorer] *)"), count: await text(page, ".derivation:has(.derivation-controls) >> nth=1 >> .derivation-controls span")};
  assert.equal(before.count, `step 2 of ${await derivation.locator(":scope > section, :scope > eqn, :scope > .katex-display").count()}`);

  const {context: fresh, visited: again} = await reopen(site, page);
  assert.equal(await again.page.locator(".url-problem").count(), 0);
  assert.equal(await text(again.page, EXPLORER), before.explorer, "the explorer reads the same after the link is opened");
  assert.equal(await text(again.page, "[data-testid=check]:not([data-testid=posterior-explorer] *)"), before.grid);
  const stepped = again.page.locator(".derivation:has(.derivation-controls)").nth(1);
  assert.equal(await text(again.page, ".derivation:has(.derivation-controls) >> nth=1 >> .derivation-controls span"), before.count);
  const equations = stepped.locator(":scope > section, :scope > eqn, :scope > .katex-display");
  assert.ok(await equations.nth(1).isVisible());
  assert.ok(!(await equations.nth(2).isVisible()), "the third step stays hidden");
  assert.ok(await again.page.locator(".derivation:has(.derivation-controls)").first().getByRole("button", {name: "Step through"}).isVisible(), "the first derivation shows all its steps");
  await assertClean(visited);
  await assertClean(again);
  await fresh.close();

  // Notation's t, Bound's T, Results' task: set, reopen, same figure (a browser that does not
  // remember the derivations' step-through from above, so that both show every step).
  await context.close();
  for (const [path, set, expected, figure] of [
    ["/notation", async (p: Page) => { await p.getByRole("spinbutton", {name: "Step t"}).fill("250"); await p.getByRole("spinbutton", {name: "Step t"}).dispatchEvent("input"); }, {t: "250"}, "main"],
    ["/bound", async (p: Page) => p.getByLabel("Chain length T").selectOption({label: "100"}), {T: "100"}, "[data-testid=prior-readout]"],
    ["/results", async (p: Page) => p.getByLabel("Task", {exact: true}).selectOption({index: 2}), {}, "main"]
  ] as const) {
    const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
    const v = await visit(context, site.origin, path);
    await settle(v);
    await set(v.page);
    if (path === "/results") await v.page.waitForFunction(() => new URLSearchParams(location.search).has("task"));
    else await urlHas(v.page, expected);
    await settle(v);
    await computed(v.page);
    const shown = await text(v.page, figure);
    if (path === "/bound") assert.match(shown, /With T = 100:/);
    const {context: other, visited: back} = await reopen(site, v.page);
    await computed(back.page);
    const reopened = await text(back.page, figure);
    const at = [...shown].findIndex((c, i) => reopened[i] !== c);
    assert.ok(at === -1 && reopened.length === shown.length, `${path}: the page reads differently after its link is opened, from\n${shown.slice(at - 100, at + 200)}\nto\n${reopened.slice(at - 100, at + 200)}`);
    assert.equal(await back.page.locator(".url-problem").count(), 0);
    await assertClean(v);
    await assertClean(back);
    await other.close();
    await context.close();
  }
});

test("bad values in the Posterior page's URL give a visible message and the default, and the page works", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/posterior?t=1&x0=9,9&xt=abc&sigma=gamma&grid-x0=7&d1=99");
  const {page} = visited;
  await page.waitForSelector(`${EXPLORER} [data-testid=posterior-kl-value]`, {timeout: 30_000});
  await settle(visited);
  const messages = await page.locator(".url-problem").allTextContents();
  for (const pattern of [/t to "1", but t must be from 2 to 1000/, /x0 to "9,9", but x0 must be two numbers "x,y", each from -4 to 4/, /xt to "abc"/, /sigma to "gamma", but sigma must be one of betaTilde, beta/, /grid-x0 to "7", but grid-x0 must be from -3 to 3: showing the default, grid-x0 = 1\./, /d1 to "99", but d1 must be from 1 to \d+/]) {
    assert.ok(messages.some((m) => pattern.test(m)), `${pattern} in:\n${messages.join("\n")}`);
  }
  for (const message of await page.locator(".url-problem").all()) assert.ok(await message.isVisible());
  assert.match(await text(page, EXPLORER), /t = 30:/);
  assert.equal(await page.getByRole("spinbutton", {name: "x₀", exact: true}).inputValue(), "1");
  // The URL now says what is shown.
  assert.deepEqual(await params(page), {});
  await assertClean(visited);
  await context.close();
});
