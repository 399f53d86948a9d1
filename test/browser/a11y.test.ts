// Accessibility and layout stability of every built page, in one visit per page at 1280 px (light,
// then switched to dark). Accessibility is checked with axe-core (the rules of WCAG 2.x A and AA
// and axe's best practices) once the page's live cells have drawn: no critical or serious
// violation is allowed; a moderate or minor one passes only where the allow-list below names its
// rule and page with a reason, so a new violation fails. Layout stability: the Layout Instability
// API's shifts (those without recent input), summed from the first paint until the live cells
// have drawn, stay at or below 0.02. No live region speaks more than a few times while a page
// loads. Then what axe cannot see: the training status speaks only
// when something happens, "Sample now" is heard, a scrolling code block scrolls from the
// keyboard, and the ledger chart reads as one image with its numbers in a table and no toolbar in
// the Tab order.
import {after, before, describe, test} from "node:test";
import assert from "node:assert/strict";
import {createRequire} from "node:module";
import type {BrowserContext, Page} from "playwright-core";
import {assertClean, builtPages, drawn, useSite, visit} from "./harness.ts";

const site = useSite();
const pages = builtPages();
// axe-core from node_modules, injected into the page as a script: nothing is fetched.
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface Allowed {
  rule: string;
  /** Page paths, or "*" for every page. */
  pages: string[] | "*";
  /** When set, only nodes matching this selector are allowed. */
  where?: string;
  reason: string;
}

/** Moderate and minor violations that stay, each with why. */
const allowed: Allowed[] = [
  {
    rule: "region",
    pages: "*",
    where: "#observablehq-sidebar-toggle",
    reason:
      "Framework's sidebar toggle is a checkbox that must stay a sibling before the sidebar and the page for its CSS (:checked ~ …) to work, so it cannot move into a landmark; it has a name of its own."
  }
];

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: {target: string; summary: string; allowedBy: string[]}[];
}

/** The violation's nodes that no entry of the allow-list covers (a critical or serious one: all of them). */
function unallowed(path: string, v: Violation): Violation | null {
  const minor = v.impact === "moderate" || v.impact === "minor";
  const entries = allowed.filter((a) => minor && a.rule === v.id && (a.pages === "*" || a.pages.includes(path)));
  const nodes = v.nodes.filter((n) => !entries.some((a) => !a.where || n.allowedBy.includes(a.where)));
  return nodes.length ? {...v, nodes} : null;
}

const describeViolation = (v: Violation) =>
  `${v.impact} ${v.id} (${v.help}), ${v.nodes.length} node(s):\n` +
  v.nodes
    .slice(0, 5)
    .map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, "\n      ")}`)
    .join("\n");

const SHIFT_LIMIT = 0.02;

// Runs before the page's own scripts: records every layout shift, with what moved.
const RECORD_SHIFTS = `
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value,
      hadRecentInput: entry.hadRecentInput,
      startTime: Math.round(entry.startTime),
      sources: (entry.sources || []).map((s) => {
        const n = s.node;
        const name = !n ? "?" : n.nodeType === 1 ? n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") + (n.className && typeof n.className === "string" ? "." + n.className.trim().split(/\\s+/).join(".") : "") : "#text " + JSON.stringify((n.textContent || "").slice(0, 30));
        return name + " " + Math.round(s.previousRect.y) + "→" + Math.round(s.currentRect.y);
      })
    });
  }
}).observe({type: "layout-shift", buffered: true});
`;

// Runs before the page's own scripts: counts the changes of each live region's text while the
// page loads, leaving out changes made while the region is aria-busy (a screen reader waits for
// those and reads the result).
const COUNT_ANNOUNCEMENTS = `
window.__live = new Map();
new MutationObserver((records) => {
  for (const r of records) {
    const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    const region = node && node.closest("[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]");
    if (!region || region.closest("[aria-busy=true]")) continue;
    window.__live.set(region, (window.__live.get(region) || 0) + 1);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
`;
/** A page that has only loaded, with no input, changes a live region at most this many times. */
const ANNOUNCEMENT_LIMIT = 5;

interface Shift {
  value: number;
  hadRecentInput: boolean;
  startTime: number;
  sources: string[];
}

/** Runs axe on the page as it is; logs the counts; returns the violations the allow-list does not cover. */
async function axeFailures(page: Page, path: string, colorScheme: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({path: axePath});
  const selectors = allowed.flatMap((a) => (a.where ? [a.where] : []));
  const violations: Violation[] = await page.evaluate(async (selectors) => {
    const axe = (window as any).axe;
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => {
        const element = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
        return {target: n.target.join(" "), summary: n.failureSummary ?? "", allowedBy: selectors.filter((s) => element?.matches(s))};
      })
    }));
  }, selectors);
  const counts: Record<string, number> = {};
  for (const v of violations) counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes.length;
  const tally = ["critical", "serious", "moderate", "minor"].map((impact) => `${impact} ${counts[impact] ?? 0}`).join(", ");
  console.log(`# axe ${colorScheme} ${path}: nodes ${tally}; ${violations.map((v) => `${v.id}/${v.impact}×${v.nodes.length}`).join(", ") || "none"}`);
  return violations.map((v) => unallowed(path, v)).filter((v): v is Violation => v !== null);
}

describe("every page at 1280 px: axe in the light and the dark colour scheme, layout shift", () => {
  let context: BrowserContext;
  before(async () => {
    context = await site.browser.newContext({viewport: {width: 1280, height: 800}, colorScheme: "light"});
    await context.addInitScript(RECORD_SHIFTS);
    await context.addInitScript(COUNT_ANNOUNCEMENTS);
  });
  after(async () => context?.close());

  for (const path of pages) {
    test(`${path}: no critical or serious violation and none outside the allow-list, light and dark; cumulative layout shift ≤ ${SHIFT_LIMIT}`, async () => {
      const visited = await visit(context, site.origin, path);
      const {page} = visited;
      await drawn(visited);
      // The shifts from the first paint until the cells have drawn, before axe's script touches the page.
      const shifts = ((await page.evaluate("window.__shifts")) as Shift[]).filter((s) => !s.hadRecentInput);
      const cls = shifts.reduce((sum, s) => sum + s.value, 0);
      const shiftDetail = shifts.map((s) => `  ${s.value.toFixed(4)} at ${s.startTime} ms: ${s.sources.join("; ")}`).join("\n");
      console.log(`# layout shift ${path}: ${cls.toFixed(4)}${shiftDetail ? `\n${shiftDetail.replace(/^/gm, "# ")}` : ""}`);
      // What a screen reader would have read out while the page loaded: each live region's changes.
      const chatty = (await page.evaluate(() =>
        Array.from((window as any).__live as Map<Element, number>)
          .filter(([, n]) => n > 0)
          .map(([el, n]) => `${n}× ${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ").join(".") : ""}: ${(el.textContent ?? "").slice(0, 60)}`)
      )) as string[];
      console.log(`# live regions ${path}: ${chatty.join(" | ") || "none changed"}`);
      const light = await axeFailures(page, path, "light");
      // The same page in the dark scheme: the theme's colours follow the media query at once, and a
      // cell that reads Framework's \`dark\` (the Training page's chart) runs again; wait for it.
      await page.emulateMedia({colorScheme: "dark"});
      await drawn(visited);
      assert.ok(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches));
      const dark = await axeFailures(page, path, "dark");
      await assertClean(visited);
      await page.close();
      const failing = [...light.map((v) => ["light", v] as const), ...dark.map((v) => ["dark", v] as const)];
      assert.ok(failing.length === 0, `axe violations on ${path}:\n${failing.map(([scheme, v]) => `${scheme}: ${describeViolation(v)}`).join("\n")}`);
      const flooding = chatty.filter((line) => Number(line.split("×")[0]) > ANNOUNCEMENT_LIMIT);
      assert.deepEqual(flooding, [], `live regions on ${path} that changed more than ${ANNOUNCEMENT_LIMIT} times while the page loaded`);
      assert.ok(cls <= SHIFT_LIMIT, `cumulative layout shift ${cls.toFixed(4)} on ${path} (limit ${SHIFT_LIMIT}):\n${shiftDetail}`);
    });
  }
});

describe("what axe cannot see", () => {
  let context: BrowserContext;
  before(async () => {
    context = await site.browser.newContext({viewport: {width: 1280, height: 800}});
  });
  after(async () => context?.close());

  test("/training: the status updates on screen, a screen reader hears only start, pause and the samples", async () => {
    const visited = await visit(context, site.origin, "/training");
    const {page} = visited;
    await drawn(visited);
    assert.equal(await page.getAttribute("[data-testid=status]", "aria-live"), null, "the busy status line is not itself a live region");
    assert.equal(await page.getAttribute("[data-testid=announcer]", "role"), "status");
    // Count what changes: the visible status and the announcer's text.
    await page.evaluate(() => {
      const w = window as any;
      w.__status = 0;
      w.__spoken = [];
      new MutationObserver(() => w.__status++).observe(document.querySelector("[data-testid=status]")!, {childList: true, characterData: true, subtree: true});
      const region = document.querySelector("[data-testid=announcer]")!;
      new MutationObserver(() => w.__spoken.push(region.textContent)).observe(region, {childList: true, characterData: true, subtree: true});
    });
    await page.click("button[data-action=start]");
    // Train for at least ten seconds (past two of the announcer's four-second gaps) and twenty
    // visible updates: a live status line would have been re-read twenty times by then.
    const started = Date.now();
    await page.waitForFunction(() => (window as any).__status >= 20, null, {timeout: 90_000, polling: 200});
    await page.waitForTimeout(Math.max(0, 10_000 - (Date.now() - started)));
    await page.click("button[data-action=start]"); // pause
    await page.waitForFunction(() => (window as any).__spoken.some((t: string) => /^Paused at step \d+/.test(t)), null, {timeout: 15_000});
    const {status, spoken} = await page.evaluate(() => ({status: (window as any).__status as number, spoken: (window as any).__spoken as string[]}));
    console.log(`# status changed ${status} times; announced: ${JSON.stringify(spoken)}`);
    assert.ok(status >= 20, `the visible status kept up with training (${status} changes)`);
    assert.match(spoken[0], /^Training on .+ from step \d+\.$/);
    assert.ok(spoken.length <= 3, `at most start, pause and one in between: ${JSON.stringify(spoken)}`);
    // "Sample now": its result is announced.
    await page.click("button[data-action=sample]");
    await page.waitForFunction(() => (window as any).__spoken.some((t: string) => /^Samples at step \d+, \d+ of \d+ modes covered/.test(t)), null, {timeout: 30_000});
    // The ledger chart: one image with a name, its numbers in a table, no toolbar to tab through.
    const ledger = await page.$eval("[data-testid=ledger]", (el) => ({
      role: el.getAttribute("role"),
      label: el.getAttribute("aria-label") ?? "",
      focusable: el.querySelectorAll("a[href], button, input, [tabindex]:not([tabindex='-1'])").length,
      modebar: el.querySelectorAll(".modebar").length
    }));
    assert.equal(ledger.role, "img");
    assert.match(ledger.label, /bound's terms/);
    assert.deepEqual([ledger.focusable, ledger.modebar], [0, 0], "nothing in the chart takes focus");
    await page.click(".tp-ledger-numbers summary");
    const rows = await page.$$eval("[data-testid=ledger-readings] tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));
    assert.equal(rows.length, 11, `k = 1, 2, 5, …, 500, 999 and L_T: ${rows.join(" | ")}`);
    await assertClean(visited);
    await page.close();
  });

  test("/code: a code block that scrolls takes focus from the keyboard, and the arrow keys scroll it", async () => {
    const visited = await visit(context, site.origin, "/code");
    const {page} = visited;
    await drawn(visited);
    const name = await page.evaluate(() => {
      const pre = Array.from(document.querySelectorAll<HTMLElement>(".code-entry pre")).find((p) => p.scrollHeight > p.clientHeight + 1)!;
      pre.id = "scroll-probe";
      return pre.getAttribute("aria-label");
    });
    assert.match(name ?? "", /^Source of \w+/);
    // Tab from the element before it lands on it.
    await page.evaluate(() => {
      const pre = document.getElementById("scroll-probe")!;
      const before = pre.previousElementSibling?.querySelector("a, [tabindex]") ?? pre.closest(".code-entry")!.querySelector("h3 a")!;
      (before as HTMLElement).focus();
    });
    for (let i = 0; i < 5 && !(await page.evaluate(() => document.activeElement?.id === "scroll-probe")); i++) await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "scroll-probe", "Tab reaches the scrolling block");
    await page.keyboard.press("PageDown");
    // Keyboard scrolling is animated: wait for the block to move (and fail if it never does).
    await page.waitForFunction(() => document.getElementById("scroll-probe")!.scrollTop > 0, null, {timeout: 5_000}).catch(() => {});
    assert.ok((await page.$eval("#scroll-probe", (el) => el.scrollTop)) > 0, "PageDown scrolls it");
    await assertClean(visited);
    await page.close();
  });
});
