// Faults injected from outside the site, for the Training panel's tests and `npm run faults`:
// nothing here relies on the code under test cooperating, so the same injection runs against
// any build of the site.
//
//  - In the training worker: a script prepended to train-worker.js (by routing its request)
//    records every WebGL context the worker creates and obeys two messages from the page:
//    {__fault: "lose-context"} loses them all through WEBGL_lose_context (what a GPU reset or a
//    driver crash does), and {__fault: "stall"} makes the worker stop responding (it neither
//    receives nor sends another message).
//  - In the page: every Worker is recorded (window.__workers), so a test can send those messages.
//  - Requests: answered late (routed with a delay), or not at all (404), by URL pattern.
//  - Storage: localStorage and sessionStorage throw, as when a reader blocks site data.
import type {BrowserContext, Page, Route} from "playwright-core";

/** Prepended to the training worker's module (runs before its body sets its message handler). */
export const WORKER_SHIM = `
const __faultContexts = [];
{
  const getContext = OffscreenCanvas.prototype.getContext;
  OffscreenCanvas.prototype.getContext = function (type, ...rest) {
    const context = getContext.call(this, type, ...rest);
    if (context && /webgl/.test(type)) __faultContexts.push(context);
    return context;
  };
  let stalled = false;
  self.addEventListener("message", (event) => {
    if (stalled) return event.stopImmediatePropagation();
    const fault = event.data && event.data.__fault;
    if (!fault) return;
    event.stopImmediatePropagation();
    if (fault === "lose-context") for (const gl of __faultContexts) gl.getExtension("WEBGL_lose_context")?.loseContext();
    if (fault === "stall") {
      stalled = true;
      self.postMessage = () => {};
    }
  });
}
`;

/** Records the page's workers in window.__workers. */
const PAGE_SHIM = `
{
  const Original = window.Worker;
  window.__workers = [];
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      window.__workers.push(this);
    }
  };
}
`;

/** localStorage and sessionStorage throw SecurityError, as in a browser that blocks site data. */
const STORAGE_BLOCKED = `
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, {configurable: true, get() { throw new DOMException("Access is denied for this document.", "SecurityError"); }});
}
`;

export interface FaultOptions {
  /** Delay (ms) of the training worker's script. */
  workerDelayMs?: number;
  /** The training worker's script fails to load (404). */
  workerMissing?: boolean;
  /** Requests whose URL matches a pattern are answered after `ms`. */
  delays?: {pattern: RegExp; ms: number}[];
  /** Requests whose URL matches are answered 404 (e.g. /\.wasm$/: WebAssembly missing). */
  missing?: RegExp[];
  storageBlocked?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Installs the fault machinery on a context before its first page: the worker shim always (it
 * does nothing until told), the others as asked. Call before `visit` (whose own catch-all route
 * is registered later and so runs first; it hands these requests on with route.fallback()).
 */
export async function installFaults(context: BrowserContext, options: FaultOptions = {}): Promise<void> {
  await context.addInitScript(PAGE_SHIM);
  if (options.storageBlocked) await context.addInitScript(STORAGE_BLOCKED);
  await context.route(/\/train-worker\.[\w-]+\.js$/, async (route: Route) => {
    if (options.workerDelayMs) await sleep(options.workerDelayMs);
    if (options.workerMissing) return route.fulfill({status: 404, body: "not found"});
    const response = await route.fetch();
    return route.fulfill({response, body: WORKER_SHIM + (await response.text())});
  });
  for (const pattern of options.missing ?? []) await context.route(pattern, (route) => route.fulfill({status: 404, body: "not found"}));
  for (const {pattern, ms} of options.delays ?? []) {
    await context.route(pattern, async (route) => {
      await sleep(ms);
      return route.fallback();
    });
  }
}

/** Sends a fault to every worker of the page (see WORKER_SHIM). */
export async function injectFault(page: Page, fault: "lose-context" | "stall"): Promise<void> {
  await page.evaluate((f) => {
    for (const worker of (window as unknown as {__workers: Worker[]}).__workers) worker.postMessage({__fault: f});
  }, fault);
}
