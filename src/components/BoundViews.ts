// The Variational-bound page's live parts as DOM: progress of a computation run in slices, the three
// checks' verdicts, the ledger's table and the plots of its terms and of L_T against T. The
// numbers come from src/lib/checks/bound-check.ts; this file only shows them.
import {toBitsPerDim} from "../lib/gaussian.js";
import type {EntropyCheck, LedgerCheck, PriorPoint} from "../lib/checks/bound-check.js";
import {SUM_TOLERANCE, Z_LIMIT} from "../lib/checks/bound-check.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import {LogChart} from "./BoundChart.js";
import {CheckResult} from "./CheckResult.js";
import {richText} from "./Exercise.js";

/** σ_t² as the page writes it, in TeX (for richText's $…$). */
export const SIGMA_TEX: Record<Sigma2Kind, string> = {betaTilde: String.raw`$\sigma_t^2 = \btilde_t$`, beta: String.raw`$\sigma_t^2 = \beta_t$`};
/** σ_t² in plain text (chart legends). */
export const SIGMA_LABEL: Record<Sigma2Kind, string> = {betaTilde: "σₜ² = β̃ₜ", beta: "σₜ² = βₜ"};

/** A number for prose and tables: 4 significant digits, scientific when tiny or huge. */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5)) return String(Number(value.toPrecision(digits)));
  return value.toExponential(Math.max(0, digits - 2));
}

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
  const table = document.createElement("table");
  table.className = "compact";
  table.dataset.testid = "bound-ledger";
  const head = table.createTHead().insertRow();
  for (const text of ["term", ...results.map((r) => SIGMA_TEX[r.kind])]) {
    const th = document.createElement("th");
    th.append(richText(text));
    if (text !== "term") th.style.textAlign = "right";
    head.append(th);
  }
  const rows: [string, (r: LedgerCheck) => string][] = [
    [String.raw`$L_0 = -\log p_\theta(\x_0\mid\x_1)$ (may be negative)`, (r) => fmt(r.sums.L0)],
    [String.raw`$\sum_{t=2}^{T} L_{t-1}$ (the KL terms)`, (r) => fmt(r.sums.transitions)],
    [String.raw`$L_T = \KL(q(\x_T\mid\x_0)\,\|\,p(\x_T))$`, (r) => fmt(r.sums.LT, 3)],
    ["$L$, nats per example", (r) => `${fmt(r.sums.total)} ± ${fmt(r.sums.totalStdErr, 2)}`],
    ["$L$, bits per dimension", (r) => fmt(toBitsPerDim(r.sums.total, 2))]
  ];
  const body = table.createTBody();
  for (const [label, value] of rows) {
    const row = body.insertRow();
    row.insertCell().append(richText(label));
    for (const r of results) {
      const cell = row.insertCell();
      cell.textContent = value(r);
      cell.style.textAlign = "right";
    }
  }
  return table;
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
