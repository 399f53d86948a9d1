// A control's state in the URL, on the Forward page (the example the other panels follow): the
// dataset and the step are written as they change and restored on load; a bad or stale value is
// answered with a visible message and the default, never a broken page.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, settle, useSite, visit} from "./harness.ts";

const site = useSite();

const shownStep = (page: Page) => page.locator(".step-slider output").first().textContent();
/** The dataset select's shown choice (Inputs.select's option values are indices). */
const selected = (page: Page) => page.$eval("select", (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
const params = (page: Page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));

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
