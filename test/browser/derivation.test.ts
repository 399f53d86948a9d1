// The derivation stepper as a reader meets it: "Step through" shows one step at a time — the
// step's equation and its reason, nothing after it — keyboard focus stays on the control that
// moves it (so Space and Enter keep stepping), and a remembered step mode opens the next page at
// step 1 with that step's equation and reason on screen. What is checked is what is visible
// (layout boxes), not the counter.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {BrowserContext, Locator, Page} from "playwright-core";
import {assertClean, settle, useSite, visit} from "./harness.ts";

const site = useSite();

/** Every page with a derivation (a `<div class="derivation">` of two or more steps). */
const DERIVATION_PAGES = ["/why-diffusion", "/forward", "/posterior", "/bound", "/l-simple", "/training"];

/** For each step of the `index`-th stepped derivation: is its equation on screen, and each of its reasons? */
async function stepVisibility(page: Page, index: number): Promise<{equation: boolean; reasons: boolean[]}[]> {
  // (No named helper functions inside evaluate: the test runner's transform would wrap them in a
  // helper that does not exist in the page.)
  return page.evaluate((i) => {
    const block = Array.from(document.querySelectorAll(".derivation")).filter((b) => b.querySelector(".derivation-controls"))[i];
    const steps: {equation: boolean; reasons: boolean[]}[] = [];
    for (const child of Array.from(block.children)) {
      const box = child.getBoundingClientRect();
      const shown = box.width > 0 && box.height > 0 && getComputedStyle(child).visibility !== "hidden";
      if (child.matches("section.eqno")) steps.push({equation: shown, reasons: []});
      else if (child.matches("p.why") && steps.length > 0) steps[steps.length - 1].reasons.push(shown);
    }
    return steps;
  }, index);
}

/** Asserts that steps 1…k show their equation and every reason, and that nothing after step k shows. */
async function assertShowsThrough(page: Page, index: number, k: number, where: string): Promise<number> {
  const steps = await stepVisibility(page, index);
  steps.forEach((step, i) => {
    const expected = i < k;
    const label = `${where}, derivation ${index + 1}, step ${i + 1} of ${steps.length}, with ${k} shown`;
    assert.ok(step.reasons.length > 0, `${label}: the step has no reason (p.why) to show`);
    assert.equal(step.equation, expected, `${label}: equation ${expected ? "hidden, should be visible" : "visible, should be hidden"}`);
    step.reasons.forEach((reason, r) =>
      assert.equal(reason, expected, `${label}: reason ${r + 1} ${expected ? "hidden, should be visible" : "visible, should be hidden"}`)
    );
  });
  return steps.length;
}

/** The focused element, described: its text and whether it is a visible part of the `index`-th stepped derivation. */
async function focused(page: Page, index: number): Promise<{text: string; inBlock: boolean; visible: boolean}> {
  return page.evaluate((i) => {
    const block = Array.from(document.querySelectorAll(".derivation")).filter((b) => b.querySelector(".derivation-controls"))[i];
    const active = document.activeElement;
    const box = active?.getBoundingClientRect();
    return {
      text: active === document.body ? "<body>" : (active?.textContent ?? "").trim().slice(0, 40) || `<${active?.tagName.toLowerCase()}>`,
      inBlock: !!active && block.contains(active),
      visible: !!box && box.width > 0 && box.height > 0
    };
  }, index);
}

function stepped(page: Page): Locator {
  return page.locator(".derivation:has(.derivation-controls)");
}

async function open(context: BrowserContext, path: string) {
  const visited = await visit(context, site.origin, path);
  await settle(visited);
  return visited;
}

test("Step through shows one step at a time: its equation and its reason, nothing after it (/forward, /posterior)", async () => {
  const context = await site.browser.newContext();
  for (const path of ["/forward", "/posterior"]) {
    const visited = await open(context, path);
    const {page} = visited;
    const blocks = await stepped(page).count();
    assert.ok(blocks >= 1, `${path}: no stepped derivation`);
    for (let index = 0; index < blocks; index++) {
      const block = stepped(page).nth(index);
      const total = await assertShowsThrough(page, index, Infinity, `${path} before stepping`);
      await block.getByRole("button", {name: "Step through"}).click();
      for (let k = 1; k <= total; k++) {
        await assertShowsThrough(page, index, k, path);
        if (k < total) {
          assert.equal(await block.locator(".derivation-controls span").textContent(), `step ${k} of ${total}`);
          await block.getByRole("button", {name: "Next step"}).click();
        }
      }
      assert.equal(await block.getByRole("button", {name: "Next step"}).isVisible(), false, `${path}: "Next step" still shown after the last step`);
      assert.equal(await block.getByRole("button", {name: "Step through"}).isVisible(), true, `${path}: "Step through" not back after the last step`);
      // "Show all" from the middle of a derivation shows every step again.
      await block.getByRole("button", {name: "Step through"}).click();
      await block.getByRole("button", {name: "Show all"}).click();
      await assertShowsThrough(page, index, total, `${path} after "Show all"`);
    }
    await assertClean(visited);
    await page.close();
  }
  await context.close();
});

test("the stepper keeps focus on its controls: Space and Enter step on, and focus lands on a visible control at the end", async () => {
  const context = await site.browser.newContext();
  const visited = await open(context, "/forward");
  const {page} = visited;
  const block = stepped(page).first();
  const total = (await stepVisibility(page, 0)).length;
  await block.getByRole("button", {name: "Step through"}).focus();
  await page.keyboard.press("Space");
  await assertShowsThrough(page, 0, 1, "after Space on Step through");
  assert.deepEqual(await focused(page, 0), {text: "Next step", inBlock: true, visible: true}, "focus after Space on Step through");
  for (let k = 2; k <= total; k++) {
    await page.keyboard.press(k % 2 === 0 ? "Enter" : "Space");
    await assertShowsThrough(page, 0, k, `after ${k - 1} key presses on Next step`);
    const expected = k < total ? "Next step" : "Step through";
    assert.deepEqual(await focused(page, 0), {text: expected, inBlock: true, visible: true}, `focus with ${k} of ${total} steps shown`);
  }
  // From the last step, Space on the focused "Step through" starts again at step 1.
  const scrollBefore = await page.evaluate(() => window.scrollY);
  await page.keyboard.press("Space");
  await assertShowsThrough(page, 0, 1, "after Space on Step through again");
  assert.deepEqual(await focused(page, 0), {text: "Next step", inBlock: true, visible: true});
  assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - scrollBefore) < 200, "Space scrolled the page instead of stepping");
  // Tab to "Show all" and press Enter: every step shows, focus moves to the "Step through" that replaces it.
  await page.keyboard.press("Tab");
  assert.equal((await focused(page, 0)).text, "Show all");
  await page.keyboard.press("Enter");
  await assertShowsThrough(page, 0, total, "after Enter on Show all");
  assert.deepEqual(await focused(page, 0), {text: "Step through", inBlock: true, visible: true}, "focus after Show all");
  await assertClean(visited);
  await context.close();
});

test("a remembered step mode opens every derivation page at step 1, equation and reason visible, and each step shows its reason", async () => {
  const context = await site.browser.newContext();
  const first = await open(context, "/forward");
  await stepped(first.page).first().getByRole("button", {name: "Step through"}).click();
  await first.page.close();
  for (const path of DERIVATION_PAGES) {
    const visited = await open(context, path);
    const {page} = visited;
    const blocks = await stepped(page).count();
    assert.ok(blocks >= 1, `${path}: no stepped derivation`);
    for (let index = 0; index < blocks; index++) {
      const block = stepped(page).nth(index);
      const total = await assertShowsThrough(page, index, 1, `${path} opened in step mode`);
      assert.equal(await block.locator(".derivation-controls span").textContent(), `step 1 of ${total}`);
      for (let k = 2; k <= total; k++) {
        await block.getByRole("button", {name: "Next step"}).click();
        await assertShowsThrough(page, index, k, `${path} opened in step mode`);
      }
    }
    await assertClean(visited);
    await page.close();
  }
  // "Show all" forgets the step mode: the next page shows every step.
  const last = await open(context, "/posterior");
  await stepped(last.page).first().getByRole("button", {name: "Show all"}).click();
  await last.page.close();
  const after = await open(context, "/forward");
  await assertShowsThrough(after.page, 0, Infinity, "/forward after Show all");
  assert.equal(await stepped(after.page).first().getByRole("button", {name: "Next step"}).isVisible(), false);
  await assertClean(after);
  await context.close();
});

test("the stepper works where storage is blocked", async () => {
  const context = await site.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("storage blocked", "SecurityError");
      }
    });
  });
  const visited = await open(context, "/forward");
  const {page} = visited;
  const block = stepped(page).first();
  const total = await assertShowsThrough(page, 0, Infinity, "storage blocked, before stepping");
  await block.getByRole("button", {name: "Step through"}).click();
  await assertShowsThrough(page, 0, 1, "storage blocked");
  await block.getByRole("button", {name: "Next step"}).click();
  await assertShowsThrough(page, 0, 2, "storage blocked");
  await block.getByRole("button", {name: "Show all"}).click();
  await assertShowsThrough(page, 0, total, "storage blocked, after Show all");
  await assertClean(visited);
  await context.close();
});
