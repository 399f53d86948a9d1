// The Results page in Chromium: the tables show the papers' numbers with their own decimals, a
// click on a column's header sorts by it (aria-sort follows), the task filter works, the
// footnotes and charts are there, Table 2 (the ablation) is shown with its reading, and the two
// checks (Table 2 against Table 1, Sec. 4.3 against Table 1) pass.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

/** The text of one column of a table, top to bottom. */
const column = (page: Page, table: string, key: string) =>
  page.$$eval(`[data-testid=${table}] tbody td[data-key=${key}]`, (tds) => tds.map((td) => td.textContent ?? ""));
const sortState = (page: Page, table: string) =>
  page.$$eval(`[data-testid=${table}] th[aria-sort]`, (ths) => ths.map((th) => `${(th as HTMLElement).dataset.key}:${th.getAttribute("aria-sort")}`));

test("sortable tables with the papers' decimals, a task filter, charts and a passing check", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/results");
  await page.waitForSelector("[data-testid=cifar-table] tbody tr");

  // Table 1 in the paper's order, trailing zeros restored.
  assert.deepEqual(await sortState(page, "cifar-table"), ["order:ascending"]);
  const models = await column(page, "cifar-table", "model");
  assert.equal(models.length, 16);
  assert.match(models[0], /^EBM/);
  const is = await column(page, "cifar-table", "IS");
  assert.equal(is[0], "8.30");
  assert.equal(is[15], "9.46 ± 0.11");
  const nll = await column(page, "cifar-table", "NLL");
  assert.equal(nll[4], "≤ 5.40");
  assert.equal(nll[15], "≤ 3.75 (3.72)");
  assert.equal(await page.locator("[data-testid=cifar-table] tr[data-ddpm]").count(), 2);

  // Sort by FID: best first, empty cells last; again: worst first, empty cells still last.
  const fidButton = page.locator("[data-testid=cifar-table] th[data-key=FID] button");
  await fidButton.click();
  assert.deepEqual(await sortState(page, "cifar-table"), ["FID:ascending"]);
  let fid = await column(page, "cifar-table", "FID");
  assert.deepEqual(fid.slice(0, 3), ["2.67", "3.17", "3.26"]);
  assert.equal(fid[fid.length - 1], "");
  const sortedModels = await column(page, "cifar-table", "model");
  assert.match(sortedModels[1], /^Ours \(L_simple\)/);
  await fidButton.click();
  assert.deepEqual(await sortState(page, "cifar-table"), ["FID:descending"]);
  fid = await column(page, "cifar-table", "FID");
  assert.deepEqual(fid.slice(0, 2), ["65.93", "49.46"]);
  assert.equal(fid[fid.length - 1], "");
  // Back to the paper's order.
  await page.click("[data-testid=cifar-table] th[data-key=order] button");
  assert.match((await column(page, "cifar-table", "model"))[0], /^EBM/);

  // Table 5: all 32 rows, then one task; its DDPM row keeps the paper's one decimal.
  assert.equal((await column(page, "adm-table", "model")).length, 32);
  await page.selectOption("form select", {label: "LSUN Cats 256×256"});
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=adm-table] tbody tr").length === 3);
  assert.deepEqual(await column(page, "adm-table", "FID"), ["17.1", "7.25", "5.57"]);
  assert.deepEqual(await column(page, "adm-table", "sFID"), ["12.4", "6.33", "6.69"]);
  await page.click("[data-testid=adm-table] th[data-key=recall] button");
  assert.deepEqual(await column(page, "adm-table", "recall"), ["0.43", "0.48", "0.52"]);
  assert.deepEqual(await sortState(page, "adm-table"), ["recall:ascending"]);
  // Keyboard: the header buttons are focusable and sort on Enter.
  await page.focus("[data-testid=adm-table] th[data-key=recall] button");
  await page.keyboard.press("Enter");
  assert.deepEqual(await sortState(page, "adm-table"), ["recall:descending"]);

  const footnotes = (await page.textContent("[data-testid=adm-footnotes]")) ?? "";
  for (const mark of ["*", "†", "‡"]) assert.ok(footnotes.includes(mark), footnotes);
  // Two Table 1 charts, seven task charts, one scatter.
  assert.ok((await page.locator("svg.results-bars").count()) >= 9);
  assert.ok(await page.locator("svg[aria-label^='scatter plot of precision']").count() === 1);

  // Table 2: the ablation, blank cells as the paper's "–", and its reading computed from the cells.
  assert.deepEqual(await column(page, "ablation-table", "FID"), ["23.69", "13.22", "–", "–", "13.51", "3.17"]);
  assert.equal((await column(page, "ablation-table", "IS"))[5], "9.46 ± 0.11");
  assert.equal(await page.locator("[data-testid=ablation-table] .katex").count(), 6);
  const body = (await page.textContent("#observablehq-main")) ?? "";
  assert.match(body, /FID 3\.17, 4\.2 times lower than the\s+next best row/);
  assert.match(body, /unguided ADM reaches recall 0\.60–0\.65 at precision 0\.69–0\.73/);

  // Both checks pass: Table 2 against Table 1, and Sec. 4.3 against Table 1.
  const checks = await page.$$eval("[data-testid=check]", (els) => els.map((el) => ({status: (el as HTMLElement).dataset.status, text: el.textContent ?? ""})));
  assert.equal(checks.length, 2);
  for (const check of checks) assert.equal(check.status, "pass", check.text);
  assert.match(checks[0].text, /Table 2 against Table 1/);
  await assertClean({page, problems, external});
  await context.close();
});
