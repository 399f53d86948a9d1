// Screenshots of the Training panel in the states a reader meets: while training, paused, after
// "Start from scratch", and after a fault (a lost WebGL context), at 1280 and 390 px, light and
// dark: `node --import tsx scripts/training-screenshots.ts` (a built site in dist/). Writes
// test/output/screenshots/training-<state>-<width>-<scheme>.png (the panel only).
import {mkdirSync} from "node:fs";
import type {Page} from "playwright-core";
import {launchBrowser, serveDist, visit} from "../test/browser/harness.ts";
import {injectFault, installFaults} from "../test/browser/faults.ts";

const out = "test/output/screenshots";
mkdirSync(out, {recursive: true});
const {server, origin} = await serveDist();
const browser = await launchBrowser();

const waitForStatus = (page: Page, pattern: RegExp, timeout = 90_000) =>
  page.waitForFunction((source) => new RegExp(source).test(document.querySelector("[data-testid=status]")?.textContent ?? ""), pattern.source, {timeout});
const waitForStep = (page: Page, atLeast: number, timeout = 90_000) =>
  page.waitForFunction((n) => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= n, atLeast, {timeout});
const train = (page: Page) => page.locator("[data-testid=training-panel] button[data-action=start]");

async function shot(page: Page, state: string, width: number, scheme: string) {
  const name = `${out}/training-${state}-${width}-${scheme}.png`;
  await page.waitForTimeout(400); // let the canvases paint
  await page.locator("[data-testid=training-panel]").screenshot({path: name});
  console.log(name);
}

try {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({viewport: {width, height: 900}, colorScheme});
      await installFaults(context);
      const {page} = await visit(context, origin, "/training");
      await waitForStatus(page, /^Paused on/);
      await train(page).click();
      await waitForStep(page, 1150);
      await page.waitForFunction(() => /samples \(step 1,[1-9]/.test(document.querySelector("[data-testid=samples]")?.textContent ?? ""), null, {timeout: 240_000});
      await shot(page, "training", width, colorScheme);
      await train(page).click();
      await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.running === "false");
      await shot(page, "paused", width, colorScheme);
      await page.getByRole("button", {name: "Start from scratch"}).click();
      await page.waitForFunction(() => (document.querySelector("[data-testid=status]") as HTMLElement).dataset.step === "0");
      await shot(page, "scratch", width, colorScheme);
      // A fault: training on WebGL, its context lost.
      await page.getByLabel("Backend").selectOption({index: 2});
      await waitForStatus(page, /^Paused on WebGL/);
      await train(page).click();
      await waitForStep(page, 2);
      await injectFault(page, "lose-context");
      await waitForStatus(page, /^Training on WebAssembly/, 30_000);
      await shot(page, "fault", width, colorScheme);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
