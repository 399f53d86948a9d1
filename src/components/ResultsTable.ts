// A sortable table for the Results page, DOM only. Each sortable column header holds a button;
// clicking it sorts by that column (ascending first, then toggling), and the header's aria-sort
// says which column and which way, as the ARIA sortable-table pattern asks. Empty cells sort last
// either way, and ties keep the paper's order.
// Not Inputs.table: its headers sort on a click of a bare <th> (no button to reach with the
// keyboard, no aria-sort), it adds a selection column and a fixed-height scrolling box, and its
// header tooltip is the column's key, where these tables need the metric's description.
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
  const box = document.createElement("div");
  box.style.cssText = "overflow-x:auto;max-width:100%";
  const table = document.createElement("table");
  box.append(table);
  table.className = "results-table";
  if (testId) table.dataset.testid = testId;
  if (caption) {
    const c = document.createElement("caption");
    c.append(caption);
    table.append(c);
  }
  const firstSortable = columns.find((c) => c.sortValue);
  let state: {key: string; direction: SortDirection} | null = sort ?? (firstSortable ? {key: firstSortable.key, direction: "ascending"} : null);

  const thead = table.createTHead();
  const headRow = thead.insertRow();
  const headers = new Map<string, {th: HTMLTableCellElement; arrow: HTMLSpanElement}>();
  for (const column of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.key = column.key;
    if (column.numeric) th.style.cssText = "text-align:right;white-space:nowrap";
    if (column.description) th.title = column.description;
    if (column.sortValue) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "results-sort";
      // Looks like header text, keeps the browser's focus ring (the site's stylesheet is shared).
      button.style.cssText = "background:none;border:none;padding:0;font:inherit;color:inherit;cursor:pointer;text-align:inherit";
      const arrow = document.createElement("span");
      arrow.setAttribute("aria-hidden", "true");
      arrow.className = "results-sort-arrow";
      button.append(column.label, " ", arrow);
      button.addEventListener("click", () => {
        state = {key: column.key, direction: state?.key === column.key && state.direction === "ascending" ? "descending" : "ascending"};
        update();
      });
      th.append(button);
      headers.set(column.key, {th, arrow});
    } else {
      th.append(column.label);
    }
    headRow.append(th);
  }

  const tbody = table.createTBody();
  const rendered = rows.map((row, index) => {
    const tr = document.createElement("tr");
    tr.dataset.index = String(index);
    for (const [name, value] of Object.entries(rowAttributes?.(row) ?? {})) tr.setAttribute(name, value);
    for (const column of columns) {
      const td = document.createElement("td");
      td.dataset.key = column.key;
      if (column.numeric) td.style.cssText = "text-align:right;white-space:nowrap";
      const content = column.render(row);
      if (column.bold?.(row)) {
        const strong = document.createElement("strong");
        strong.append(content);
        td.append(strong);
      } else {
        td.append(content);
      }
      tr.append(td);
    }
    return tr;
  });

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
