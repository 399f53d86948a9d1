// Numeric fields outside the Training page go through the same check (lib/validate.ts): the L_simple
// experiment's seed and the GAN's seed and steps refuse what is not allowed in words naming the
// field, the value and the range (observation 9), and the experiment's status never prints a NaN
// loss (observation 10).
import {test} from "node:test";
import assert from "node:assert/strict";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

test("L_simple experiment: an empty or non-numeric seed is refused by name; no 'loss NaN' before the first step", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/l-simple");
  const experiment = page.locator("[data-testid=lsimple-experiment]");
  await experiment.waitFor({timeout: 60_000});
  const seed = experiment.getByLabel("Seed", {exact: true});
  const start = experiment.getByRole("button", {name: "Train both"});
  for (const [typed, expected] of [
    ["", "Seed: the field is empty; choose a whole number from 0 to 999999"],
    ["abc", "Seed: “abc” is not a number; choose a whole number from 0 to 999999"]
  ]) {
    await seed.fill(typed);
    await start.click();
    const text = (await experiment.locator("[role=alert]").textContent()) ?? "";
    assert.equal(text, expected);
    assert.equal(await experiment.getAttribute("data-state"), "idle", `seed “${typed}” started the experiment`);
  }
  await seed.fill("1");
  await page.fill("[data-testid=lsimple-steps]", "10");
  // Every text the two status lines show, from the first.
  await page.evaluate(() => {
    const seen: string[] = ((window as any).__statusTexts = []);
    for (const kind of ["simple", "vlb"]) {
      const node = document.querySelector(`[data-testid=lsimple-status-${kind}]`)!;
      new MutationObserver(() => seen.push(node.textContent ?? "")).observe(node, {childList: true, characterData: true, subtree: true});
    }
  });
  await start.click();
  await page.waitForFunction(() => /step \d+\/10/.test(document.querySelector("[data-testid=lsimple-status-simple]")?.textContent ?? ""), null, {timeout: 60_000});
  await page.waitForFunction(() => /step 10\/10|steps done/.test(document.querySelector("[data-testid=lsimple-status-vlb]")?.textContent ?? ""), null, {timeout: 60_000});
  await experiment.getByRole("button", {name: "Stop"}).click();
  const texts: string[] = await page.evaluate(() => (window as any).__statusTexts);
  console.log(`# status lines seen: ${texts.length}, e.g. ${texts.find((t) => /step 0\//.test(t)) ?? texts[0]}`);
  assert.ok(texts.some((t) => /step \d+\/10/.test(t)));
  assert.deepEqual(texts.filter((t) => /NaN/.test(t)), [], "a status line printed NaN");
  await assertClean({page, problems, external});
  await context.close();
});

test("GAN panel: steps and seed are checked like every other field", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const {page, problems, external} = await visit(context, site.origin, "/why-diffusion");
  const panel = page.locator("[data-testid=gan-panel]");
  await panel.waitFor({timeout: 60_000});
  const steps = panel.getByLabel("Steps", {exact: true});
  const seed = panel.getByLabel("Seed", {exact: true});
  const start = panel.locator("button[data-action=gan-start]");
  for (const [field, typed, expected] of [
    [steps, "abc", "Steps: “abc” is not a number; choose a whole number from 1 to 100000"],
    [steps, "1e9", "Steps: 1e9 is not allowed; choose a whole number from 1 to 100000"],
    [seed, "abc", "Seed: “abc” is not a number; choose a whole number from 0 to 999999"]
  ] as const) {
    await field.fill(typed);
    await start.click({force: true, timeout: 2000}).catch(() => undefined);
    await page.waitForTimeout(300);
    assert.equal((await panel.locator("[role=alert]").textContent())?.trim(), expected);
    assert.equal(await page.getAttribute("[data-testid=gan-status]", "data-running"), "false", `“${typed}” started the GAN`);
    assert.match((await page.textContent("[data-testid=gan-status]")) ?? "", /Not started/);
    await field.fill(field === steps ? "3000" : "1");
  }
  assert.ok(await start.isEnabled(), "fixed: Train the GAN is back");
  assert.equal(await panel.locator("[role=alert]").isHidden(), true);
  await assertClean({page, problems, external});
  await context.close();
});
