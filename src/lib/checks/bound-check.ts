/**
 * The live checks of the Variational-bound page (Eq. 3, 5), run on the 8-Gaussian ring with the
 * exact optimal denoiser ε* (docs/architecture.md §3), so that every number has a known meaning:
 *  (a) the ledger of the core's boundTerms adds up to its total, and that total agrees with an
 *      independent Monte Carlo estimate of Eq. 3, E_q[log q(x_{1:T}|x_0) − log p_θ(x_{0:T})], taken
 *      along forward trajectories with the log densities of Eq. 1 and Eq. 2 (no KL, no posterior);
 *  (b) the bound lies above the data's entropy, for both σ_t² choices;
 *  (c) L_T is negligible only when ᾱ_T ≈ 0: large for a short chain, ~4e-5 nats at T = 1000.
 *
 * The expensive parts are generators (Work) that yield the fraction done after each timestep, so a
 * page can run them in slices (runAsync) and stay responsive; tests run them at once (runSync).
 */
import {boundTerms, decoderTerm, priorTerm, transitionTerm, type BoundTerms, type EpsPredictor} from "../bound.js";
import {qSample} from "../forward.js";
import {logNormalDensityPerPoint} from "../gaussian.js";
import {mixtureEntropy, mixtureLogDensity, sampleMixture, type GaussianMixture} from "../mixture.js";
import {muTheta} from "../posterior.js";
import {createRng, type Rng} from "../random.js";
import {Z_LIMIT} from "./forward-check.js";
import {makeSchedule, SIGMA2_KINDS, sigmaSquared, type Schedule, type Sigma2Kind} from "../schedule.js";

// The same limit as the Forward page's check; the page and tests read it from here too.
export {Z_LIMIT};
import {estimate, type Estimate} from "../stats.js";
import {checkCount, pointCount} from "../util.js";
import type {Work} from "../work.js";





function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A predictor that remembers its last answer at each t and replays it when asked again about the
 * very same x_t (value for value); anything else is computed afresh. boundTerms draws x_t in a
 * documented order (t = 1 … T, one rng.normals per t), so `prefetch` can evaluate ε* in slices
 * before boundTerms runs, and the ledgers of both σ_t² choices share one set of ε* evaluations.
 */
export interface MemoPredictor extends EpsPredictor {
  /** Stores the answer for x_t at t (as if it had been asked). */
  remember(xt: Float64Array, t: number, out: Float64Array): void;
  /** Calls of the wrapped predictor so far. */
  readonly misses: number;
}

export function memoizeByT(eps: EpsPredictor): MemoPredictor {
  const cache = new Map<number, {xt: Float64Array; out: Float64Array}>();
  let misses = 0;
  const predictor = ((xt: Float64Array, t: number) => {
    const hit = cache.get(t);
    if (hit && sameValues(hit.xt, xt)) return Float64Array.from(hit.out);
    misses++;
    const out = eps(xt, t);
    cache.set(t, {xt: Float64Array.from(xt), out: Float64Array.from(out)});
    return out;
  }) as MemoPredictor;
  predictor.remember = (xt, t, out) => void cache.set(t, {xt: Float64Array.from(xt), out: Float64Array.from(out)});
  Object.defineProperty(predictor, "misses", {get: () => misses});
  return predictor;
}

/**
 * Evaluates `memo` on exactly the x_t that boundTerms(s, x0, memo, {rng: createRng(seed)}) will
 * draw (x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, Eq. 4, ε from the seed's stream in the order t = 1 … T),
 * one t per slice.
 */
export function* prefetch(s: Schedule, x0: Float64Array, memo: MemoPredictor, seed: number): Work<void> {
  const rng = createRng(seed);
  for (let t = 1; t <= s.T; t++) {
    const xt = qSample(s, x0, t, rng.normals(x0.length));
    memo(xt, t);
    yield t / s.T;
  }
}

/** The ledger of Eq. 5 grouped as the page shows it, and its own arithmetic checked. */
export interface LedgerSums {
  /** L_0 = −log p_θ(x_0|x_1): a log density on continuous data, so it may be negative. */
  L0: number;
  /** Σ_{t=2}^T L_{t−1}, the KL terms between Gaussians. */
  transitions: number;
  /** L_T = KL(q(x_T|x_0) ‖ N(0, I)). */
  LT: number;
  /** L_0 + Σ L_{t−1} + L_T added here, in the order of Eq. 5. */
  sumOfTerms: number;
  /** boundTerms' own total. */
  total: number;
  totalStdErr: number;
  /** |sumOfTerms − total| / |total|. */
  relDiff: number;
  /** T + 1. */
  count: number;
}

/** Adds the ledger's terms up again, in Eq. 5's groups, and compares with boundTerms' total. */
export function ledgerSums(b: BoundTerms): LedgerSums {
  const T = b.terms.length - 1;
  let transitions = 0;
  for (let k = 1; k < T; k++) transitions += b.terms[k];
  const L0 = b.terms[0];
  const LT = b.terms[T];
  const sumOfTerms = L0 + transitions + LT;
  return {L0, transitions, LT, sumOfTerms, total: b.total, totalStdErr: b.totalStdErr, relDiff: Math.abs(sumOfTerms - b.total) / Math.abs(b.total), count: T + 1};
}

/**
 * The integrand of Eq. 3 along forward trajectories: for each x_0 one chain x_1 … x_T drawn step by
 * step from q(x_t|x_{t−1}) (Eq. 2), and
 *   log q(x_{1:T}|x_0) − log p_θ(x_{0:T}) = Σ_t [log q(x_t|x_{t−1}) − log p_θ(x_{t−1}|x_t)] − log p(x_T),
 * with q(x_t|x_{t−1}) = N(√α_t x_{t−1}, β_t I), p_θ(x_{t−1}|x_t) = N(μ_θ(x_t, t), σ_t² I) (Eq. 1, 11;
 * at t = 1 this is the decoder) and p(x_T) = N(0, I). Its mean over x_0 is the bound L, reached
 * without the KL rewrite of Eq. 5: no posterior q(x_{t−1}|x_t, x_0), no closed-form KL. One chain
 * serves every σ_t² kind (the trajectories and ε_θ do not depend on it). Returns, per kind, the
 * mean over the examples and its standard error.
 */
export function* chainLogRatio(
  s: Schedule,
  x0: Float64Array,
  eps: EpsPredictor,
  rng: Rng,
  kinds: readonly Sigma2Kind[] = SIGMA2_KINDS,
  dim = 2
): Work<Map<Sigma2Kind, Estimate>> {
  const n = pointCount(x0, dim, "x0");
  checkCount(n, "examples", 2);
  const ratio = new Map(kinds.map((k) => [k, new Float64Array(n)]));
  let prev = Float64Array.from(x0);
  const mean = new Float64Array(x0.length);
  for (let t = 1; t <= s.T; t++) {
    const a = Math.sqrt(s.alpha[t - 1]);
    const b = Math.sqrt(s.beta[t - 1]);
    const z = rng.normals(x0.length);
    const xt = new Float64Array(x0.length);
    for (let i = 0; i < xt.length; i++) {
      mean[i] = a * prev[i];
      xt[i] = mean[i] + b * z[i];
    }
    const logQ = logNormalDensityPerPoint(xt, mean, s.beta[t - 1], dim);
    const mu = muTheta(s, xt, t, eps(xt, t));
    for (const kind of kinds) {
      const logP = logNormalDensityPerPoint(prev, mu, sigmaSquared(s, t, kind), dim);
      const r = ratio.get(kind)!;
      for (let j = 0; j < n; j++) r[j] += logQ[j] - logP[j];
    }
    prev = xt;
    yield t / s.T;
  }
  const logPrior = logNormalDensityPerPoint(prev, new Float64Array(prev.length), 1, dim);
  const out = new Map<Sigma2Kind, Estimate>();
  for (const kind of kinds) {
    const r = ratio.get(kind)!;
    for (let j = 0; j < n; j++) r[j] -= logPrior[j];
    out.set(kind, estimate(r));
  }
  return out;
}

/** Check (a) for one σ_t² kind. */
export interface LedgerCheck {
  kind: Sigma2Kind;
  ledger: BoundTerms;
  sums: LedgerSums;
  /** The trajectory estimate of Eq. 3. */
  chain: Estimate;
  /** (ledger total − chain) / √(SE² + SE²). */
  z: number;
  pass: boolean;
}

/** Options of the ledger check. */
export interface LedgerCheckOptions {
  /** Seed of the ledger's noise (boundTerms) and, + 1, of the trajectories: independent streams. */
  seed: number;
  kinds?: readonly Sigma2Kind[];
  dim?: number;
}

/** Largest |Σ terms − total| / |total| accepted: float64 rounding of 1001 additions is ~1e-13. */
export const SUM_TOLERANCE = 1e-9;

/**
 * Check (a): boundTerms on x0 with predictor eps for each σ_t² kind; its terms must add up to its
 * total (to SUM_TOLERANCE) and the total must agree with chainLogRatio within Z_LIMIT standard errors.
 */
export function* ledgerCheck(s: Schedule, x0: Float64Array, eps: EpsPredictor, {seed, kinds = SIGMA2_KINDS, dim = 2}: LedgerCheckOptions): Work<LedgerCheck[]> {
  const memo = memoizeByT(eps);
  // Half the work: ε_θ on the ledger's x_t (shared by all kinds); the other half: the chains.
  for (const done of prefetch(s, x0, memo, seed)) yield done / 2;
  const ledgers = kinds.map((kind) => boundTerms(s, x0, memo, {rng: createRng(seed), sigma2Kind: kind, dim}));
  const chainWork = chainLogRatio(s, x0, memo, createRng(seed + 1), kinds, dim);
  let chains: Map<Sigma2Kind, Estimate>;
  for (;;) {
    const step = chainWork.next();
    if (step.done) {
      chains = step.value;
      break;
    }
    yield 0.5 + step.value / 2;
  }
  return kinds.map((kind, i) => {
    const ledger = ledgers[i];
    const sums = ledgerSums(ledger);
    const chain = chains.get(kind)!;
    const z = (ledger.total - chain.value) / Math.hypot(ledger.totalStdErr, chain.stdErr);
    return {kind, ledger, sums, chain, z, pass: sums.relDiff <= SUM_TOLERANCE && Math.abs(z) <= Z_LIMIT};
  });
}

/** Check (b) for one σ_t² kind. */
export interface EntropyGap {
  kind: Sigma2Kind;
  /** The bound L, nats per example, with its standard error. */
  bound: Estimate;
  /** L − H estimated pairwise: the mean over x_0 of L(x_0) + log q(x_0). */
  gap: Estimate;
  /** gap / its standard error. */
  z: number;
  pass: boolean;
}

export interface EntropyCheck {
  entropy: Estimate;
  kinds: EntropyGap[];
  pass: boolean;
}

export interface EntropyCheckOptions {
  /**
   * Examples x_0 (drawn from the mixture itself). The estimate's remaining noise comes from how the
   * gap varies between points, so only n shrinks it: with ε* on the ring and σ_t² = β_t, n = 2000
   * gives a standard error of ~0.008 nats against a gap of ~0.04 (more repeats do not help).
   */
  n?: number;
  /** Timesteps 1 … repeatT get `repeats` independent x_t each: they carry most of the variance. */
  repeatT?: number;
  repeats?: number;
  /** Draws of mixtureEntropy. */
  entropyDraws?: number;
  seed: number;
  kinds?: readonly Sigma2Kind[];
}

/**
 * Check (b): the bound lies above the data's entropy H[q(x_0)], for each σ_t² kind.
 *
 * L − H = E_{x_0}[L(x_0) + log q(x_0)] ≥ 0 (L(x_0) ≥ −log p_θ(x_0), and the cross-entropy
 * −E log p_θ(x_0) ≥ H). It can be small: with ε* and σ_t² = β_t it is ~0.04 nats on the ring. So the
 * estimate is sharpened in two ways that leave its mean unchanged: it is paired (each x_0's own
 * log q(x_0) is subtracted, removing the spread of −log q(x_0) between points), and the terms at
 * t ≤ repeatT, whose ε error is mostly irreducible noise (λ_t is largest there), average `repeats`
 * draws of x_t. Terms come from the core (decoderTerm, transitionTerm, priorTerm); every kind sees
 * the same draws. Passes when every estimated gap is positive. mixtureEntropy is reported beside
 * it as the data's entropy.
 */
export function* entropyCheck(
  s: Schedule,
  gm: GaussianMixture,
  eps: EpsPredictor,
  {n = 2000, repeatT = 20, repeats = 32, entropyDraws = 20000, seed, kinds = SIGMA2_KINDS}: EntropyCheckOptions
): Work<EntropyCheck> {
  checkCount(n, "n", 2);
  const dim = gm.dim;
  const rng = createRng(seed);
  const x0 = sampleMixture(gm, n, rng);
  const perExample = new Map(kinds.map((k) => [k, new Float64Array(n)]));
  for (let t = 1; t <= s.T; t++) {
    const reps = t <= repeatT ? repeats : 1;
    for (let r = 0; r < reps; r++) {
      const xt = qSample(s, x0, t, rng.normals(x0.length));
      const epsPred = eps(xt, t);
      for (const kind of kinds) {
        const values = t === 1 ? decoderTerm(s, x0, xt, epsPred, kind, dim) : transitionTerm(s, x0, xt, t, epsPred, kind, dim);
        const acc = perExample.get(kind)!;
        for (let j = 0; j < n; j++) acc[j] += values[j] / reps;
      }
    }
    yield t / s.T;
  }
  const prior = priorTerm(s, x0, dim);
  const logq = mixtureLogDensity(gm, x0);
  const entropy = mixtureEntropy(gm, {n: entropyDraws, rng: createRng(seed + 1)});
  const results = kinds.map((kind) => {
    const acc = perExample.get(kind)!;
    for (let j = 0; j < n; j++) acc[j] += prior[j];
    const bound = estimate(acc);
    const gap = estimate(acc.map((v, j) => v + logq[j]));
    const z = gap.value / gap.stdErr;
    return {kind, bound, gap, z, pass: gap.value > 0};
  });
  return {entropy, kinds: results, pass: results.every((r) => r.pass)};
}

/** One point of the L_T-against-T curve. */
export interface PriorPoint {
  T: number;
  alphaBarT: number;
  /** L_T = KL(q(x_T|x_0) ‖ N(0, I)), mean over the data, nats per example. */
  LT: number;
}

/** The steps T of the L_T curve: a short chain up to the paper's T = 1000 and beyond. */
export const PRIOR_STEPS = [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000] as const;

/**
 * Check (c): L_T (priorTerm, Eq. 5) on the data x0 for linear schedules β_1 … β_T from betaStart
 * to betaEnd (the paper's 1e-4 and 0.02) of each length T. ᾱ_T ≈ exp(−T(β_1 + β_T)/2), so a short
 * chain leaves most of the signal and L_T is large.
 */
export function priorTermCurve(x0: Float64Array, steps: readonly number[] = PRIOR_STEPS, betaStart = 1e-4, betaEnd = 0.02, dim = 2): PriorPoint[] {
  return steps.map((T) => {
    const s = makeSchedule({kind: "linear", T, betaStart, betaEnd});
    const values = priorTerm(s, x0, dim);
    let sum = 0;
    for (let j = 0; j < values.length; j++) sum += values[j];
    return {T, alphaBarT: s.alphaBar[T - 1], LT: sum / values.length};
  });
}

/** The verdict of check (c): L_T(T = 1000) < 1e-3 nats (negligible) and L_T(T = 10) > 0.1 nats (not). */
export function priorTermVerdict(curve: readonly PriorPoint[]): {short: PriorPoint; paper: PriorPoint; pass: boolean} {
  const short = curve.find((p) => p.T === 10);
  const paper = curve.find((p) => p.T === 1000);
  if (!short || !paper) throw new Error("the L_T curve needs T = 10 and T = 1000");
  return {short, paper, pass: paper.LT < 1e-3 && short.LT > 0.1};
}
