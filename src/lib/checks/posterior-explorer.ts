/**
 * What the Reverse-process page's 2D explorer shows for one (t, x_0, x_t): the forward posterior
 * q(x_{t−1}|x_t, x_0) (Eq. 6–7), the reverse step p_θ(x_{t−1}|x_t) (Eq. 1, 11) of the best possible
 * model for Gaussian-mixture data — ε_θ = ε*(x_t, t), the exact E[ε|x_t] — and the KL between
 * them, the bound's term L_{t−1} (Eq. 5). Points are 2D; t ≥ 2 (t = 1 is the decoder L_0).
 */
import {termCoefficients, transitionTerm} from "../bound.js";
import {conditionalEpsVariance, optimalEps, type GaussianMixture} from "../mixture.js";
import {muTheta, posteriorMean, posteriorVariance, predictX0FromEps} from "../posterior.js";
import {checkT, sigmaSquared, type Schedule, type Sigma2Kind} from "../schedule.js";

/** Everything the explorer draws and reports, for one choice of t, x_0, x_t and σ_t². */
export interface PosteriorExplorerState {
  t: number;
  sigma2Kind: Sigma2Kind;
  x0: Float64Array;
  xt: Float64Array;
  /** μ̃_t(x_t, x_0), the posterior's mean (Eq. 7). */
  muTilde: Float64Array;
  /** β̃_t, the posterior's variance per coordinate (Eq. 7). */
  betaTilde: number;
  /** ε*(x_t, t) = E[ε|x_t]: the optimal ε_θ for this data. */
  epsStar: Float64Array;
  /** E[x_0|x_t] = (x_t − √(1 − ᾱ_t) ε*)/√ᾱ_t: the x_0 that the optimal model implicitly predicts. */
  x0Hat: Float64Array;
  /** μ_θ(x_t, t) from ε* (Eq. 11). */
  muTheta: Float64Array;
  /** σ_t² of p_θ (Sec. 3.2). */
  sigma2: number;
  /** L_{t−1} = KL(q(x_{t−1}|x_t, x_0) ‖ p_θ(x_{t−1}|x_t)) in nats (transitionTerm). */
  kl: number;
  /** The part of kl due to the means: ‖μ̃_t − μ_θ‖²/(2σ_t²). */
  klMeans: number;
  /** The part due to the variances alone: (D/2)(β̃_t/σ_t² − 1 − log(β̃_t/σ_t²)); 0 when σ_t² = β̃_t. */
  klVariances: number;
  /**
   * E[L_{t−1} | x_t]: the KL averaged over every x_0 that could have produced x_t, x_0 ~ q(x_0|x_t).
   * What even the optimal model pays at this x_t, because it cannot know which x_0 it was.
   */
  expectedKl: number;
  /** |μ_θ − μ̃_t(x_t, E[x_0|x_t])|: Eq. 11 with ε* must land on Eq. 7 at the averaged x_0 (0 up to rounding). */
  consistencyGap: number;
  /** ‖x_t − √ᾱ_t x_0‖/√(1 − ᾱ_t): how many standard deviations of q(x_t|x_0) x_t lies from its mean. */
  xtDistance: number;
}

/** ‖a − b‖², the squared Euclidean distance. */
function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum;
}

/**
 * The explorer's numbers for 2D points x0 and xt at step t (2 … T) on mixture data `gm`. The KL is
 * the core's transitionTerm (Eq. 5, 8) with ε_θ = ε*; its split into the means' and the variances'
 * parts is recomputed here for display. expectedKl uses that μ̃_t is linear in x_0 and
 * μ_θ* = μ̃_t(x_t, E[x_0|x_t]), so E‖μ̃_t − μ_θ*‖² = c² tr Cov(x_0|x_t) with c = √ᾱ_{t−1}β_t/(1 − ᾱ_t),
 * and x_0 = (x_t − √(1 − ᾱ_t) ε)/√ᾱ_t gives tr Cov(x_0|x_t) = (1 − ᾱ_t)/ᾱ_t · tr Cov(ε|x_t).
 */
export function posteriorExplorerState(
  s: Schedule,
  gm: GaussianMixture,
  t: number,
  x0: ArrayLike<number>,
  xt: ArrayLike<number>,
  sigma2Kind: Sigma2Kind = "betaTilde"
): PosteriorExplorerState {
  checkT(s, t);
  if (t < 2) throw new Error("the explorer needs t ≥ 2: L_0 (t = 1) is the decoder, not a KL between Gaussians");
  if (gm.dim !== 2 || x0.length !== 2 || xt.length !== 2) throw new Error("the explorer works with 2D data and 2D points");
  const x0a = Float64Array.from(x0);
  const xta = Float64Array.from(xt);
  const muTilde = posteriorMean(s, x0a, xta, t);
  const betaTilde = posteriorVariance(s, t);
  const epsStar = optimalEps(gm, s, xta, t);
  const x0Hat = predictX0FromEps(s, xta, t, epsStar);
  const mu = muTheta(s, xta, t, epsStar);
  const sigma2 = sigmaSquared(s, t, sigma2Kind);
  const kl = transitionTerm(s, x0a, xta, t, epsStar, sigma2Kind, 2)[0];
  const klVariances = termCoefficients(s, t, sigma2Kind, 2).constant; // C of Eq. 8
  const klMeans = squaredDistance(muTilde, mu) / (2 * sigma2);
  const c = s.posteriorMeanCoef1[t - 1];
  const trCovX0 = (s.oneMinusAlphaBar[t - 1] / s.alphaBar[t - 1]) * conditionalEpsVariance(gm, s, xta, t)[0];
  const expectedKl = (c * c * trCovX0) / (2 * sigma2) + klVariances;
  const consistencyGap = Math.sqrt(squaredDistance(mu, posteriorMean(s, x0Hat, xta, t)));
  const a = s.sqrtAlphaBar[t - 1];
  const xtDistance = Math.sqrt((xta[0] - a * x0a[0]) ** 2 + (xta[1] - a * x0a[1]) ** 2) / s.sqrtOneMinusAlphaBar[t - 1];
  return {t, sigma2Kind, x0: x0a, xt: xta, muTilde, betaTilde, epsStar, x0Hat, muTheta: mu, sigma2, kl, klMeans, klVariances, expectedKl, consistencyGap, xtDistance};
}

/**
 * Tolerance of the explorer's live check that μ_θ(x_t, t) from ε* (Eq. 11) equals μ̃_t(x_t, E[x_0|x_t])
 * (Eq. 7), in units of the posterior's standard deviation √β̃_t: both are a few arithmetic operations
 * on numbers of order 1, so they agree to ~1e-15/√β̃_t ≤ 1e-12; a wrong coefficient in either would
 * be off by O(1).
 */
export const EXPLORER_CONSISTENCY_TOLERANCE = 1e-9;

/** Whether the explorer's state passes its check (see EXPLORER_CONSISTENCY_TOLERANCE). */
export function explorerConsistencyPasses(state: PosteriorExplorerState): boolean {
  return state.consistencyGap / Math.sqrt(state.betaTilde) < EXPLORER_CONSISTENCY_TOLERANCE;
}
