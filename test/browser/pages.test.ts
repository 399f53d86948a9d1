// Every page of the built site loads in Chromium without an error, without a request to
// another origin, with all its math rendered by KaTeX in KaTeX's own (self-hosted) fonts.
// On a phone (390 px) no page is wider than the screen.
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

describe("every page on a phone", () => {
  for (const path of pages) {
    test(`${path} at 390 px is no wider than the screen: what is too wide wraps or scrolls inside its own box`, async () => {
      const phone = await browser.newContext({viewport: {width: 390, height: 844}, isMobile: true, hasTouch: true});
      const visited = await visit(phone, origin, path);
      const {page} = visited;
      await settle(visited);
      await page.waitForTimeout(1000); // figures drawn after the data arrive
      const wide = await page.evaluate(() => {
        const screen = document.documentElement.clientWidth;
        const overflow = document.documentElement.scrollWidth - screen;
        // The outermost elements that reach past the screen's right edge, for the message.
        const culprits = Array.from(document.querySelectorAll("body *"))
          .filter((el) => el.getBoundingClientRect().right > screen + 1 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= screen + 1)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${typeof el.className === "string" ? el.className.split(" ")[0] : ""} "${(el.textContent ?? "").trim().slice(0, 40)}"`);
        return {overflow, culprits};
      });
      await phone.close();
      assert.ok(wide.overflow <= 0, `${path} is ${wide.overflow} px wider than the phone's screen: ${wide.culprits.join("; ")}`);
    });
  }
});
