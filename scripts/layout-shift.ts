// What moves while a page loads on a slow machine, for finding the cause of a layout shift that
// test/browser/a11y.test.ts reports only on a busy machine:
//   node --import tsx scripts/layout-shift.ts /notation /training [--rate 4] [--runs 3] [--wait 8000]
// Serves dist/, slows Chromium's CPU by --rate (DevTools' CPU throttling), opens each page --runs
// times in a fresh browser context and prints its cumulative layout shift, each shift with what
// moved (y and height before → after), and when the math fonts arrived and the main column was shown.
import {launchBrowser, serveDist} from "../test/browser/harness.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const rate = option("rate", 4);
const runs = option("runs", 3);
const wait = option("wait", 8000);
const paths = args.filter((a, i) => a.startsWith("/") && !args[i - 1]?.startsWith("--"));
if (paths.length === 0) paths.push("/notation", "/training");

// Runs before the page's scripts: the shifts with their sources, and the events that explain them.
const RECORD = `
window.__shifts = [];
window.__events = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({value: entry.value, at: Math.round(entry.startTime), sources: (entry.sources || []).map((s) => {
      const n = s.node;
      const name = !n ? "?" : n.nodeType === 1 ? n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") + (typeof n.className === "string" && n.className ? "." + n.className.trim().split(/\\s+/).join(".") : "") : "#text";
      const text = ((n && n.textContent) || "").replace(/\\s+/g, " ").slice(0, 40);
      return name + " «" + text + "» y " + Math.round(s.previousRect.y) + "→" + Math.round(s.currentRect.y) + ", h " + Math.round(s.previousRect.height) + "→" + Math.round(s.currentRect.height);
    })});
  }
}).observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__events.push([Math.round(e.startTime), e.name]);
}).observe({type: "paint", buffered: true});
new MutationObserver(() => window.__events.push([Math.round(performance.now()), "html class: " + (document.documentElement.className || "(none)")]))
  .observe(document, {attributes: true, subtree: true, attributeFilter: ["class"]});
document.fonts.addEventListener("loadingdone", () => window.__events.push([Math.round(performance.now()), "fonts loaded"]));
`;

interface Shift {
  value: number;
  at: number;
  sources: string[];
}

const {server, origin} = await serveDist();
const browser = await launchBrowser();
try {
  for (const path of paths) {
    for (let run = 1; run <= runs; run++) {
      const context = await browser.newContext({viewport: {width: 1280, height: 800}});
      await context.addInitScript(RECORD);
      const page = await context.newPage();
      await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", {rate});
      await page.goto(origin + path);
      await page.waitForTimeout(wait);
      const shifts = (await page.evaluate("window.__shifts")) as Shift[];
      const events = (await page.evaluate("window.__events")) as [number, string][];
      const cls = shifts.reduce((sum, s) => sum + s.value, 0);
      console.log(`${path}, run ${run} at ${rate}× CPU throttling: cumulative layout shift ${cls.toFixed(4)}`);
      for (const [at, what] of events.filter(([, w]) => !w.startsWith("html class") || /math-fonts|none/.test(w)).sort((a, b) => a[0] - b[0])) console.log(`  ${at} ms  ${what}`);
      for (const s of shifts) console.log(`  ${s.value.toFixed(4)} at ${s.at} ms: ${s.sources.join(" | ")}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
