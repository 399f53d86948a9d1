// Layout probe for a human check of phone and desktop widths:
//   node --import tsx scripts/layout.ts [/forward /posterior …]
// For each built page at 1280 and 390 px: the page's width against the window (wider means the
// reader scrolls sideways) and the display equations wider than their box (they scroll inside it).
import {launchBrowser, serveDist, settle, visit} from "../test/browser/harness.ts";

// Plain strings: evaluated in the page as written (no helpers injected by the TypeScript loader).
const PROBE = `(() => ({
  window: document.documentElement.clientWidth,
  page: document.documentElement.scrollWidth,
  equations: Array.from(document.querySelectorAll("eqn"))
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => ((e.parentElement && e.parentElement.querySelector(":scope > span")) || {textContent: "(unlabelled)"}).textContent + " " + e.clientWidth + "/" + e.scrollWidth)
}))()`;

const paths = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["/", "/why-diffusion", "/forward", "/posterior", "/bound", "/l-simple", "/training", "/results", "/notation", "/code", "/about"];
const {server, origin} = await serveDist();
const browser = await launchBrowser();
try {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({viewport: {width, height: 800}});
    for (const path of paths) {
      const visited = await visit(context, origin, path);
      await settle(visited);
      const r = (await visited.page.evaluate(PROBE)) as {window: number; page: number; equations: string[]};
      const wide = r.page > r.window ? `page ${r.page} px wider than the window (${r.window})` : "page fits";
      console.log(`${width} ${path}: ${wide}; ${r.equations.length} display equations scroll${r.equations.length ? `: ${r.equations.join(", ")}` : ""}`);
      await visited.page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
