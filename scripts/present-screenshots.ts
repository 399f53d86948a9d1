// Presents pages start to finish in headless Chromium and photographs every slide, for a human look:
//   node --import tsx scripts/present-screenshots.ts /deck /forward
// For each page and screen size (1280 × 720 and 1920 × 1080) it enters presentation mode with the
// p key, walks every slide and fragment with the Right arrow, and saves each slide once all its
// fragments are shown: test/output/present/<page>-<width>/<slide>.png. It prints each slide's
// problems (content taller or wider than the slide, display math that scrolls, body text under
// 28 px or chart labels under 16 px at 1280 × 720, a blank canvas) and writes them all to
// test/output/present/report.json. Exits 1 if any slide has a problem.
import {mkdirSync, writeFileSync} from "node:fs";
import {launchBrowser, serveDist, settle, visit} from "../test/browser/harness.ts";
import {auditSlide, position, type SlideAudit} from "../test/browser/slide-audit.ts";

const paths = process.argv.slice(2).filter((a) => a.startsWith("/"));
if (paths.length === 0) paths.push("/deck");
const sizes = [
  {width: 1280, height: 720},
  {width: 1920, height: 1080}
];
const out = "test/output/present";
mkdirSync(out, {recursive: true});
const {server, origin} = await serveDist();
const browser = await launchBrowser();
const report: Record<string, SlideAudit[]> = {};
let failures = 0;
try {
  for (const size of sizes) {
    const context = await browser.newContext({viewport: size});
    for (const path of paths) {
      const visited = await visit(context, origin, path);
      const {page, problems} = visited;
      await settle(visited);
      await page.waitForTimeout(1500);
      await page.keyboard.press("p");
      // The plan is final once the charts have re-rendered at the slide's size and nothing loads.
      await page.waitForSelector("html[data-present-ready]", {timeout: 30_000});
      const dir = `${out}/${path.replace(/\W+/g, "") || "index"}-${size.width}`;
      mkdirSync(dir, {recursive: true});
      const audits: SlideAudit[] = [];
      // Text sizes are checked at 1280 × 720; at 1920 × 1080 everything is 1.5 times larger.
      const limits = size.width === 1280 ? {} : {minBody: 0, minLabel: 0};
      for (let guard = 0; guard < 500; guard++) {
        const before = await position(page);
        await page.keyboard.press("ArrowRight");
        await page.waitForTimeout(120);
        const after = await position(page);
        const atEnd = after?.slide === before?.slide && after?.step === before?.step;
        const movedOn = !atEnd && after?.slide !== before?.slide;
        if (!movedOn && !atEnd) continue; // a fragment of the same slide
        // `before` was the slide's last fragment: photograph it there (going back to a slide shows it whole).
        if (movedOn) {
          await page.keyboard.press("ArrowLeft");
        }
        await page.waitForTimeout(350);
        const audit = await auditSlide(page, limits);
        audits.push(audit);
        await page.screenshot({path: `${dir}/${String(audit.slide).padStart(2, "0")}.png`});
        const line = `${path} ${size.width}×${size.height} slide ${audit.slide} (${audit.heading.slice(0, 50)})`;
        if (audit.problems.length) {
          failures += audit.problems.length;
          console.log(`${line}:\n  - ${audit.problems.join("\n  - ")}`);
        } else console.log(`${line}: ok`);
        if (atEnd) break;
        await page.keyboard.press("ArrowRight");
        await page.waitForTimeout(150);
      }
      if (problems.length) {
        failures += problems.length;
        console.log(`${path}: ${problems.join("; ")}`);
      }
      report[`${path} ${size.width}x${size.height}`] = audits;
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
writeFileSync(`${out}/report.json`, JSON.stringify(report, null, 2));
console.log(`${failures} problem(s); screenshots in ${out}/`);
process.exit(failures > 0 ? 1 : 0);
