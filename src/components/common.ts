// What the pages' views share, so that they import this rather than each other: the two choices of
// σ_t² as labels, a progress line for a computation run in slices, and a compact table of labelled
// numbers. Labels are plain text with inline TeX between $…$ (richText).
import type {Sigma2Kind} from "../lib/schedule.js";
import {richText} from "./Exercise.js";

/** σ_t² as the page writes it, in TeX (for richText's $…$). */
export const SIGMA_TEX: Record<Sigma2Kind, string> = {betaTilde: String.raw`$\sigma_t^2 = \btilde_t$`, beta: String.raw`$\sigma_t^2 = \beta_t$`};
/** σ_t² in plain text (chart legends). */
export const SIGMA_LABEL: Record<Sigma2Kind, string> = {betaTilde: "σₜ² = β̃ₜ", beta: "σₜ² = βₜ"};

/** A line that shows a computation's progress; `track` turns it into a short summary when done. */
export function WorkProgress(label: string): HTMLElement & {update(done: number): void} {
  const root = document.createElement("p") as unknown as HTMLElement & {update(done: number): void};
  root.className = "bound-progress";
  root.setAttribute("aria-live", "polite");
  root.style.cssText = "font: 13px var(--sans-serif); color: var(--theme-foreground-muted); margin: 0.3rem 0";
  root.dataset.state = "running";
  root.textContent = `${label}…`;
  root.update = (done: number) => {
    root.textContent = `${label}… ${Math.round(100 * done)}%`;
  };
  return root;
}

/** Resolves with `work`, writing how long it took (or why it failed) into `note`. */
export async function track<T>(note: HTMLElement, work: Promise<T>, label: string): Promise<T> {
  const start = performance.now();
  try {
    const value = await work;
    note.textContent = `${label}: computed in your browser in ${((performance.now() - start) / 1000).toFixed(1)} s.`;
    note.dataset.state = "done";
    return value;
  } catch (error) {
    note.textContent = `${label} failed: ${(error as Error).message}`;
    note.dataset.state = "error";
    throw error;
  }
}

/**
 * A compact table: a head row, then one row per label (first column, richText) with its values,
 * already formatted, right-aligned. `alignHead` right-aligns the head's value columns too.
 */
export function labelledTable(testid: string, head: string[], rows: {label: string; values: string[]}[], {alignHead = false}: {alignHead?: boolean} = {}): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "compact";
  table.dataset.testid = testid;
  const headRow = table.createTHead().insertRow();
  head.forEach((text, i) => {
    const th = document.createElement("th");
    th.append(richText(text));
    if (alignHead && i > 0) th.style.textAlign = "right";
    headRow.append(th);
  });
  const body = table.createTBody();
  for (const {label, values} of rows) {
    const row = body.insertRow();
    row.insertCell().append(richText(label));
    for (const value of values) {
      const cell = row.insertCell();
      cell.textContent = value;
      cell.style.textAlign = "right";
    }
  }
  return table;
}
