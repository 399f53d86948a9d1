// `npm run faults`: the Training page under faults a reader may meet, each injected from outside
// the site (test/browser/faults.ts), and what the reader sees. Prints a table: fault → what the
// reader saw → whether training recovered (kept or resumed stepping). Needs a built site (dist/).
import type {Browser, Page} from "playwright-core";
import {launchBrowser, serveDist, visit} from "../test/browser/harness.ts";
import {injectFault, installFaults, type FaultOptions} from "../test/browser/faults.ts";

interface Row {
  fault: string;
  saw: string;
  recovered: boolean;
  seconds: number;
}

const {server, origin} = await serveDist();
const rows: Row[] = [];

const statusText = (page: Page) => page.textContent("[data-testid=status]").then((t) => t ?? "");
const stepOf = (page: Page) => page.$eval("[data-testid=status]", (el) => Number((el as HTMLElement).dataset.step ?? NaN));
const alerts = async (page: Page) =>
  (await page.locator("[data-testid=training-panel] [role=alert]").allTextContents()).map((t) => t.trim()).filter(Boolean).join(" / ");
const waitForStatus = (page: Page, pattern: RegExp, timeout: number) =>
  page.waitForFunction((source) => new RegExp(source).test(document.querySelector("[data-testid=status]")?.textContent ?? ""), pattern.source, {timeout});
const trainButton = (page: Page) => page.locator("[data-testid=training-panel] button[data-action=start]");
/** The status line's first two parts ("Training on WebAssembly · step 1,234"). */
const short = (text: string) => text.split(" · ").slice(0, 2).join(" · ");

/** Whether the step count grows by `by` within `ms` (pressing Train first if paused). */
async function trains(page: Page, by = 5, ms = 30_000): Promise<boolean> {
  try {
    if ((await page.$eval("[data-testid=status]", (el) => (el as HTMLElement).dataset.running)) !== "true") await trainButton(page).click({timeout: 5000});
    const from = await stepOf(page);
    await page.waitForFunction(([n, k]) => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= n + k, [from, by] as const, {timeout: ms});
    return true;
  } catch {
    return false;
  }
}

async function scenario(name: string, browser: Browser, options: FaultOptions, run: (page: Page, problems: string[]) => Promise<{saw: string; recovered: boolean}>) {
  const start = Date.now();
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  try {
    await installFaults(context, options);
    const {page, problems} = await visit(context, origin, "/training");
    const {saw, recovered} = await run(page, problems);
    rows.push({fault: name, saw, recovered, seconds: (Date.now() - start) / 1000});
  } catch (error) {
    rows.push({fault: name, saw: `the script failed: ${(error as Error).message.split("\n")[0]}`, recovered: false, seconds: (Date.now() - start) / 1000});
  } finally {
    await context.close();
  }
  console.error(`${name}: done in ${((Date.now() - start) / 1000).toFixed(0)} s`);
}

const browser = await launchBrowser();
try {
  await scenario("WebGL context lost while training on WebGL", browser, {}, async (page) => {
    await waitForStatus(page, /^Paused on/, 60_000);
    await page.getByLabel("Backend").selectOption({index: 2});
    await waitForStatus(page, /^Paused on WebGL/, 60_000);
    await trainButton(page).click();
    await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 1002, null, {timeout: 90_000});
    await injectFault(page, "lose-context");
    await page.waitForFunction(() => /context was lost/.test(document.querySelector("[data-testid=training-panel]")?.textContent ?? ""), null, {timeout: 30_000}).catch(() => undefined);
    const saw = `${await alerts(page)} — status: ${short(await statusText(page))}`;
    return {saw, recovered: /WebAssembly|CPU/.test(await statusText(page)) && (await trains(page))};
  });

  await scenario("training worker stops responding", browser, {}, async (page) => {
    await waitForStatus(page, /^Paused on/, 60_000);
    await trainButton(page).click();
    await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 1010, null, {timeout: 60_000});
    await injectFault(page, "stall");
    await page.waitForFunction(() => /stopped responding/.test(document.querySelector("[data-testid=training-panel]")?.textContent ?? ""), null, {timeout: 30_000}).catch(() => undefined);
    const saw = `${await alerts(page)} — status: ${short(await statusText(page))}`;
    return {saw, recovered: await trains(page)};
  });

  await scenario("site data (storage) blocked", browser, {storageBlocked: true}, async (page, problems) => {
    await waitForStatus(page, /^Paused on/, 60_000);
    const errors = problems.filter((p) => /error/i.test(p)).map((p) => p.slice(0, 90));
    const saw = `${short(await statusText(page))}${errors.length ? `; console: ${errors.length} error(s) outside the panel, e.g. “${errors[0]}”` : "; no errors"}`;
    return {saw, recovered: await trains(page)};
  });

  await scenario("WebAssembly missing (.wasm answered 404)", browser, {missing: [/\.wasm$/]}, async (page) => {
    await waitForStatus(page, /^Paused on/, 60_000);
    const saw = `${short(await statusText(page))}; menu: ${await page.$eval("[data-testid=training-panel]", () => {
      const select = [...document.querySelectorAll("[data-testid=training-panel] select")].find((s) => (s as HTMLSelectElement).labels?.[0]?.textContent === "Backend") as HTMLSelectElement;
      return Array.from(select.options, (o) => o.textContent).join(" | ");
    })}`;
    return {saw, recovered: await trains(page)};
  });

  await scenario("2 s delay on every big file (tfjs, .wasm, Plotly, reference model)", browser, {delays: [{pattern: /tf\.fesm|tf-backend|\.wasm|plotly|\/reference\//, ms: 2000}]}, async (page) => {
    const shown: string[] = [];
    for (let i = 0; i < 6; i++) {
      const text = await page.evaluate(() => {
        const panel = document.querySelector("[data-testid=training-panel]");
        if (!panel) return "(no panel yet)";
        const status = panel.querySelector("[data-testid=status]")?.textContent ?? "";
        const notes = [...panel.querySelectorAll(".tp-placeholder, [data-testid=quality]")].map((n) => n.textContent ?? "").filter((t) => /Loading/.test(t));
        return [status.split(" · ")[0], ...notes].join("; ");
      });
      if (!shown.includes(text)) shown.push(text);
      await page.waitForTimeout(500);
    }
    await waitForStatus(page, /^Paused on/, 60_000);
    return {saw: `at 0.5 s steps: ${shown.join(" → ")}`, recovered: await trains(page)};
  });

  await scenario("training worker's script missing (404)", browser, {workerMissing: true}, async (page) => {
    await page.waitForFunction(() => /could not start|failed/.test(document.querySelector("[data-testid=training-panel]")?.textContent ?? ""), null, {timeout: 30_000});
    const reason = (await page.textContent("[data-testid=reason]")) ?? "";
    return {saw: `${await alerts(page)} — status: ${short(await statusText(page))}; ${reason}`, recovered: false};
  });
} finally {
  await browser.close();
}

// WebGL missing needs its own browser. (--disable-webgl does not turn it off in headless
// Chromium's workers; without a GPU process or software rasterizer no WebGL context can be made.)
const noWebgl = await launchBrowser(["--disable-gpu", "--disable-software-rasterizer"]);
try {
  await scenario("WebGL missing (--disable-gpu --disable-software-rasterizer)", noWebgl, {}, async (page) => {
    await waitForStatus(page, /^Paused on/, 60_000);
    const webgl = await page.$eval("[data-testid=training-panel]", () => {
      const select = [...document.querySelectorAll("[data-testid=training-panel] select")].find((s) => (s as HTMLSelectElement).labels?.[0]?.textContent === "Backend") as HTMLSelectElement;
      return select.options[2].textContent ?? "";
    });
    return {saw: `${short(await statusText(page))}; menu: ${webgl}`, recovered: await trains(page)};
  });
} finally {
  await noWebgl.close();
  server.close();
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");
console.log("\n| fault | what the reader saw | recovered |\n| --- | --- | --- |");
for (const row of rows) console.log(`| ${cell(row.fault)} | ${cell(row.saw)} | ${row.recovered ? "yes" : "no"} (${row.seconds.toFixed(0)} s) |`);
