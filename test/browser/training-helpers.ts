// The Training panel as its browser tests read and drive it: the status line, the step count it
// shows, the panel's alerts and its Train button.
import type {Page} from "playwright-core";

/** The status line's data attributes and text. */
export const status = (page: Page) =>
  page.$eval("[data-testid=status]", (el) => ({...(el as HTMLElement).dataset, text: el.textContent ?? ""}) as Record<string, string>);
/** The model's step count as the status line shows it ("step 1,024"; the reference model's steps included). */
export const stepOf = async (page: Page) => Number(/step ([\d,]+)/.exec((await status(page)).text)?.[1].replace(/,/g, "") ?? NaN);
export const waitForStatus = (page: Page, pattern: RegExp, timeout = 60_000) =>
  page.waitForFunction((source) => new RegExp(source).test(document.querySelector("[data-testid=status]")?.textContent ?? ""), pattern.source, {timeout});
export const waitForStep = (page: Page, atLeast: number, timeout = 60_000) =>
  page.waitForFunction(
    (n) => Number(/step ([\d,]+)/.exec(document.querySelector("[data-testid=status]")?.textContent ?? "")?.[1].replace(/,/g, "") ?? NaN) >= n,
    atLeast,
    {timeout}
  );
/** Every alert of the panel (field checks and messages), as one text. */
export const alerts = async (page: Page) => (await page.locator("[data-testid=training-panel] [role=alert]").allTextContents()).join(" | ");
export const trainButton = (page: Page) => page.locator("[data-testid=training-panel] button[data-action=start]");
