/**
 * The variational bound L = L_T + Σ_{t≥2} L_{t−1} + L_0 (Eq. 5) on continuous data, given a
 * model's noise predictions ε_θ (docs/architecture.md §3):
 *  - L_T = KL(q(x_T|x_0) ‖ N(0, I)), closed form;
 *  - L_{t−1} = KL(q(x_{t−1}|x_t, x_0) ‖ p_θ(x_{t−1}|x_t)) for t ≥ 2, closed form between Gaussians (Eq. 8);
 *  - L_0 = −log N(x_0; μ_θ(x_1, 1), σ_1² I), a density: not the paper's discretised image decoder (Eq. 13).
 * All terms are in nats per example (an example is one point of dimension `dim`).
 */
import {estimate, type Estimate} from "./stats.js";
import {klDiagGaussianPerPoint, logNormalDensityPerPoint, toBitsPerDim} from "./gaussian.js";
import {muTheta, trueBoundWeight, posteriorMean} from "./posterior.js";
import {qSample} from "./forward.js";
import type {Rng} from "./random.js";
import {checkT, sigmaSquared, type Schedule, type Sigma2Kind} from "./schedule.js";
import {assertSameLength, pointCount} from "./util.js";

/**
 * A noise predictor ε_θ(x_t, t), batched: `xt` holds n points flat (n·D values) all at timestep t
 * (the paper's 1 … T), and the result holds the n predicted ε, flat, in the same order.
 */
export type EpsPredictor = (xt: Float64Array, t: number) => Float64Array;

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * L_T = KL(q(x_T|x_0) ‖ N(0, I)) for each example (Eq. 5): q(x_T|x_0) = N(√ᾱ_T x_0, (1 − ᾱ_T) I).
 * It has no learned parameters (the paper fixes β_t), and is tiny when ᾱ_T ≈ 0.
 */
export function priorTerm(s: Schedule, x0: ArrayLike<number>, dim = 2): Float64Array {
  pointCount(x0, dim, "x0");
  const a = s.sqrtAlphaBar[s.T - 1];
  const meanT = Float64Array.from(x0, (v) => a * v);
  return klDiagGaussianPerPoint(meanT, s.oneMinusAlphaBar[s.T - 1], new Float64Array(x0.length), 1, dim);
}

function checkTransitionT(s: Schedule, t: number, name: string): void {
  checkT(s, t);
  if (t < 2) throw new Error(`${name} needs t ≥ 2 (it is L_{t−1}); t = 1 is the decoder L_0, see decoderTerm`);
}

/**
 * L_{t−1} = KL(q(x_{t−1}|x_t, x_0) ‖ p_θ(x_{t−1}|x_t)) for each example, t ≥ 2 (Eq. 5, 8): the closed
 * form between N(μ̃_t(x_t, x_0), β̃_t I) (Eq. 7) and N(μ_θ(x_t, t), σ_t² I) with μ_θ from ε_θ (Eq. 11).
 */
export function transitionTerm(
  s: Schedule,
  x0: ArrayLike<number>,
  xt: ArrayLike<number>,
  t: number,
  epsPred: ArrayLike<number>,
  sigma2Kind: Sigma2Kind = "betaTilde",
  dim = 2
): Float64Array {
  checkTransitionT(s, t, "transitionTerm");
  pointCount(x0, dim, "x0");
  const muTilde = posteriorMean(s, x0, xt, t);
  const mu = muTheta(s, xt, t, epsPred);
  return klDiagGaussianPerPoint(muTilde, s.betaTilde[t - 1], mu, sigmaSquared(s, t, sigma2Kind), dim);
}

/**
 * The same L_{t−1} as transitionTerm, written as the weighted noise error of Eq. 12:
 * λ_t ‖ε − ε_θ‖² + (D/2)(β̃_t/σ_t² − 1 − log(β̃_t/σ_t²)), with ε = (x_t − √ᾱ_t x_0)/√(1 − ᾱ_t) the noise
 * that produced x_t and λ_t = trueBoundWeight. The second part is the constant C of Eq. 8 that comes
 * from the variances alone; it is 0 when σ_t² = β̃_t.
 */
export function transitionTermFromEpsError(
  s: Schedule,
  x0: ArrayLike<number>,
  xt: ArrayLike<number>,
  t: number,
  epsPred: ArrayLike<number>,
  sigma2Kind: Sigma2Kind = "betaTilde",
  dim = 2
): Float64Array {
  checkTransitionT(s, t, "transitionTermFromEpsError");
  assertSameLength(x0, "x0", xt, "xt");
  assertSameLength(xt, "xt", epsPred, "epsPred");
  const n = pointCount(x0, dim, "x0");
  const lambda = trueBoundWeight(s, t, sigma2Kind);
  const r = s.betaTilde[t - 1] / sigmaSquared(s, t, sigma2Kind);
  const constant = (dim / 2) * (r - 1 - Math.log(r));
  const a = s.sqrtAlphaBar[t - 1];
  const b = s.sqrtOneMinusAlphaBar[t - 1];
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      const i = j * dim + d;
      const eps = (xt[i] - a * x0[i]) / b;
      sq += (eps - epsPred[i]) ** 2;
    }
    out[j] = lambda * sq + constant;
  }
  return out;
}

/**
 * L_0 = −log p_θ(x_0|x_1) for each example, with the Gaussian decoder N(x_0; μ_θ(x_1, 1), σ_1² I)
 * (Eq. 5; μ_θ by Eq. 11, σ_1² from sigmaSquared). A density on continuous data, so it can be
 * negative; the paper's discretised decoder (Eq. 13) is for 8-bit images.
 */
export function decoderTerm(
  s: Schedule,
  x0: ArrayLike<number>,
  x1: ArrayLike<number>,
  epsPred: ArrayLike<number>,
  sigma2Kind: Sigma2Kind = "betaTilde",
  dim = 2
): Float64Array {
  assertSameLength(x0, "x0", x1, "x1");
  pointCount(x0, dim, "x0");
  const mu = muTheta(s, x1, 1, epsPred);
  const logp = logNormalDensityPerPoint(x0, mu, sigmaSquared(s, 1, sigma2Kind), dim);
  for (let j = 0; j < logp.length; j++) logp[j] = -logp[j];
  return logp;
}

/** Options of boundTerms. */
export interface BoundOptions {
  /** Source of the noise ε that draws x_t ~ q(x_t|x_0). */
  rng: Rng;
  /** σ_t² of p_θ: β_t or β̃_t (Sec. 3.2); default "betaTilde". */
  sigma2Kind?: Sigma2Kind;
  /** Dimension of one example; default 2. */
  dim?: number;
}

/** The bound of Eq. 5 term by term. */
export interface BoundTerms {
  /** Length T + 1: terms[k] = L_k in nats per example (mean over the given x_0), k = 0 … T. */
  terms: Float64Array;
  /** Σ_k L_k, nats per example: an upper bound on E[−log p_θ(x_0)] (a Monte Carlo estimate of it). */
  total: number;
  /** Standard error of `total` over the examples (each example's terms use independent draws). */
  totalStdErr: number;
  /** total in bits per dimension: total / (dim · ln 2). */
  totalBitsPerDim: number;
}

/**
 * The variational bound (Eq. 5) of a noise predictor on the points x0: for every t one draw
 * x_t ~ q(x_t|x_0) per example (x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, ε from rng, in the order t = 1 … T),
 * L_0 by decoderTerm, L_{t−1} by transitionTerm (t ≥ 2), L_T by priorTerm; each averaged over the
 * examples. Costs T calls of `eps` on n points.
 */
export function boundTerms(s: Schedule, x0: Float64Array, eps: EpsPredictor, options: BoundOptions): BoundTerms {
  const {rng, sigma2Kind = "betaTilde", dim = 2} = options;
  const n = pointCount(x0, dim, "x0");
  if (n === 0) throw new Error("boundTerms needs at least one example");
  const T = s.T;
  const terms = new Float64Array(T + 1);
  const perExample = new Float64Array(n);
  const add = (k: number, values: Float64Array) => {
    terms[k] = mean(values);
    for (let j = 0; j < n; j++) perExample[j] += values[j];
  };
  for (let t = 1; t <= T; t++) {
    const xt = qSample(s, x0, t, rng.normals(x0.length));
    const epsPred = eps(xt, t);
    if (epsPred.length !== xt.length) throw new Error(`the ε predictor returned ${epsPred.length} values for ${xt.length} at t = ${t}`);
    add(t - 1, t === 1 ? decoderTerm(s, x0, xt, epsPred, sigma2Kind, dim) : transitionTerm(s, x0, xt, t, epsPred, sigma2Kind, dim));
  }
  add(T, priorTerm(s, x0, dim));
  let total = 0;
  for (let k = 0; k <= T; k++) total += terms[k];
  const totalStdErr = n > 1 ? estimate(perExample).stdErr : NaN;
  return {terms, total, totalStdErr, totalBitsPerDim: toBitsPerDim(total, dim)};
}

/**
 * A Monte Carlo estimate of the L_simple integrand at one t (Eq. 14): E‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖²
 * per example (summed over the `dim` coordinates, the paper's squared norm), one ε per given x_0.
 */
export function lSimpleAt(s: Schedule, x0: Float64Array, t: number, eps: EpsPredictor, rng: Rng, dim = 2): Estimate {
  checkT(s, t);
  const n = pointCount(x0, dim, "x0");
  const noise = rng.normals(x0.length);
  const epsPred = eps(qSample(s, x0, t, noise), t);
  if (epsPred.length !== x0.length) throw new Error(`the ε predictor returned ${epsPred.length} values for ${x0.length} at t = ${t}`);
  const sq = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let d = 0; d < dim; d++) acc += (noise[j * dim + d] - epsPred[j * dim + d]) ** 2;
    sq[j] = acc;
  }
  return estimate(sq);
}

/**
 * Every term of the bound as an affine function of the noise error: L_k = weight·‖ε − ε_θ‖² +
 * constant per example, for k = t − 1 (t = 1 … T). For t ≥ 2 this is Eq. 12 (weight λ_t, constant
 * from the variances alone, as transitionTermFromEpsError); for t = 1 it is the decoder L_0: with
 * x_1 = √α_1 x_0 + √β_1 ε, x_0 − μ_θ(x_1, 1) = −√β_1 (ε − ε_θ)/√α_1, so
 * L_0 = β_1/(2 α_1 σ_1²)·‖ε − ε_θ‖² + (D/2) log(2π σ_1²). A batched evaluator (the tfjs ledger)
 * needs only the per-t noise error, which stays accurate in float32 where the means would not.
 */
export function termCoefficients(s: Schedule, t: number, sigma2Kind: Sigma2Kind = "betaTilde", dim = 2): {weight: number; constant: number} {
  checkT(s, t);
  const sigma2 = sigmaSquared(s, t, sigma2Kind);
  if (t === 1) {
    return {weight: s.beta[0] / (2 * s.alpha[0] * sigma2), constant: (dim / 2) * Math.log(2 * Math.PI * sigma2)};
  }
  const r = s.betaTilde[t - 1] / sigma2;
  return {weight: trueBoundWeight(s, t, sigma2Kind), constant: (dim / 2) * (r - 1 - Math.log(r))};
}
