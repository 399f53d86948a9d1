// Exercises as a reader meets them: an unreadable answer is named with the forms that are read,
// a known slip gets its hint, a wrong number says too high or too low, a right one marks the
// exercise solved and moves the page's count; after a reload the exercise is still solved, shows
// the answer that solved it, and the count is kept. Where the browser blocks storage, all of it
// works except the remembering, and the page says so.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {BrowserContext, Locator, Page} from "playwright-core";
import {assertClean, settle, useSite, visit} from "./harness.ts";

const site = useSite();

async function open(context: BrowserContext, path: string) {
  const visited = await visit(context, site.origin, path);
  await settle(visited);
  return visited;
}

async function answer(exercise: Locator, text: string): Promise<string> {
  await exercise.getByRole("textbox").fill(text);
  await exercise.getByRole("button", {name: "Check"}).click();
  const verdict = exercise.locator(".exercise-verdict");
  assert.ok(await verdict.isVisible(), `no verdict shown for ${text}`);
  return (await verdict.innerText()).replace(/\s+/g, " ");
}

async function progress(page: Page): Promise<string> {
  const line = page.locator(".exercise-progress");
  assert.equal(await line.count(), 1, "one progress line per page");
  assert.ok(await line.isVisible(), "the progress line is not visible");
  return line.innerText();
}

test("an exercise says why an answer is not accepted, counts a right one, and keeps it after a reload", async () => {
  const context = await site.browser.newContext();
  let visited = await open(context, "/l-simple");
  let page = visited.page;
  assert.equal(await progress(page), "0 of 3 exercises solved on this page");
  // The progress line stands above the first exercise.
  const [lineBox, firstBox] = await Promise.all([page.locator(".exercise-progress").boundingBox(), page.locator(".exercise").first().boundingBox()]);
  assert.ok(lineBox && firstBox && lineBox.y + lineBox.height <= firstBox.y + 1, "the count is not above the first exercise");

  let lambda = page.locator("[data-exercise=lsimple-lambda-500]");
  assert.match(await answer(lambda, "abc"), /could not read a number from “abc”.*0\.5, −2, 1e-3.*1\/180/);
  assert.match(await answer(lambda, "0,0055"), /use a point for decimals/);
  assert.match(await answer(lambda, ""), /type a number first/);
  // The result without the 1/α_t factor (−1.0 %), which the old 2 % tolerance accepted.
  assert.match(await answer(lambda, "0.00545"), /not yet — close: check the 1.*α.*factor — \(S9\) divides by/);
  assert.match(await answer(lambda, "0.006"), /not yet — too high/);
  assert.match(await answer(lambda, "5e-3"), /not yet — too low/);
  assert.equal(await lambda.getAttribute("data-solved"), null);
  assert.equal(await lambda.locator(".exercise-solved").isVisible(), false, "'✓ solved' shown before it is solved");
  assert.equal(await progress(page), "0 of 3 exercises solved on this page");

  assert.match(await answer(lambda, "0.00550"), /✓ correct/);
  assert.equal(await lambda.getAttribute("data-solved"), "true");
  assert.equal(await lambda.locator(".exercise-solved").innerText(), "✓ solved");
  assert.ok(await lambda.locator(".exercise-solved").isVisible());
  assert.equal(await progress(page), "1 of 3 exercises solved on this page");
  // A choice exercise: a wrong choice, then the right one.
  const largest = page.locator("[data-exercise=lsimple-largest-weight]");
  await largest.getByRole("combobox").selectOption("t = 500");
  await largest.getByRole("button", {name: "Check"}).click();
  assert.match(await largest.locator(".exercise-verdict").innerText(), /not yet/);
  await largest.getByRole("combobox").selectOption("t = 2");
  await largest.getByRole("button", {name: "Check"}).click();
  assert.equal(await progress(page), "2 of 3 exercises solved on this page");
  // Checking a solved exercise again does not count it twice.
  await largest.getByRole("button", {name: "Check"}).click();
  assert.equal(await progress(page), "2 of 3 exercises solved on this page");
  await assertClean(visited);
  await page.close();

  // After a reload: still solved, the accepted answers in their fields, the count kept, the worked answer at hand.
  visited = await open(context, "/l-simple");
  page = visited.page;
  lambda = page.locator("[data-exercise=lsimple-lambda-500]");
  assert.equal(await progress(page), "2 of 3 exercises solved on this page");
  assert.equal(await lambda.getAttribute("data-solved"), "true");
  assert.ok(await lambda.locator(".exercise-solved").isVisible(), "'✓ solved' not shown after a reload");
  assert.equal(await lambda.getByRole("textbox").inputValue(), "0.00550");
  assert.equal(await page.locator("[data-exercise=lsimple-largest-weight]").getByRole("combobox").inputValue(), "t = 2");
  const unsolved = page.locator("[data-exercise=lsimple-variance-constant-t3]");
  assert.equal(await unsolved.locator(".exercise-solved").isVisible(), false);
  await lambda.getByText("Worked answer").click();
  assert.ok(await lambda.locator("details p").first().isVisible(), "the worked answer does not open");
  assert.match(await lambda.locator("details").innerText(), /about 1\/180/);
  await assertClean(visited);
  await context.close();
});

test("exercises work where storage is blocked, and the page says progress is not remembered", async () => {
  const context = await site.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("storage blocked", "SecurityError");
      }
    });
  });
  let visited = await open(context, "/results");
  const rmse = visited.page.locator("[data-exercise=results-rmse]");
  assert.match(await progress(visited.page), /^0 of 3 exercises solved on this page \(.*not let the page remember/);
  // 2/256 instead of 2/255 (−0.39 %), which the old 1 % tolerance accepted.
  assert.match(await answer(rmse, "0.00742"), /not yet — close: the 0–255 scale is 255 steps/);
  assert.match(await answer(rmse, "0.00745"), /✓ correct/);
  assert.ok(await rmse.locator(".exercise-solved").isVisible());
  assert.match(await progress(visited.page), /^1 of 3 exercises solved/);
  await assertClean(visited);
  await visited.page.close();
  visited = await open(context, "/results");
  assert.match(await progress(visited.page), /^0 of 3 exercises solved/);
  await assertClean(visited);
  await context.close();
});
