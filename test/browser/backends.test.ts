// Each tfjs backend that this Chromium offers initialises in the built site and computes a
// small op correctly; the "Your browser" panel reports the same and names the backend in use.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import type {Server} from "node:http";
import {assertClean, launchBrowser, serveDist, visit} from "./harness.ts";

let server: Server;
let origin: string;
before(async () => ({server, origin} = await serveDist()));
after(() => server?.close());

for (const [label, flags] of [
  ["default flags", [] as string[]],
  ["with --enable-unsafe-webgpu", ["--enable-unsafe-webgpu"]]
] as const) {
  test(`tfjs backends in headless Chromium, ${label}`, async () => {
    const browser = await launchBrowser([...flags]);
    try {
      const context = await browser.newContext();
      const {page, problems, external} = await visit(context, origin, "/about");
      await page.waitForSelector("[data-testid=backend-panel]", {timeout: 60_000});
      const rows = await page.$$eval("[data-testid=backend-panel] tr[data-backend]", (trs) =>
        trs.map((tr) => ({
          name: (tr as HTMLElement).dataset.backend,
          ok: (tr as HTMLElement).dataset.ok === "true",
          detail: tr.children[2]?.textContent ?? ""
        }))
      );
      const preferred = await page.$eval("[data-testid=backend-panel]", (el) => (el as HTMLElement).dataset.preferred);
      console.log(`# ${label}: ${rows.map((r) => `${r.name} ${r.ok ? "ran" : "unavailable"} (${r.detail})`).join("; ")}; preferred ${preferred}`);
      await assertClean({page, problems, external}, {ignore: /webgpu|adapter/i});
      const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
      // This Chromium always has WebAssembly and JavaScript; WebGL is software here but works.
      for (const name of ["wasm", "cpu", "webgl"]) assert.ok(byName[name]?.ok, `${name} did not run: ${byName[name]?.detail}`);
      if (flags.length) assert.ok(byName.webgpu?.ok, `webgpu did not run with the flag: ${byName.webgpu?.detail}`);
      assert.ok(preferred && byName[preferred]?.ok, "the preferred backend must be one that ran");
    } finally {
      await browser.close();
    }
  });
}
