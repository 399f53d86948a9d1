// Browser-test harness: serves dist/ on 127.0.0.1 and drives the Chromium that test/chromium.ts
// finds, with playwright-core (no browser download). Every visit records what a reader would see go wrong:
// console errors, page errors, failed requests and any request that leaves the site's origin.
import assert from "node:assert/strict";
import {createServer, type Server} from "node:http";
import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import {extname, join, normalize} from "node:path";
import {after, before} from "node:test";
import {findChromium} from "../chromium.ts";
import {chromium, type Browser, type BrowserContext, type Page, type Request} from "playwright-core";

export const DIST = process.env.DDPM_OUTPUT ?? "dist";
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".bin": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png"
};

/** Maps a clean URL (/forward) to its file (forward.html), as a static host would. */
function resolveFile(pathname: string): string | null {
  const clean = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  for (const candidate of [clean, `${clean}.html`, join(clean, "index.html")]) {
    const file = join(DIST, candidate);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

export async function serveDist(): Promise<{server: Server; origin: string}> {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is not built: run `npm run build` first");
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = resolveFile(url.pathname);
    if (!file) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, {"content-type": TYPES[extname(file)] ?? "application/octet-stream"});
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no server address");
  return {server, origin: `http://127.0.0.1:${address.port}`};
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("No Chromium found: run `npm test` (it installs one when it may) or set CHROMIUM_PATH");
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs
    ]
  });
}

export interface Visit {
  page: Page;
  problems: string[];
  /** Requests that left the origin (blocked, and a failure in themselves). */
  external: string[];
  /** Requests of this page still in flight. */
  inflight: Set<Request>;
}

/**
 * Waits until the page has had no request in flight for `quietMs` (its cells have loaded their
 * data and modules), at most `timeoutMs`; then returns the URLs still pending, if any. Unlike
 * Playwright's "networkidle", a page that is merely slow to lay out (700 KB of math on a loaded
 * 2-core machine) does not time out, and a request that really hangs is named.
 */
export async function settle({page, inflight}: Visit, {quietMs = 750, timeoutMs = 90_000} = {}): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let quietSince = inflight.size === 0 ? Date.now() : Infinity;
  while (Date.now() < deadline) {
    await page.waitForTimeout(100);
    if (inflight.size > 0) quietSince = Infinity;
    else if (quietSince === Infinity) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return [];
  }
  return [...inflight].map((request) => request.url());
}

/** Opens a page with every request outside `origin` aborted and recorded. */
export async function visit(context: BrowserContext, origin: string, path: string): Promise<Visit> {
  const page = await context.newPage();
  const problems: string[] = [];
  const external: string[] = [];
  const inflight = new Set<Request>();
  page.on("request", (request) => inflight.add(request));
  page.on("requestfinished", (request) => inflight.delete(request));
  page.on("requestfailed", (request) => inflight.delete(request));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    // fallback(), not continue(): routes a test installed on the context (faults.ts) still see the request.
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.fallback();
    external.push(url);
    return route.abort();
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    if (request.url().startsWith(origin)) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(origin + path, {waitUntil: "load", timeout: 120_000});
  return {page, problems, external, inflight};
}

/** Framework marks a cell that threw with .observablehq--error; collect their texts. */
export async function cellErrors(page: Page): Promise<string[]> {
  return page.$$eval(".observablehq--error", (nodes) => nodes.map((n) => n.textContent ?? ""));
}

/**
 * A visited page ended clean: no cell threw, no console error, failed request or page error (those
 * matching `ignore` aside), and no request left the origin. Each failure names what went wrong.
 */
export async function assertClean({page, problems, external}: Pick<Visit, "page" | "problems" | "external">, {ignore}: {ignore?: RegExp} = {}): Promise<void> {
  const errors = await cellErrors(page);
  assert.deepEqual(errors, [], `cells failed: ${errors.join("\n")}`);
  const kept = ignore ? problems.filter((p) => !ignore.test(p)) : problems;
  assert.deepEqual(kept, [], kept.join("\n"));
  assert.deepEqual(external, [], `requests outside the origin: ${external.join(", ")}`);
}

/** The pages of the built site, as clean paths. */
export function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith("_")) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else if (name.endsWith(".html") && name !== "404.html") pages.push(`/${prefix}${name.replace(/\.html$/, "").replace(/^index$/, "")}`);
    }
  };
  walk(DIST, "");
  return pages;
}

/**
 * For a test file: serves dist/ and launches Chromium before its tests, closes both after them.
 * Read `site.origin` and `site.browser` inside the tests.
 */
export function useSite(extraArgs: string[] = []): {origin: string; browser: Browser} {
  const site = {} as {origin: string; browser: Browser; server?: Server};
  before(async () => {
    const served = await serveDist();
    site.server = served.server;
    site.origin = served.origin;
    site.browser = await launchBrowser(extraArgs);
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}
