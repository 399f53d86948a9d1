// The Training page's ledger chart read off at round values of k, as a table: the chart's text
// alternative for a screen reader, and exact numbers for anyone.
import {html} from "htl";
import {ledgerReadings, type LedgerSeries} from "./ledger-series.js";

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2)) : "—");

/** Rows for k = 1, 2, 5, 10, … of the series, then the prior term L_T. */
export function LedgerReadings(series: LedgerSeries, prior: {T: number; value: number}): HTMLTableElement {
  const head = html`<thead><tr>${["k", "Lₖ (nats)", "E‖ε − εθ‖²", "weight λ"].map((text) => html`<th scope="col">${text}</th>`)}</tr></thead>`;
  const rows = ledgerReadings(series).map((r) => html`<tr><th scope="row">${String(r.k)}</th>${[r.term, r.epsError, r.weight].map((v) => html`<td>${fmt(v)}</td>`)}</tr>`);
  const priorRow = html`<tr><th scope="row">${`${prior.T} (L_T, the prior)`}</th><td>${fmt(prior.value)}</td><td>—</td><td>—</td></tr>`;
  return html`<table class="compact" data-testid="ledger-readings">${head}<tbody>${rows}${priorRow}</tbody></table>`;
}
