// The Notation page's live table: each per-step quantity at one t, as the code holds it and as the
// paper's definition gives it (src/lib/checks/notation.ts), with the relative difference.
import type {NotationValue} from "../lib/checks/notation.js";
import {fmtPrecision} from "../lib/format.js";
import {tex} from "./tex.js";

function cell(tag: "td" | "th", content: string | Node, numeric = false): HTMLTableCellElement {
  const el = document.createElement(tag);
  if (tag === "th") (el as HTMLTableCellElement).scope = "col";
  if (numeric) el.style.cssText = "text-align:right;white-space:nowrap";
  el.append(content);
  return el;
}

function code(text: string): HTMLElement {
  const el = document.createElement("code");
  el.textContent = text;
  return el;
}

/** A table of the values at one step; rows carry data-code for the tests. */
export function NotationValues(values: NotationValue[], t: number): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "notation-values";
  table.dataset.testid = "notation-values";
  table.dataset.t = String(t);
  table.style.fontVariantNumeric = "tabular-nums";
  const caption = document.createElement("caption");
  caption.textContent = `At t = ${t}: the code's value, the definition's, and how far apart they are (relative).`;
  table.append(caption);
  const head = table.createTHead().insertRow();
  head.append(cell("th", "Symbol"), cell("th", "In the code"), cell("th", "Defined in"), cell("th", "Code", true), cell("th", "Definition", true), cell("th", "Rel. diff.", true));
  const body = table.createTBody();
  for (const v of values) {
    const row = body.insertRow();
    row.dataset.code = v.code;
    row.append(
      cell("td", tex(v.tex)),
      cell("td", code(v.code)),
      cell("td", v.source),
      cell("td", fmtPrecision(v.fromCode, 8), true),
      cell("td", fmtPrecision(v.fromDefinition, 8), true),
      cell("td", v.relErr === 0 ? "0" : v.relErr.toExponential(1), true)
    );
  }
  return table;
}
