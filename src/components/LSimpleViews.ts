// The L_simple page's weight chart and its check that the KL route (Eq. 8) and the weighted-ε
// route (Eq. 12) agree. The numbers come from src/lib/checks/lsimple-check.ts.
import type {RouteAgreement, RoutesAt} from "../lib/checks/lsimple-check.js";
import {ROUTE_TOLERANCE} from "../lib/checks/lsimple-check.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import {LogChart} from "./BoundChart.js";
import {fmt, SIGMA_LABEL, SIGMA_TEX} from "./BoundViews.js";
import {CheckResult} from "./CheckResult.js";
import {richText} from "./Exercise.js";

/** λ_t against t for each σ_t² on log axes, with the selected t marked. */
export function lambdaChart(curves: {kind: Sigma2Kind; lambda: Float64Array}[], selected: number, width: number): SVGSVGElement {
  return LogChart(
    curves.map(({kind, lambda}, i) => ({label: `λₜ, ${SIGMA_LABEL[kind]}`, x: Array.from(lambda, (_, k) => k + 1), y: lambda, dash: i ? "5,3" : undefined})),
    {width, height: 280, xLabel: "t (t = 1: the decoder L_0's weight)", yLabel: "λₜ = βₜ² / (2σₜ² αₜ (1 − ᾱₜ))", marker: selected, legend: "top-right", ariaLabel: "the weight lambda_t of the bound against t, both choices of sigma_t squared, log axes"}
  );
}

/** The check: both routes to L_{t−1} agree at every t and for both σ_t². */
export function routeCheckView(agreement: RouteAgreement): HTMLElement {
  const w = agreement.worst;
  return CheckResult({
    pass: agreement.pass,
    title: "the KL route (Eq. 8) and the noise route λₜ‖ε − ε_θ‖² + C (Eq. 12) give the same Lₜ₋₁ at every t = 2 … T, for both σₜ²",
    details: [
      richText(`${agreement.checked.toLocaleString("en")} random examples ($\\x_0$, $\\bfeps$, an imperfect $\\bfeps_\\theta$), every $t = 2 \\dots T$, both choices of $\\sigma_t^2$`),
      richText(
        `largest relative difference ${agreement.maxRelDiff.toExponential(1)} (allowed ${ROUTE_TOLERANCE.toExponential(0)}), at $t = ${w.t}$ with ${SIGMA_TEX[w.kind]}: KL route ${fmt(w.kl, 8)}, ε route ${fmt(w.weighted, 8)}`
      )
    ]
  });
}

/** The two routes at one t, for both σ_t², as a small table. */
export function routesTable(rows: RoutesAt[]): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "compact";
  table.dataset.testid = "routes-at-t";
  const head = table.createTHead().insertRow();
  for (const text of ["", "$\\lambda_t$", "$C$", "KL route (Eq. 8)", "ε route (Eq. 12)"]) {
    const th = document.createElement("th");
    th.append(richText(text));
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    row.insertCell().append(richText(SIGMA_TEX[r.kind]));
    for (const v of [fmt(r.lambda), fmt(r.constant, 3), fmt(r.kl, 9), fmt(r.weighted, 9)]) {
      const cell = row.insertCell();
      cell.textContent = v;
      cell.style.textAlign = "right";
    }
  }
  return table;
}
