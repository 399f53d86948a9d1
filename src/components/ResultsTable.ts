// A sortable table for the Results page, DOM only. Each sortable column header holds a button;
// clicking it sorts by that column (ascending first, then toggling), and the header's aria-sort
// says which column and which way, as the ARIA sortable-table pattern asks. Empty cells sort last
// either way, and ties keep the paper's order.
// Not Inputs.table: its headers sort on a click of a bare <th> (no button to reach with the
// keyboard, no aria-sort), it adds a selection column and a fixed-height scrolling box, and its
// header tooltip is the column's key, where these tables need the metric's description.
import {html} from "htl";
import {sortedOrder, type SortDirection} from "../lib/results.js";

export interface ResultsColumn<Row> {
  key: string;
  label: string | Node;
  /** Shown as the header's tooltip, e.g. what the metric measures. */
  description?: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** The value sorted on (null: an empty cell); omit to make the column unsortable. */
  sortValue?: (row: Row) => number | string | null;
  /** The cell's content. */
  render: (row: Row) => string | Node;
  /** Whether a cell is printed in bold in the paper. */
  bold?: (row: Row) => boolean;
}

export interface ResultsTableOptions<Row> {
  columns: ResultsColumn<Row>[];
  rows: Row[];
  caption?: string | Node;
  /** The column sorted on at first, and which way (default: the first sortable column, ascending). */
  sort?: {key: string; direction: SortDirection};
  /** Extra attributes of a row, e.g. a class that highlights DDPM's own rows. */
  rowAttributes?: (row: Row) => Record<string, string>;
  /** A name for the table's test id (data-testid). */
  testId?: string;
}

const ARROWS: Record<SortDirection | "none", string> = {ascending: "▲", descending: "▼", none: "↕"};

/**
 * A table whose sortable columns sort on a click of their header's button, in a box that scrolls
 * sideways on narrow screens (numbers do not wrap).
 */
export function ResultsTable<Row>({columns, rows, caption, sort, rowAttributes, testId}: ResultsTableOptions<Row>): HTMLElement {
  const firstSortable = columns.find((c) => c.sortValue);
  let state: {key: string; direction: SortDirection} | null = sort ?? (firstSortable ? {key: firstSortable.key, direction: "ascending"} : null);
  const numeric = (column: ResultsColumn<Row>) => (column.numeric ? "text-align:right;white-space:nowrap" : null);

  const headers = new Map<string, {th: HTMLTableCellElement; arrow: HTMLSpanElement}>();
  const header = (column: ResultsColumn<Row>) => {
    if (!column.sortValue) return html`<th scope="col" data-key=${column.key} style=${numeric(column)} title=${column.description || null}>${column.label}</th>`;
    const arrow: HTMLSpanElement = html`<span aria-hidden="true" class="results-sort-arrow"></span>`;
    // Looks like header text, keeps the browser's focus ring (the site's stylesheet is shared).
    const button = html`<button type="button" class="results-sort" style="background:none;border:none;padding:0;font:inherit;color:inherit;cursor:pointer;text-align:inherit">${column.label} ${arrow}</button>`;
    button.addEventListener("click", () => {
      state = {key: column.key, direction: state?.key === column.key && state.direction === "ascending" ? "descending" : "ascending"};
      update();
    });
    const th: HTMLTableCellElement = html`<th scope="col" data-key=${column.key} style=${numeric(column)} title=${column.description || null}>${button}</th>`;
    headers.set(column.key, {th, arrow});
    return th;
  };
  const cell = (column: ResultsColumn<Row>, row: Row) => {
    const content = column.render(row);
    return html`<td data-key=${column.key} style=${numeric(column)}>${column.bold?.(row) ? html`<strong>${content}</strong>` : content}</td>`;
  };
  const rendered: HTMLTableRowElement[] = rows.map((row, index) => html`<tr data-index=${String(index)} ${rowAttributes?.(row) ?? {}}>${columns.map((column) => cell(column, row))}</tr>`);
  const tbody: HTMLTableSectionElement = html`<tbody></tbody>`;
  const table = html`<table class="results-table" data-testid=${testId ?? null}>${caption ? html`<caption>${caption}</caption>` : null}<thead><tr>${columns.map(header)}</tr></thead>${tbody}</table>`;
  const box: HTMLElement = html`<div style="overflow-x:auto;max-width:100%">${table}</div>`;

  function update() {
    const column = state ? columns.find((c) => c.key === state!.key) : undefined;
    const order = column?.sortValue && state ? sortedOrder(rows.length, (i) => column.sortValue!(rows[i]), state.direction) : rows.map((_, i) => i);
    tbody.replaceChildren(...order.map((i) => rendered[i]));
    for (const [key, {th, arrow}] of headers) {
      // aria-sort only on the sorted column (the APG's sortable table); the others show ↕.
      const direction = state?.key === key ? state.direction : "none";
      if (direction === "none") th.removeAttribute("aria-sort");
      else th.setAttribute("aria-sort", direction);
      arrow.textContent = ARROWS[direction];
    }
  }
  update();
  return box;
}
