/**
 * The forward-process posterior q(x_{t−1}|x_t, x_0) (Eq. 6–7), its ε form (Eq. 9–10), the model's
 * mean μ_θ (Eq. 11), the weight of Eq. 12, and one step of Algorithm 2. Points are flat arrays of
 * any dimension; t is the paper's 1 … T.
 */
import {checkT, sigmaSquared, type Schedule, type Sigma2Kind} from "./schedule.js";
import {assertSameLength} from "./util.js";

/**
 * μ̃_t(x_t, x_0) = √ᾱ_{t−1}β_t/(1 − ᾱ_t) · x_0 + √α_t(1 − ᾱ_{t−1})/(1 − ᾱ_t) · x_t (Eq. 7), the
 * mean of q(x_{t−1}|x_t, x_0) found by completing the square in Bayes' rule. At t = 1 it is x_0.
 */
export function posteriorMean(s: Schedule, x0: ArrayLike<number>, xt: ArrayLike<number>, t: number): Float64Array {
  checkT(s, t);
  assertSameLength(x0, "x0", xt, "xt");
  const c1 = s.posteriorMeanCoef1[t - 1];
  const c2 = s.posteriorMeanCoef2[t - 1];
  const out = new Float64Array(x0.length);
  for (let i = 0; i < out.length; i++) out[i] = c1 * x0[i] + c2 * xt[i];
  return out;
}

/** β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t) · β_t (Eq. 7), the per-coordinate variance of q(x_{t−1}|x_t, x_0); 0 at t = 1. */
export function posteriorVariance(s: Schedule, t: number): number {
  checkT(s, t);
  return s.betaTilde[t - 1];
}

/**
 * x_0 = (x_t − √(1 − ᾱ_t) ε)/√ᾱ_t: Eq. 4 solved for x_0 (with ε = ε_θ it is the paper's estimate
 * x̂_0 of Sec. 4.3, progressive generation).
 */
export function predictX0FromEps(s: Schedule, xt: ArrayLike<number>, t: number, eps: ArrayLike<number>): Float64Array {
  checkT(s, t);
  assertSameLength(xt, "xt", eps, "eps");
  const a = s.sqrtAlphaBar[t - 1];
  const b = s.sqrtOneMinusAlphaBar[t - 1];
  const out = new Float64Array(xt.length);
  for (let i = 0; i < out.length; i++) out[i] = (xt[i] - b * eps[i]) / a;
  return out;
}

/** (x_t − β_t/√(1 − ᾱ_t) · ε)/√α_t, shared by Eq. 10 (true ε) and Eq. 11 (predicted ε). */
function meanFromEps(s: Schedule, xt: ArrayLike<number>, t: number, eps: ArrayLike<number>, epsName: string): Float64Array {
  checkT(s, t);
  assertSameLength(xt, "xt", eps, epsName);
  const k = s.beta[t - 1] / s.sqrtOneMinusAlphaBar[t - 1];
  const scale = 1 / Math.sqrt(s.alpha[t - 1]);
  const out = new Float64Array(xt.length);
  for (let i = 0; i < out.length; i++) out[i] = scale * (xt[i] - k * eps[i]);
  return out;
}

/**
 * μ̃_t in ε form (Eq. 10): with x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, μ̃_t = (x_t − β_t/√(1 − ᾱ_t) ε)/√α_t.
 * Equals posteriorMean(s, predictX0FromEps(s, xt, t, eps), xt, t).
 */
export function posteriorMeanFromEps(s: Schedule, xt: ArrayLike<number>, t: number, eps: ArrayLike<number>): Float64Array {
  return meanFromEps(s, xt, t, eps, "eps");
}

/**
 * The model's mean μ_θ(x_t, t) = (x_t − β_t/√(1 − ᾱ_t) ε_θ(x_t, t))/√α_t (Eq. 11): Eq. 10 with the
 * predicted noise in place of the true one, so μ_θ = μ̃_t exactly when ε_θ = ε.
 */
export function muTheta(s: Schedule, xt: ArrayLike<number>, t: number, epsPred: ArrayLike<number>): Float64Array {
  return meanFromEps(s, xt, t, epsPred, "epsPred");
}

/**
 * λ_t = β_t² / (2σ_t² α_t (1 − ᾱ_t)): the weight of ‖ε − ε_θ‖² in the true bound's term L_{t−1}
 * (Eq. 12), the weighting that L_simple (Eq. 14) discards ("the site's λ_t": the paper writes it out). With σ_t² = β̃_t it equals β_t/(2α_t(1 − ᾱ_{t−1})). At t = 1 the same formula is the
 * weight of ‖ε − ε_θ‖² in the Gaussian decoder L_0 (there (1 − ᾱ_1) = β_1, so λ_1 = β_1/(2σ_1²α_1)),
 * with σ_1² from sigmaSquared (β̃_2 for "betaTilde").
 */
export function trueBoundWeight(s: Schedule, t: number, sigma2Kind: Sigma2Kind = "betaTilde"): number {
  const sigma2 = sigmaSquared(s, t, sigma2Kind);
  const beta = s.beta[t - 1];
  return (beta * beta) / (2 * sigma2 * s.alpha[t - 1] * s.oneMinusAlphaBar[t - 1]);
}

/**
 * One step of Algorithm 2: x_{t−1} = μ_θ(x_t, t) + σ_t z (Eq. 11 for μ_θ), σ_t² from sigmaSquared.
 * At t = 1 the step returns μ_θ(x_1, 1) and `z` is ignored (may be null), as in the algorithm.
 */
export function pSampleStep(
  s: Schedule,
  xt: ArrayLike<number>,
  t: number,
  epsPred: ArrayLike<number>,
  z: ArrayLike<number> | null | undefined,
  sigma2Kind: Sigma2Kind = "betaTilde"
): Float64Array {
  const mean = muTheta(s, xt, t, epsPred);
  if (t === 1) return mean;
  if (z == null) throw new Error(`pSampleStep at t = ${t} needs noise z (only t = 1 omits it)`);
  assertSameLength(xt, "xt", z, "z");
  const sigma = Math.sqrt(sigmaSquared(s, t, sigma2Kind));
  for (let i = 0; i < mean.length; i++) mean[i] += sigma * z[i];
  return mean;
}
