// The Notation page in Chromium: the symbol tables render their math and link every function to
// the Code page; the live check passes and follows the step slider, to t = 1 and t = T.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

async function setStep(page: Page, t: number) {
  await page.$eval(
    "form input[type=number]",
    (input, value) => {
      const el = input as HTMLInputElement;
      el.value = String(value);
      el.dispatchEvent(new Event("input", {bubbles: true}));
    },
    t
  );
  await page.waitForFunction((value) => (document.querySelector("[data-testid=notation-values]") as HTMLElement | null)?.dataset.t === String(value), t, {timeout: 10_000});
}

const verdict = (page: Page) => page.$eval("[data-testid=check]", (el) => ({status: (el as HTMLElement).dataset.status ?? "", text: el.textContent ?? ""}));
const value = (page: Page, code: string) => page.$eval(`[data-testid=notation-values] tr[data-code="${code}"] td:nth-child(4)`, (td) => td.textContent ?? "");

test("the symbol tables link to the code, and the live check passes at every step tried", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/notation");

  // Symbols in KaTeX inside the tables, and links named after exported functions.
  assert.ok((await page.locator("table .katex").count()) > 50);
  const links = await page.$$eval("table a[href*='code#']", (as) => as.map((a) => a.getAttribute("href") ?? ""));
  assert.ok(links.length >= 35, `${links.length} links`);
  for (const name of ["makeSchedule", "qSample", "posteriorMean", "muTheta", "sigmaSquared", "priorTerm", "decoderTerm", "trueBoundWeight", "optimalEps", "toBitsPerDim"]) {
    assert.ok(links.some((href) => href.endsWith(`code#${name}`)), `no link to ${name}`);
  }

  await page.waitForSelector("[data-testid=notation-values]");
  let result = await verdict(page);
  assert.equal(result.status, "pass", result.text);
  assert.match(result.text, /t = 10:/);

  await setStep(page, 1);
  result = await verdict(page);
  assert.equal(result.status, "pass", result.text);
  assert.equal(await value(page, "s.beta[t − 1]"), "1.0000000e-4");
  assert.equal(await value(page, "s.betaTilde[t − 1]"), "0");

  await setStep(page, 1000);
  result = await verdict(page);
  assert.equal(result.status, "pass", result.text);
  assert.equal(await value(page, "s.beta[t − 1]"), "0.020000000");

  await assertClean({page, problems, external});
  await context.close();
});
