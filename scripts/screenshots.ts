// Screenshots of built pages for a human look: `node --import tsx scripts/screenshots.ts /forward /about`.
// Writes test/output/screenshots/<page>-<width>-<scheme>.png (light and dark, desktop and phone).
import {mkdirSync} from "node:fs";
import {launchBrowser, serveDist, settle, visit} from "../test/browser/harness.ts";

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/"];
const out = "test/output/screenshots";
mkdirSync(out, {recursive: true});
const {server, origin} = await serveDist();
const browser = await launchBrowser();
try {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({viewport: {width, height: 800}, colorScheme});
      for (const path of paths) {
        const visited = await visit(context, origin, path);
        const {page, problems} = visited;
        await settle(visited);
        await page.waitForTimeout(3000); // live checks that compute after loading
        const name = `${out}/${path.replace(/\W+/g, "") || "index"}-${width}-${colorScheme}.png`;
        await page.screenshot({path: name, fullPage: true});
        console.log(name, problems.length ? problems : "");
        await page.close();
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
