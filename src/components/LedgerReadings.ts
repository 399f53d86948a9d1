// The Training page's ledger chart read off at round values of k, as a table: the chart's text
// alternative for a screen reader, and exact numbers for anyone.
import {el} from "./dom.js";
import {ledgerReadings, type LedgerSeries} from "./ledger-series.js";

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2)) : "—");

/** Rows for k = 1, 2, 5, 10, … of the series, then the prior term L_T. */
export function LedgerReadings(series: LedgerSeries, prior: {T: number; value: number}): HTMLTableElement {
  const table = el("table", {class: "compact", "data-testid": "ledger-readings"});
  const head = table.createTHead().insertRow();
  for (const text of ["k", "Lₖ (nats)", "E‖ε − εθ‖²", "weight λ"]) head.append(el("th", {scope: "col"}, text));
  const body = table.createTBody();
  for (const r of ledgerReadings(series)) {
    const row = body.insertRow();
    row.append(el("th", {scope: "row"}, String(r.k)));
    for (const v of [r.term, r.epsError, r.weight]) row.insertCell().textContent = fmt(v);
  }
  const last = body.insertRow();
  last.append(el("th", {scope: "row"}, `${prior.T} (L_T, the prior)`));
  last.insertCell().textContent = fmt(prior.value);
  last.insertCell().textContent = "—";
  last.insertCell().textContent = "—";
  return table;
}
