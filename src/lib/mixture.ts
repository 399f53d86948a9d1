/**
 * Exact answers for Gaussian-mixture data (docs/architecture.md §3). If q(x_0) = Σ_k w_k N(μ_k, σ_k² I), then
 * q(x_t) = ∫ q(x_t|x_0) q(x_0) dx_0 (Eq. 4) is again a mixture, Σ_k w_k N(√ᾱ_t μ_k, v_k I) with
 * v_k = ᾱ_t σ_k² + 1 − ᾱ_t, and given the component k, (x_0, ε, x_t) are jointly Gaussian. So the
 * optimal denoiser E[ε|x_t], the irreducible part of L_simple, and the score are all in closed form.
 * Points are flat arrays of dimension gm.dim; t is the paper's 1 … T.
 */
import type {EpsPredictor} from "./bound.js";
import type {Rng} from "./random.js";
import {checkT, type Schedule} from "./schedule.js";
import {estimate, type Estimate} from "./stats.js";
import {checkCount, pointCount} from "./util.js";

/** An isotropic Gaussian mixture Σ_k w_k N(μ_k, σ_k² I) in `dim` dimensions. */
export interface GaussianMixture {
  dim: number;
  /** w_k, K values, positive, summing to 1. */
  weights: Float64Array;
  /** μ_k, K·dim values, component k at k·dim … k·dim + dim − 1. */
  means: Float64Array;
  /** σ_k², K values (each component is isotropic). */
  variances: Float64Array;
}

/** Throws unless `gm` is a valid mixture (shapes agree, weights > 0 summing to 1 within 1e-9, variances > 0). */
export function validateMixture(gm: GaussianMixture): void {
  checkCount(gm.dim, "dim");
  const K = gm.weights.length;
  if (K < 1) throw new Error("a mixture needs at least one component");
  if (gm.variances.length !== K) throw new Error(`mixture has ${K} weights but ${gm.variances.length} variances`);
  if (gm.means.length !== K * gm.dim) throw new Error(`mixture has ${K} components of dim ${gm.dim} but ${gm.means.length} mean values (expected ${K * gm.dim})`);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    if (!(gm.weights[k] > 0) || !Number.isFinite(gm.weights[k])) throw new Error(`weights[${k}] = ${gm.weights[k]} must be finite and > 0`);
    if (!(gm.variances[k] > 0) || !Number.isFinite(gm.variances[k])) throw new Error(`variances[${k}] = ${gm.variances[k]} must be finite and > 0`);
    sum += gm.weights[k];
  }
  for (let i = 0; i < gm.means.length; i++) if (!Number.isFinite(gm.means[i])) throw new Error(`means[${i}] = ${gm.means[i]} is not finite`);
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`mixture weights sum to ${sum}, not 1`);
}

/**
 * The mixture of q(x_t) when q(x_0) = gm and q(x_t|x_0) = N(√ᾱ x_0, (1 − ᾱ) I) (Eq. 4): means
 * √ᾱ μ_k, variances ᾱσ_k² + 1 − ᾱ, same weights. `oneMinusAlphaBar` may be passed for precision
 * when ᾱ ≈ 1 (the schedule's oneMinusAlphaBar[t − 1]).
 */
export function diffuseMixture(gm: GaussianMixture, alphaBar: number, oneMinusAlphaBar = 1 - alphaBar): GaussianMixture {
  validateMixture(gm);
  if (!(alphaBar > 0 && alphaBar <= 1)) throw new Error(`alphaBar = ${alphaBar} is outside (0, 1]`);
  const a = Math.sqrt(alphaBar);
  return {
    dim: gm.dim,
    weights: Float64Array.from(gm.weights),
    means: Float64Array.from(gm.means, (m) => a * m),
    variances: Float64Array.from(gm.variances, (v) => alphaBar * v + oneMinusAlphaBar)
  };
}

function diffuseAt(gm: GaussianMixture, s: Schedule, t: number): GaussianMixture {
  checkT(s, t);
  return diffuseMixture(gm, s.alphaBar[t - 1], s.oneMinusAlphaBar[t - 1]);
}

/** Per-component constants of the log density: log w_k − (D/2) log(2π σ_k²) and 1/(2σ_k²). */
interface Prepared {
  gm: GaussianMixture;
  logNorm: Float64Array;
  halfPrecision: Float64Array;
}

function prepare(gm: GaussianMixture): Prepared {
  const {dim, weights, variances} = gm;
  return {
    gm,
    logNorm: Float64Array.from(weights, (w, k) => Math.log(w) - 0.5 * dim * Math.log(2 * Math.PI * variances[k])),
    halfPrecision: Float64Array.from(variances, (v) => 1 / (2 * v))
  };
}

/**
 * For the point of x at `offset`: the component log-weights log w_k + log N(x; μ_k, σ_k² I) into
 * `logits`, and their log-sum-exp, log p(x), returned. Shared by the density, the
 * responsibilities and ε*.
 */
function componentLogits(p: Prepared, x: ArrayLike<number>, offset: number, logits: Float64Array): number {
  const {dim, means} = p.gm;
  const K = logits.length;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += (x[offset + d] - means[k * dim + d]) ** 2;
    const l = p.logNorm[k] - sq * p.halfPrecision[k];
    logits[k] = l;
    if (l > max) max = l;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(logits[k] - max);
  return max + Math.log(sum);
}

/** log q(x) of the mixture for each point of x (log-sum-exp over components, in nats). */
export function mixtureLogDensity(gm: GaussianMixture, x: ArrayLike<number>): Float64Array {
  validateMixture(gm);
  const n = pointCount(x, gm.dim, "x");
  const p = prepare(gm);
  const logits = new Float64Array(gm.weights.length);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = componentLogits(p, x, j * gm.dim, logits);
  return out;
}

/** log q(x_t) for each point when q(x_0) = gm (the diffused mixture, Eq. 4). */
export function marginalLogDensity(gm: GaussianMixture, s: Schedule, xt: ArrayLike<number>, t: number): Float64Array {
  return mixtureLogDensity(diffuseAt(gm, s, t), xt);
}

/**
 * Walks the points of xt and, for each, hands `visit` the responsibilities r_k = q(k|x_t) and the
 * diffused mixture; the per-component conditional moments follow from the joint Gaussian of
 * (x_0, ε, x_t) given k.
 */
function forEachPosterior(
  gm: GaussianMixture,
  s: Schedule,
  xt: ArrayLike<number>,
  t: number,
  visit: (j: number, resp: Float64Array, diffused: GaussianMixture) => void
): void {
  const diffused = diffuseAt(gm, s, t);
  const n = pointCount(xt, gm.dim, "xt");
  const K = gm.weights.length;
  const p = prepare(diffused);
  const resp = new Float64Array(K);
  for (let j = 0; j < n; j++) {
    const logp = componentLogits(p, xt, j * gm.dim, resp);
    for (let k = 0; k < K; k++) resp[k] = Math.exp(resp[k] - logp);
    visit(j, resp, diffused);
  }
}

/**
 * E[x_0|x_t] for each point: Σ_k r_k(x_t) [μ_k + √ᾱ σ_k²/v_k (x_t − √ᾱ μ_k)], the posterior mean of
 * x_0 under q (Bayes with the Gaussian likelihood q(x_t|x_0) of Eq. 4 and the mixture prior).
 */
export function posteriorX0Mean(gm: GaussianMixture, s: Schedule, xt: ArrayLike<number>, t: number): Float64Array {
  const {dim, means, variances} = gm;
  const a = s.sqrtAlphaBar[t - 1];
  const out = new Float64Array(xt.length);
  forEachPosterior(gm, s, xt, t, (j, resp, diffused) => {
    for (let k = 0; k < resp.length; k++) {
      const gain = (a * variances[k]) / diffused.variances[k];
      for (let d = 0; d < dim; d++) {
        const i = j * dim + d;
        out[i] += resp[k] * (means[k * dim + d] + gain * (xt[i] - a * means[k * dim + d]));
      }
    }
  });
  return out;
}

/**
 * The optimal noise prediction ε*(x_t, t) = E[ε|x_t] = Σ_k r_k(x_t) √(1 − ᾱ_t)(x_t − √ᾱ_t μ_k)/v_k,
 * the minimiser of L_simple (Eq. 14) at each t. It equals −√(1 − ᾱ_t) ∇ log q(x_t) and
 * (x_t − √ᾱ_t E[x_0|x_t])/√(1 − ᾱ_t).
 */
export function optimalEps(gm: GaussianMixture, s: Schedule, xt: ArrayLike<number>, t: number): Float64Array {
  const {dim} = gm;
  const a = s.sqrtAlphaBar[t - 1];
  const b = s.sqrtOneMinusAlphaBar[t - 1];
  const out = new Float64Array(xt.length);
  forEachPosterior(gm, s, xt, t, (j, resp, diffused) => {
    for (let k = 0; k < resp.length; k++) {
      const c = (resp[k] * b) / diffused.variances[k];
      for (let d = 0; d < dim; d++) out[j * dim + d] += c * (xt[j * dim + d] - a * gm.means[k * dim + d]);
    }
  });
  return out;
}

/** The score ∇_{x_t} log q(x_t) for each point: −Σ_k r_k (x_t − √ᾱ_t μ_k)/v_k (= −ε* / √(1 − ᾱ_t)). */
export function mixtureScore(gm: GaussianMixture, s: Schedule, xt: ArrayLike<number>, t: number): Float64Array {
  const {dim} = gm;
  const a = s.sqrtAlphaBar[t - 1];
  const out = new Float64Array(xt.length);
  forEachPosterior(gm, s, xt, t, (j, resp, diffused) => {
    for (let k = 0; k < resp.length; k++) {
      const c = resp[k] / diffused.variances[k];
      for (let d = 0; d < dim; d++) out[j * dim + d] -= c * (xt[j * dim + d] - a * gm.means[k * dim + d]);
    }
  });
  return out;
}

/**
 * tr Cov(ε|x_t) for each point: the error that even ε* leaves at x_t. Given component k, ε|x_t is
 * N(e_k, ᾱσ_k²/v_k I) with e_k = √(1 − ᾱ)(x_t − √ᾱ μ_k)/v_k; mixing over r_k adds the spread of
 * the e_k about ε*: tr = Σ_k r_k [D ᾱσ_k²/v_k + ‖e_k − ε*‖²].
 */
export function conditionalEpsVariance(gm: GaussianMixture, s: Schedule, xt: ArrayLike<number>, t: number): Float64Array {
  const {dim, means, variances} = gm;
  const alphaBar = s.alphaBar[t - 1];
  const a = s.sqrtAlphaBar[t - 1];
  const b = s.sqrtOneMinusAlphaBar[t - 1];
  const out = new Float64Array(pointCount(xt, dim, "xt"));
  const K = gm.weights.length;
  const e = new Float64Array(K * dim);
  const eStar = new Float64Array(dim);
  forEachPosterior(gm, s, xt, t, (j, resp, diffused) => {
    eStar.fill(0);
    for (let k = 0; k < K; k++) {
      for (let d = 0; d < dim; d++) {
        e[k * dim + d] = (b * (xt[j * dim + d] - a * means[k * dim + d])) / diffused.variances[k];
        eStar[d] += resp[k] * e[k * dim + d];
      }
    }
    let tr = 0;
    for (let k = 0; k < K; k++) {
      let spread = 0;
      for (let d = 0; d < dim; d++) spread += (e[k * dim + d] - eStar[d]) ** 2;
      tr += resp[k] * ((dim * alphaBar * variances[k]) / diffused.variances[k] + spread);
    }
    out[j] = tr;
  });
  return out;
}

/**
 * n independent draws from the mixture, flat (n·dim values). Per point: one uniform picks the
 * component (by cumulative weight), then dim normals.
 */
export function sampleMixture(gm: GaussianMixture, n: number, rng: Rng): Float64Array {
  validateMixture(gm);
  checkCount(n, "n", 0);
  const {dim, weights, means, variances} = gm;
  const K = weights.length;
  const sd = Float64Array.from(variances, Math.sqrt);
  const out = new Float64Array(n * dim);
  for (let j = 0; j < n; j++) {
    const u = rng.uniform();
    let k = 0;
    let acc = weights[0];
    while (k < K - 1 && u >= acc) acc += weights[++k];
    for (let d = 0; d < dim; d++) out[j * dim + d] = means[k * dim + d] + sd[k] * rng.normal();
  }
  return out;
}

/** Options for Monte Carlo estimates: the number of draws and their source. */
export interface McOptions {
  n: number;
  rng: Rng;
}

/**
 * The irreducible L_simple at t: min over ε_θ of E‖ε − ε_θ(x_t, t)‖² (Eq. 14 at one t) =
 * E_{x_t}[tr Cov(ε|x_t)], reached by ε_θ = ε*. Rao-Blackwellised: x_t ~ q(x_t) by Monte Carlo
 * (n draws), the conditional variance exactly (conditionalEpsVariance). Returns the mean and its
 * standard error.
 */
export function irreducibleLSimple(gm: GaussianMixture, s: Schedule, t: number, {n, rng}: McOptions): Estimate {
  checkCount(n, "n", 2);
  const xt = sampleMixture(diffuseAt(gm, s, t), n, rng);
  return estimate(conditionalEpsVariance(gm, s, xt, t));
}

/** H[q(x_0)] = −E log q(x_0) in nats, by Monte Carlo over n draws, with its standard error. */
export function mixtureEntropy(gm: GaussianMixture, {n, rng}: McOptions): Estimate {
  checkCount(n, "n", 2);
  const logp = mixtureLogDensity(gm, sampleMixture(gm, n, rng));
  for (let j = 0; j < logp.length; j++) logp[j] = -logp[j];
  return estimate(logp);
}

/** ε* as an EpsPredictor (see optimalEps): the best possible denoiser, for exact baselines. */
export function optimalEpsPredictor(gm: GaussianMixture, s: Schedule): EpsPredictor {
  validateMixture(gm);
  return (xt, t) => optimalEps(gm, s, xt, t);
}

/** The mixture's mean Σ_k w_k μ_k and per-coordinate variance Σ_k w_k(σ_k² + μ_k,d²) − mean_d². */
export function mixtureMoments(gm: GaussianMixture): {mean: Float64Array; variance: Float64Array} {
  validateMixture(gm);
  const {dim, weights, means, variances} = gm;
  const mean = new Float64Array(dim);
  const second = new Float64Array(dim);
  for (let k = 0; k < weights.length; k++) {
    for (let d = 0; d < dim; d++) {
      mean[d] += weights[k] * means[k * dim + d];
      second[d] += weights[k] * (variances[k] + means[k * dim + d] ** 2);
    }
  }
  return {mean, variance: Float64Array.from(second, (m2, d) => m2 - mean[d] ** 2)};
}
