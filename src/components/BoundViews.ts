// The Variational-bound page's live parts as DOM: the three checks' verdicts, the ledger's table and the plots of its terms and of L_T against T. The
// numbers come from src/lib/checks/bound-check.ts; this file only shows them.
import {fmt} from "../lib/format.js";
import {toBitsPerDim} from "../lib/gaussian.js";
import type {EntropyCheck, LedgerCheck, PriorPoint} from "../lib/checks/bound-check.js";
import {SUM_TOLERANCE, Z_LIMIT} from "../lib/checks/bound-check.js";
import {LogChart} from "./BoundChart.js";
import {CheckResult} from "./CheckResult.js";
import {labelledTable, SIGMA_LABEL, SIGMA_TEX} from "./common.js";
import {richText} from "./Exercise.js";

/** Check (a): the terms add up to the total, and the total matches the trajectories. */
export function ledgerCheckView(results: LedgerCheck[]): HTMLElement {
  const details: Node[] = [];
  for (const r of results) {
    const {sums, chain} = r;
    details.push(
      richText(
        String.raw`${SIGMA_TEX[r.kind]}: $L_0 + \sum_{t\ge2} L_{t-1} + L_T$ = ${fmt(sums.L0)} + ${fmt(sums.transitions)} + ${fmt(sums.LT, 3)} = ${fmt(sums.sumOfTerms, 6)} nats; boundTerms' total ${fmt(sums.total, 6)} (relative difference ${sums.relDiff.toExponential(1)}, allowed ${SUM_TOLERANCE.toExponential(0)})`
      ),
      richText(
        `${SIGMA_TEX[r.kind]}: ledger ${fmt(sums.total)} ± ${fmt(sums.totalStdErr, 2)} nats; ${chain.n} forward trajectories ${fmt(chain.value)} ± ${fmt(chain.stdErr, 2)} nats; z = ${r.z.toFixed(2)} (allowed ±${Z_LIMIT})`
      )
    );
  }
  return CheckResult({
    pass: results.every((r) => r.pass),
    title: `the ledger's ${results[0].sums.count} terms add up to the bound, and the bound equals the chains' log ratio averaged along sampled trajectories`,
    details
  });
}

/** The ledger grouped as in Eq. 5, one column per σ_t². */
export function ledgerTable(results: LedgerCheck[]): HTMLTableElement {
  const rows: [string, (r: LedgerCheck) => string][] = [
    [String.raw`$L_0 = -\log p_\theta(\x_0\mid\x_1)$ (may be negative)`, (r) => fmt(r.sums.L0)],
    [String.raw`$\sum_{t=2}^{T} L_{t-1}$ (the KL terms)`, (r) => fmt(r.sums.transitions)],
    [String.raw`$L_T = \KL(q(\x_T\mid\x_0)\,\|\,p(\x_T))$`, (r) => fmt(r.sums.LT, 3)],
    ["$L$, nats per example", (r) => `${fmt(r.sums.total)} ± ${fmt(r.sums.totalStdErr, 2)}`],
    ["$L$, bits per dimension", (r) => `${fmt(toBitsPerDim(r.sums.total, 2))} ± ${fmt(toBitsPerDim(r.sums.totalStdErr, 2), 2)}`]
  ];
  return labelledTable(
    "bound-ledger",
    ["term", ...results.map((r) => SIGMA_TEX[r.kind])],
    rows.map(([label, value]) => ({label, values: results.map(value)})),
    {alignHead: true}
  );
}

/** Every term L_1 … L_T of each ledger against k on log axes (L_0 is negative: it is in the table). */
export function termsChart(results: LedgerCheck[], width: number): SVGSVGElement {
  return LogChart(
    results.map((r, i) => ({
      label: SIGMA_LABEL[r.kind],
      x: Array.from({length: r.ledger.terms.length - 1}, (_, k) => k + 1),
      y: r.ledger.terms.subarray(1),
      dash: i ? "5,3" : undefined
    })),
    {width, height: 280, xLabel: "k (term Lₖ; L₀ < 0 not shown)", yLabel: "Lₖ, nats per example", legend: "bottom-left", ariaLabel: "every term L_1 to L_T of the bound of ε*, on log axes"}
  );
}

/** Check (b): the bound above the entropy, for each σ_t². */
export function entropyCheckView(result: EntropyCheck, n: number): HTMLElement {
  const {entropy} = result;
  return CheckResult({
    pass: result.pass,
    title: "the bound lies above the data's entropy, for both choices of σₜ²",
    details: [
      richText(`data entropy $H[q(\\x_0)]$ = ${fmt(entropy.value)} ± ${fmt(entropy.stdErr, 2)} nats (mixtureEntropy, ${entropy.n.toLocaleString("en")} draws)`),
      ...result.kinds.map((k) =>
        richText(
          `${SIGMA_TEX[k.kind]}: $L$ = ${fmt(k.bound.value)} ± ${fmt(k.bound.stdErr, 2)} nats; $L - H$ = ${fmt(k.gap.value)} ± ${fmt(k.gap.stdErr, 2)} (paired over ${n.toLocaleString("en")} points; ${k.z.toFixed(1)} standard errors ${k.z >= 0 ? "above" : "below"} 0) ${k.pass ? "> 0" : "≤ 0"}`
        )
      )
    ]
  });
}

/** Check (c): L_T large for a short chain, negligible at the paper's T = 1000. */
export function priorCheckView(verdict: {short: PriorPoint; paper: PriorPoint; pass: boolean}): HTMLElement {
  const {short, paper} = verdict;
  return CheckResult({
    pass: verdict.pass,
    title: "L_T is not negligible for a short chain, and is negligible at T = 1000",
    details: [
      richText(`$T = 10$: $\\abar_T$ = ${fmt(short.alphaBarT)}, $L_T$ = ${fmt(short.LT)} nats per example (must be > 0.1)`),
      richText(`$T = 1000$: $\\abar_T$ = ${fmt(paper.alphaBarT)}, $L_T$ = ${fmt(paper.LT)} nats per example (must be < 1e-3)`)
    ]
  });
}

/** L_T against T on log axes, with the check's two thresholds and the selected T marked. */
export function priorChart(curve: readonly PriorPoint[], selected: number, width: number): SVGSVGElement {
  return LogChart([{label: "L_T (linear β, 1e-4 → 0.02)", x: curve.map((p) => p.T), y: curve.map((p) => p.LT), dots: true}], {
    width,
    height: 260,
    xLabel: "T (steps of the forward chain)",
    yLabel: "L_T, nats per example",
    rules: [
      {y: 0.1, label: "0.1: not negligible above"},
      {y: 1e-3, label: "1e-3: negligible below"}
    ],
    marker: selected,
    legend: "top-right",
    ariaLabel: "L_T against the number of steps T, log axes"
  });
}
