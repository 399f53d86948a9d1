// The Variational-bound page in Chromium: its three live checks (the ledger adds up and matches the
// trajectories; the bound is above the entropy for both σ_t²; L_T against T) pass, the chain-length
// selector updates the L_T readout, and "Run again with new noise" recomputes checks that still pass.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

const checks = (page: Page) =>
  page.$$eval("[data-testid=check]", (els) => els.map((el) => ({status: (el as HTMLElement).dataset.status ?? "", text: el.textContent ?? ""})));

async function allChecks(page: Page): Promise<{status: string; text: string}[]> {
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=check]").length === 3, null, {timeout: 120_000});
  return checks(page);
}

test("the bound page's checks pass, and re-run with new noise", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/bound");
  let results = await allChecks(page);
  for (const r of results) assert.equal(r.status, "pass", r.text);
  assert.match(results.map((r) => r.text).join("\n"), /1001 terms/);
  const ledger = await page.textContent("[data-testid=bound-ledger]");
  assert.match(ledger ?? "", /bits per dimension/);

  // The chain-length selector moves the readout: T = 1000 gives ᾱ_T ≈ 4e-5.
  const before10 = await page.textContent("[data-testid=prior-readout]");
  assert.match(before10 ?? "", /T = 10:/);
  // Inputs.select formats its numbers for display ("1,000"); pick the option by its text.
  const chainSelect = page.locator("select", {has: page.locator("option", {hasText: /^1,?000$/})});
  const value = await chainSelect.locator("option", {hasText: /^1,?000$/}).getAttribute("value");
  await chainSelect.selectOption(value!);
  await page.waitForFunction(() => /T = 1000:/.test(document.querySelector("[data-testid=prior-readout]")?.textContent ?? ""), null, {timeout: 10_000});

  // New noise: the ledger check is recomputed (its numbers change) and still passes.
  const firstLedger = results[0].text;
  await page.click("button:has-text('Run again with new noise')");
  await page.waitForFunction(
    (old) => {
      const el = document.querySelector("[data-testid=check]");
      return el && el.textContent !== old && document.querySelectorAll("[data-testid=check]").length === 3;
    },
    firstLedger,
    {timeout: 120_000}
  );
  await page.waitForFunction(() => Array.from(document.querySelectorAll(".bound-progress")).every((el) => (el as HTMLElement).dataset.state === "done"), null, {timeout: 120_000});
  results = await checks(page);
  for (const r of results) assert.equal(r.status, "pass", r.text);

  await assertClean({page, problems, external});
  await context.close();
});
