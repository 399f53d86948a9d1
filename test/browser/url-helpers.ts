// What the URL-state tests share: the address's parameters, a wait for the URL to settle on some,
// and opening the address in a fresh browser, as someone the link was sent to would.
import type {Browser, Page} from "playwright-core";
import {settle, visit} from "./harness.ts";

/** The page's query parameters now. */
export const params = (page: Page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));

/** Waits until the URL has settled on these parameters (writes wait for a pause in the input). */
export const urlHas = (page: Page, expected: Record<string, string>) =>
  page.waitForFunction((expected) => {
    const params = new URLSearchParams(location.search);
    return Object.entries(expected).every(([k, v]) => params.get(k) === v);
  }, expected);

/** Opens the page's address now in a fresh browser (no remembered choices) and waits for its cells. */
export async function reopen(site: {browser: Browser; origin: string}, page: Page) {
  const link = new URL(await page.evaluate(() => location.href));
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, link.pathname + link.search);
  await settle(visited);
  return {context, visited};
}
