// Every page of the built site loads in Chromium without an error, without a request to
// another origin, with all its math rendered by KaTeX in KaTeX's own (self-hosted) fonts.
import {after, before, describe, test} from "node:test";
import assert from "node:assert/strict";
import type {Server} from "node:http";
import type {Browser, BrowserContext} from "playwright-core";
import {builtPages, cellErrors, launchBrowser, serveDist, settle, visit} from "./harness.ts";

let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;

before(async () => {
  ({server, origin} = await serveDist());
  browser = await launchBrowser();
  context = await browser.newContext({viewport: {width: 1280, height: 800}});
});
after(async () => {
  await browser?.close();
  server?.close();
});

const pages = builtPages();

test("the build has the pages of the reading path", () => {
  for (const path of ["/", "/forward", "/about"]) assert.ok(pages.includes(path), `${path} missing from ${pages}`);
});

describe("every page", () => {
  for (const path of pages) {
    test(`${path} loads cleanly, offline, with its math`, async () => {
      const visited = await visit(context, origin, path);
      const {page, problems, external} = visited;
      // Let the page's cells run (they may load data and tfjs); a request that never ends fails.
      const pending = await settle(visited);
      assert.deepEqual(pending, [], `requests still pending after 90 s: ${pending.join(", ")}`);
      await page.waitForTimeout(300);
      const errors = await cellErrors(page);
      const math = await page.evaluate(async () => {
        await document.fonts.ready;
        const katex = document.querySelectorAll(".katex").length;
        const katexErrors = Array.from(document.querySelectorAll(".katex-error")).map((n) => n.getAttribute("title") ?? n.textContent);
        const mathFonts = Array.from(document.fonts)
          .filter((f) => f.family.startsWith("KaTeX") && f.status === "loaded")
          .map((f) => f.family);
        const failedFonts = Array.from(document.fonts)
          .filter((f) => f.family.startsWith("KaTeX") && f.status === "error")
          .map((f) => f.family);
        const mainFontLoaded = document.fonts.check("16px KaTeX_Main");
        return {katex, katexErrors, mathFonts, failedFonts, mainFontLoaded};
      });
      await page.close();
      assert.deepEqual(external, [], `requests outside the origin: ${external.join(", ")}`);
      assert.deepEqual(problems, [], problems.join("\n"));
      assert.deepEqual(errors, [], `cells failed: ${errors.join("\n")}`);
      assert.deepEqual(math.katexErrors, [], `KaTeX errors: ${math.katexErrors.join("; ")}`);
      assert.deepEqual(math.failedFonts, [], `math fonts failed to load: ${math.failedFonts}`);
      if (math.katex > 0) {
        assert.ok(math.mathFonts.includes("KaTeX_Main") && math.mainFontLoaded, `KaTeX_Main not loaded (${math.mathFonts})`);
      }
    });
  }
});
