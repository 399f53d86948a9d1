// The L_simple page's weight chart, its check that the KL route (Eq. 8) and the weighted-ε route
// (Eq. 12) agree, and the words of the experiment's comparison (its rows' labels and its
// conclusion). The numbers and verdicts come from src/lib/checks/lsimple-check.ts.
import {fmt, fmtPercent} from "../lib/format.js";
import {toBitsPerDim} from "../lib/gaussian.js";
import type {Comparison, ComparisonKey, ObjectiveKind, RouteAgreement, RoutesAt, RunSummary, Verdict} from "../lib/checks/lsimple-check.js";
import {BOUND_TIE_NATS, LARGE_T, ROUTE_TOLERANCE, SHARE_Z, SMALL_T} from "../lib/checks/lsimple-check.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import {LogChart} from "./BoundChart.js";
import {labelledTable, SIGMA_LABEL, SIGMA_TEX} from "./common.js";
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
  return labelledTable(
    "routes-at-t",
    ["", "$\\lambda_t$", "$C$", "KL route (Eq. 8)", "ε route (Eq. 12)"],
    rows.map((r) => ({label: SIGMA_TEX[r.kind], values: [fmt(r.lambda), fmt(r.constant, 3), fmt(r.kl, 9), fmt(r.weighted, 9)]}))
  );
}

const LABEL: Record<Exclude<ComparisonKey, "modesCovered">, string> = {
  total: "bound $L$, nats per example",
  bitsPerDim: "bound $L$, bits per dimension",
  L0: "$L_0$ (the decoder: a log density)",
  transitions: "$\\sum_{t=2}^{T} L_{t-1}$",
  epsErrorSmall: `mean $\\E\\|\\bfeps - \\bfeps_\\theta\\|^2$ over $t = ${SMALL_T[0]} \\dots ${SMALL_T[1]}$`,
  epsErrorLarge: `mean $\\E\\|\\bfeps - \\bfeps_\\theta\\|^2$ over $t = ${LARGE_T[0]} \\dots ${LARGE_T[1]}$`,
  energy: "energy distance to held-out data",
  energyRatio: "energy distance ÷ its floor (two data samples)",
  highQualityFraction: "high-quality samples (within 3σ of a mode)"
};

/** A comparison row's label: plain text with inline TeX between $…$ (for richText); `modes` is the mixture's. */
export function comparisonLabel(key: ComparisonKey, modes?: number): string {
  return key === "modesCovered" ? `modes covered (of ${modes})` : LABEL[key];
}

const NAME: Record<ObjectiveKind, string> = {simple: "L_simple", vlb: "the true bound"};

function paperSays(here: Verdict, paper: ObjectiveKind): string {
  if (here === "tie") return "not separated here";
  return here === paper ? "agrees" : "disagrees";
}

/** The comparison's conclusion in words, one paragraph each for the bound, the samples and the paper. */
export function comparisonConclusion(simple: RunSummary, vlb: RunSummary, comparison: Comparison): string[] {
  const {bound, samples, samplesBy, shareZ, energyFloor: floor, hasModes} = comparison;
  const conclusion: string[] = [];
  const d = Math.abs(simple.total - vlb.total);
  if (bound === "tie") {
    conclusion.push(
      `Bound: the two differ by ${d.toFixed(3)} nats per example, within the ${BOUND_TIE_NATS} nats that Monte Carlo noise alone can move a ${simple.examples}-point ledger; this run does not separate them.`
    );
  } else {
    const [win, lose] = bound === "simple" ? [simple, vlb] : [vlb, simple];
    conclusion.push(
      `Bound: the model trained with ${NAME[bound]} has the lower (better) bound, ${win.total.toFixed(3)} ± ${win.totalStdErr.toFixed(3)} against ${lose.total.toFixed(3)} ± ${lose.totalStdErr.toFixed(3)} nats per example (${d.toFixed(3)} nats, ${toBitsPerDim(d, 2).toFixed(3)} bits/dim).`
    );
  }
  const pct = (x: number | undefined) => fmtPercent(x ?? 0, 1);
  const modes = hasModes
    ? ` Modes covered: ${simple.modesCovered} (L_simple) and ${vlb.modesCovered} (true bound) of ${simple.modes}; high-quality samples ${pct(simple.highQualityFraction)} and ${pct(vlb.highQualityFraction)}.`
    : "";
  const energyGap = Math.abs(simple.energy - vlb.energy);
  if (samplesBy === "energy") {
    const [win, lose] = samples === "simple" ? [simple, vlb] : [vlb, simple];
    conclusion.push(
      `Samples: ${NAME[samples as ObjectiveKind]} gives the better samples, energy distance ${win.energy.toFixed(4)} against ${lose.energy.toFixed(4)}, a gap larger than the floor ${floor.toFixed(4)} that two samples of the data themselves show.${modes}`
    );
  } else {
    const energyText = `the energy distances ${simple.energy.toFixed(4)} (L_simple) and ${vlb.energy.toFixed(4)} (true bound) differ by ${energyGap.toFixed(4)}, less than the floor ${floor.toFixed(4)} that two samples of the data themselves show`;
    if (samplesBy === "high-quality share") {
      conclusion.push(
        `Samples: ${energyText}, but ${NAME[samples as ObjectiveKind]} puts more of its samples near a mode: ${pct(samples === "simple" ? simple.highQualityFraction : vlb.highQualityFraction)} against ${pct(samples === "simple" ? vlb.highQualityFraction : simple.highQualityFraction)} (${Math.abs(shareZ ?? 0).toFixed(1)} standard errors apart), so it gives the better samples.${modes}`
      );
    } else {
      conclusion.push(`Samples: ${energyText}${hasModes ? ", and the shares of high-quality samples are within " + SHARE_Z + " standard errors" : ""}: this run does not separate them.${modes}`);
    }
  }
  conclusion.push(
    `The paper (CIFAR-10, Tables 1 and 2) finds L_simple gives the better samples and the true bound the better log-likelihood. This run: samples — ${paperSays(samples, "simple")}; bound — ${paperSays(bound, "vlb")}. One run of ${simple.steps} steps each, same data, seed and held-out points; both ledgers use the same noise and both samplers the same x_T.`
  );
  return conclusion;
}
