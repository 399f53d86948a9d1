// What the pages' views share, so that they import this rather than each other: the two choices of
// σ_t² as labels, a progress line for a computation run in slices, and a compact table of labelled
// numbers. Labels are plain text with inline TeX between $…$ (richText).
import type {Sigma2Kind} from "../lib/schedule.js";
import {html} from "htl";
import {richText, richTextWithReading} from "./Exercise.js";

/** σ_t² as the page writes it, in TeX (for richText's $…$). */
export const SIGMA_TEX: Record<Sigma2Kind, string> = {betaTilde: String.raw`$\sigma_t^2 = \btilde_t$`, beta: String.raw`$\sigma_t^2 = \beta_t$`};
/** σ_t² in plain text (chart legends). */
export const SIGMA_LABEL: Record<Sigma2Kind, string> = {betaTilde: "σₜ² = β̃ₜ", beta: "σₜ² = βₜ"};

/**
 * A line that shows a computation's progress; `track` turns it into a short summary when done.
 * The percentage changes with every slice of work: the line is aria-busy until `track` ends it, so
 * a screen reader does not read out every percent but the summary once.
 */
export function WorkProgress(label: string): HTMLElement & {update(done: number): void} {
  const root: HTMLElement & {update(done: number): void} = html`<p class="bound-progress" aria-live="polite" aria-busy="true" style="font: 13px var(--sans-serif); color: var(--theme-foreground-muted); margin: 0.3rem 0" data-state="running">${`${label}…`}</p>`;
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
  } finally {
    note.removeAttribute("aria-busy");
  }
}

/** A column header: richText, or a formula alone with its plain reading for screen readers. */
export type HeadCell = string | {tex: string; reading: string};

/**
 * A compact table: a head row, then one row per label (first column, richText) with its values,
 * already formatted, right-aligned. `alignHead` right-aligns the head's value columns too. An
 * empty head text is the corner above the labels: an empty data cell, not an empty header. A
 * header that is only a formula is given as {tex, reading}: KaTeX's MathML is not reliably read
 * as a header's text, so screen readers get the reading and the formula is for the eye.
 */
export function labelledTable(testid: string, head: HeadCell[], rows: {label: string; values: string[]}[], {alignHead = false}: {alignHead?: boolean} = {}): HTMLTableElement {
  const headCell = (cell: HeadCell, i: number) =>
    cell === ""
      ? html`<td></td>`
      : html`<th scope="col" style=${alignHead && i > 0 ? "text-align:right" : null}>${typeof cell === "string" ? richText(cell) : richTextWithReading(cell.tex, cell.reading)}</th>`;
  const row = ({label, values}: {label: string; values: string[]}) => html`<tr><td>${richText(label)}</td>${values.map((value) => html`<td style="text-align:right">${value}</td>`)}</tr>`;
  return html`<table class="compact" data-testid=${testid}><thead><tr>${head.map(headCell)}</tr></thead><tbody>${rows.map(row)}</tbody></table>`;
}
