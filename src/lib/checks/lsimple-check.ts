/**
 * The live parts of the L_simple page: the weight λ_t that L_simple (Eq. 14) drops from the bound's
 * terms (Eq. 12), a check that the KL route (Eq. 8) and the weighted-ε route (Eq. 12) give the same
 * L_{t−1}, and the summary and comparison of two models trained with L_simple and with the true
 * bound's weighting (the page trains them in Web Workers; this module only compares numbers, and
 * the table's labels and the conclusion's words are in src/components/LSimpleViews.ts).
 */
import {termCoefficients, transitionTerm, transitionTermFromEpsError} from "../bound.js";
import {qSample} from "../forward.js";
import {toBitsPerDim} from "../gaussian.js";
import type {Quality} from "../metrics.js";
import {trueBoundWeight} from "../posterior.js";
import type {Rng} from "../random.js";
import {checkT, SIGMA2_KINDS, type Schedule, type Sigma2Kind} from "../schedule.js";

/** The largest and smallest λ_t over t = from … T, and where they are. */
export function lambdaExtremes(s: Schedule, kind: Sigma2Kind, from = 2): {maxT: number; max: number; minT: number; min: number} {
  checkT(s, from);
  let maxT = from;
  let minT = from;
  for (let t = from; t <= s.T; t++) {
    const w = trueBoundWeight(s, t, kind);
    if (w > trueBoundWeight(s, maxT, kind)) maxT = t;
    if (w < trueBoundWeight(s, minT, kind)) minT = t;
  }
  return {maxT, max: trueBoundWeight(s, maxT, kind), minT, min: trueBoundWeight(s, minT, kind)};
}

/**
 * C of Eq. 8 for D dimensions: (D/2)(β̃_t/σ_t² − 1 − log(β̃_t/σ_t²)), the part of KL(q(x_{t−1}|x_t, x_0) ‖
 * p_θ(x_{t−1}|x_t)) that comes from the variances alone; 0 when σ_t² = β̃_t. termCoefficients'
 * constant, for t ≥ 2 only (at t = 1 that constant is the decoder's).
 */
export function varianceConstant(s: Schedule, t: number, kind: Sigma2Kind, dim = 2): number {
  checkT(s, t);
  if (t < 2) throw new Error("C belongs to L_{t−1} with t ≥ 2");
  return termCoefficients(s, t, kind, dim).constant;
}

/** The two routes at one t on one batch of random inputs. */
export interface RoutesAt {
  t: number;
  kind: Sigma2Kind;
  /** Mean over the batch of the KL route (transitionTerm, Eq. 8). */
  kl: number;
  /** Mean over the batch of the ε route (transitionTermFromEpsError, Eq. 12). */
  weighted: number;
  /** Largest |kl − weighted| / max(|kl|, |weighted|) over the batch's examples. */
  maxRelDiff: number;
  lambda: number;
  constant: number;
  /** Mean ‖ε − ε_θ‖² of the batch. */
  meanSqError: number;
}

/**
 * Both routes to L_{t−1} on n random examples: x_0 ~ N(0, I), ε ~ N(0, I), x_t by Eq. 4, and an
 * imperfect model ε_θ = ε + 0.5·z with z ~ N(0, I) (any ε_θ would do: the identity is algebraic).
 */
export function routesAt(s: Schedule, t: number, kind: Sigma2Kind, rng: Rng, n = 8, dim = 2): RoutesAt {
  const x0 = rng.normals(n * dim);
  const eps = rng.normals(n * dim);
  const z = rng.normals(n * dim);
  const epsPred = eps.map((e, i) => e + 0.5 * z[i]);
  const xt = qSample(s, x0, t, eps);
  const kl = transitionTerm(s, x0, xt, t, epsPred, kind, dim);
  const weighted = transitionTermFromEpsError(s, x0, xt, t, epsPred, kind, dim);
  let maxRelDiff = 0;
  let klSum = 0;
  let weightedSum = 0;
  let sq = 0;
  for (let j = 0; j < n; j++) {
    maxRelDiff = Math.max(maxRelDiff, Math.abs(kl[j] - weighted[j]) / Math.max(Math.abs(kl[j]), Math.abs(weighted[j])));
    klSum += kl[j];
    weightedSum += weighted[j];
  }
  for (let i = 0; i < eps.length; i++) sq += (eps[i] - epsPred[i]) ** 2;
  return {t, kind, kl: klSum / n, weighted: weightedSum / n, maxRelDiff, lambda: trueBoundWeight(s, t, kind), constant: varianceConstant(s, t, kind, dim), meanSqError: sq / n};
}

/** Largest relative difference accepted between the routes: both are float64 formulas of ~20 operations. */
export const ROUTE_TOLERANCE = 1e-9;

export interface RouteAgreement {
  /** Largest relative difference over every t = 2 … T, kind and example. */
  maxRelDiff: number;
  worst: RoutesAt;
  /** Examples compared. */
  checked: number;
  pass: boolean;
}

/** The routes compared at every t = 2 … T for each σ_t² kind, n fresh random examples each. */
export function routeAgreement(s: Schedule, rng: Rng, {n = 8, kinds = SIGMA2_KINDS} = {}): RouteAgreement {
  let worst: RoutesAt | null = null;
  let checked = 0;
  for (let t = 2; t <= s.T; t++) {
    for (const kind of kinds) {
      const r = routesAt(s, t, kind, rng, n);
      checked += n;
      if (!worst || r.maxRelDiff > worst.maxRelDiff) worst = r;
    }
  }
  if (!worst) throw new Error("routeAgreement needs T ≥ 2");
  return {maxRelDiff: worst.maxRelDiff, worst, checked, pass: worst.maxRelDiff <= ROUTE_TOLERANCE};
}

// ——— The experiment: L_simple against the true bound ———

export type ObjectiveKind = "simple" | "vlb";

/** What the page needs of the worker's ledger (LedgerResult has these and more). */
export interface LedgerLike {
  terms: ArrayLike<number>;
  total: number;
  /** The standard error of `total` over the held-out examples (nats). */
  totalStdErr: number;
  epsError: ArrayLike<number>;
  examples: number;
}

/** Timesteps of the two ε-error averages: where the bound's weight is large, and where it is small. */
export const SMALL_T: readonly [number, number] = [1, 50];
export const LARGE_T: readonly [number, number] = [201, 1000];

export interface RunSummary {
  loss: ObjectiveKind;
  steps: number;
  /** The bound L (Eq. 5), nats per example, and in bits per dimension, each with its standard error. */
  total: number;
  totalStdErr: number;
  bitsPerDim: number;
  bitsPerDimStdErr: number;
  L0: number;
  /** Σ_{t=2}^T L_{t−1}. */
  transitions: number;
  LT: number;
  /** Mean E‖ε − ε_θ‖² over t in SMALL_T and in LARGE_T (clipped to T). */
  epsErrorSmall: number;
  epsErrorLarge: number;
  examples: number;
  /** Samples drawn for the quality measures. */
  samples: number;
  energy: number;
  energyFloor: number;
  modesCovered?: number;
  modes?: number;
  highQualityFraction?: number;
}

function meanOver(values: ArrayLike<number>, [from, to]: readonly [number, number]): number {
  const hi = Math.min(to, values.length);
  let sum = 0;
  for (let t = from; t <= hi; t++) sum += values[t - 1];
  return sum / (hi - from + 1);
}

/**
 * Summarises one trained model from its ledger (index k ↔ L_k; epsError index t − 1) and the
 * quality of `samples` samples.
 */
export function summariseRun(loss: ObjectiveKind, steps: number, ledger: LedgerLike, quality: Quality, samples: number, dim = 2): RunSummary {
  const T = ledger.terms.length - 1;
  let transitions = 0;
  for (let k = 1; k < T; k++) transitions += ledger.terms[k];
  return {
    loss,
    steps,
    total: ledger.total,
    totalStdErr: ledger.totalStdErr,
    bitsPerDim: toBitsPerDim(ledger.total, dim),
    bitsPerDimStdErr: toBitsPerDim(ledger.totalStdErr, dim),
    L0: ledger.terms[0],
    transitions,
    LT: ledger.terms[T],
    epsErrorSmall: meanOver(ledger.epsError, SMALL_T),
    epsErrorLarge: meanOver(ledger.epsError, LARGE_T),
    examples: ledger.examples,
    samples,
    energy: quality.energy,
    energyFloor: quality.energyFloor,
    modesCovered: quality.modesCovered,
    modes: quality.modes,
    highQualityFraction: quality.highQualityFraction
  };
}

/**
 * Bounds closer than this (nats per example) are called a tie: the ledger of ε* on the Variational
 * bound page has a standard error of ~0.1 nats on 400 points, and a trained model's is similar.
 */
export const BOUND_TIE_NATS = 0.1;

export type Verdict = ObjectiveKind | "tie";

/** The quantities the comparison table shows, in its order (their labels are the page's: LSimpleViews.ts). */
export type ComparisonKey = "total" | "bitsPerDim" | "L0" | "transitions" | "epsErrorSmall" | "epsErrorLarge" | "energy" | "energyRatio" | "modesCovered" | "highQualityFraction";

export interface ComparisonRow {
  key: ComparisonKey;
  simple: number | undefined;
  vlb: number | undefined;
  /** The standard errors of `simple` and `vlb`, on rows that have them (the bound). */
  simpleStdErr?: number;
  vlbStdErr?: number;
  /** Which is better on this row (lower, or higher for coverage), when the row has a direction. */
  better?: Verdict;
  format: "nats" | "bits" | "error" | "energy" | "ratio" | "count" | "percent";
}

export interface Comparison {
  rows: ComparisonRow[];
  /** Lower bound wins, unless within BOUND_TIE_NATS. */
  bound: Verdict;
  /** See compareSamples. */
  samples: Verdict;
  /** What decided `samples`: the energy distance, the share of high-quality samples, or nothing. */
  samplesBy: "energy" | "high-quality share" | "none";
  /** The difference of the high-quality shares in standard errors (simple − vlb), when the energy did not decide. */
  shareZ?: number;
  /** The larger of the two energy floors: energy gaps below it are sampling noise. */
  energyFloor: number;
  /** Whether the data are a Gaussian mixture (mode rows present). */
  hasModes: boolean;
}

/** |z| above which two shares of high-quality samples are called different. */
export const SHARE_Z = 3;

/**
 * The sample verdict. The energy distance decides when the two differ by more than the floor (the
 * distance between two samples of the data themselves: smaller differences are sampling noise).
 * Otherwise, on mixture data, the shares of high-quality samples decide when they differ by more
 * than SHARE_Z standard errors of a difference of two proportions (pooled, n samples each).
 */
export function compareSamples(simple: RunSummary, vlb: RunSummary): {verdict: Verdict; by: Comparison["samplesBy"]; z?: number} {
  const floor = Math.max(simple.energyFloor, vlb.energyFloor);
  const energy = lowerIsBetter(simple.energy, vlb.energy, floor);
  if (energy !== "tie") return {verdict: energy, by: "energy"};
  const a = simple.highQualityFraction;
  const b = vlb.highQualityFraction;
  if (a === undefined || b === undefined) return {verdict: "tie", by: "none"};
  const pooled = (a * simple.samples + b * vlb.samples) / (simple.samples + vlb.samples);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / simple.samples + 1 / vlb.samples));
  const z = se > 0 ? (a - b) / se : 0;
  if (Math.abs(z) <= SHARE_Z) return {verdict: "tie", by: "none", z};
  return {verdict: z > 0 ? "simple" : "vlb", by: "high-quality share", z};
}

function lowerIsBetter(a: number, b: number, tie: number): Verdict {
  return Math.abs(a - b) <= tie ? "tie" : a < b ? "simple" : "vlb";
}

/** The table's numbers and the verdicts computed from them (no winner is assumed). */
export function compareRuns(simple: RunSummary, vlb: RunSummary): Comparison {
  const floor = Math.max(simple.energyFloor, vlb.energyFloor);
  const bound = lowerIsBetter(simple.total, vlb.total, BOUND_TIE_NATS);
  const {verdict: samples, by: samplesBy, z: shareZ} = compareSamples(simple, vlb);
  const energyVerdict = samplesBy === "energy" ? samples : "tie";
  const hasModes = simple.modes !== undefined && vlb.modes !== undefined;
  const rows: ComparisonRow[] = [
    {key: "total", simple: simple.total, vlb: vlb.total, simpleStdErr: simple.totalStdErr, vlbStdErr: vlb.totalStdErr, better: bound, format: "nats"},
    {key: "bitsPerDim", simple: simple.bitsPerDim, vlb: vlb.bitsPerDim, simpleStdErr: simple.bitsPerDimStdErr, vlbStdErr: vlb.bitsPerDimStdErr, better: bound, format: "bits"},
    {key: "L0", simple: simple.L0, vlb: vlb.L0, format: "nats"},
    {key: "transitions", simple: simple.transitions, vlb: vlb.transitions, format: "nats"},
    {key: "epsErrorSmall", simple: simple.epsErrorSmall, vlb: vlb.epsErrorSmall, better: lowerIsBetter(simple.epsErrorSmall, vlb.epsErrorSmall, 0), format: "error"},
    {key: "epsErrorLarge", simple: simple.epsErrorLarge, vlb: vlb.epsErrorLarge, better: lowerIsBetter(simple.epsErrorLarge, vlb.epsErrorLarge, 0), format: "error"},
    {key: "energy", simple: simple.energy, vlb: vlb.energy, better: energyVerdict, format: "energy"},
    {key: "energyRatio", simple: simple.energy / simple.energyFloor, vlb: vlb.energy / vlb.energyFloor, better: energyVerdict, format: "ratio"}
  ];
  if (hasModes) {
    const coverage: Verdict = simple.modesCovered === vlb.modesCovered ? "tie" : simple.modesCovered! > vlb.modesCovered! ? "simple" : "vlb";
    rows.push({key: "modesCovered", simple: simple.modesCovered, vlb: vlb.modesCovered, better: coverage, format: "count"});
    const share: Verdict = samplesBy === "high-quality share" ? samples : "tie";
    rows.push({key: "highQualityFraction", simple: simple.highQualityFraction, vlb: vlb.highQualityFraction, better: share, format: "percent"});
  }

  return {rows, bound, samples, samplesBy, shareZ, energyFloor: floor, hasModes};
}
