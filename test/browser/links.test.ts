// Equations tied to code: every "code" link on every page names a function that the Code page
// lists, and every page-local equation label that the text cites, e.g. "(F3)", exists on it.
import {test} from "node:test";
import assert from "node:assert/strict";

import {builtPages, useSite, visit} from "./harness.ts";

const site = useSite();

test("code links resolve and cited equation labels exist", async () => {
  const context = await site.browser.newContext();
  const code = await visit(context, site.origin, "/code");
  await code.page.waitForSelector(".code-entry");
  const anchors = new Set(await code.page.$$eval(".code-entry", (nodes) => nodes.map((n) => n.id)));
  assert.ok(anchors.has("qSample") && anchors.has("posteriorMean"), "the Code page lists the core");
  await code.page.close();
  let links = 0;
  for (const path of builtPages()) {
    const {page} = await visit(context, site.origin, path);
    const found = await page.$$eval("a[href*='code#']", (as) => as.map((a) => decodeURIComponent((a as HTMLAnchorElement).hash.slice(1))));
    for (const name of found) assert.ok(anchors.has(name), `${path}: a code link names "${name}", which the Code page does not list`);
    links += found.length;
    const {labels, cited} = await page.evaluate(() => {
      const labels = Array.from(document.querySelectorAll("section.eqno > span")).map((s) => s.textContent!.replace(/[()]/g, "").trim());
      const text = Array.from(document.querySelectorAll("#observablehq-main p, #observablehq-main li, #observablehq-main td")).map((n) => n.textContent ?? "").join(" ");
      const cited = Array.from(text.matchAll(/\(([A-Z]{1,2}\d+[a-z]?)\)/g), (m) => m[1]);
      return {labels, cited};
    });
    for (const label of cited) assert.ok(labels.includes(label), `${path}: the text cites (${label}), which no equation on the page carries`);
    await page.close();
  }
  console.log(`# ${links} code links checked against ${anchors.size} listed names`);
  assert.ok(links > 0);
  await context.close();
});
