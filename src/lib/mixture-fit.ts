/**
 * A Gaussian mixture fitted to points by expectation–maximisation, for data that are not a mixture
 * themselves (the reader's own). The exact answers of mixture.ts (ε*, the score, the entropy) then
 * hold for the FITTED mixture, an approximation of the data's distribution, not for the data: a
 * page must say so ("ε* of a 12-component Gaussian mixture fitted to your points"; exactLabel in
 * components/your-data-words.ts builds those words), or say that the answer is not available (mixtureAnswer).
 *
 * The components are isotropic, N(μ_k, σ_k² I), as GaussianMixture in mixture.ts, so every function
 * there works on the fit unchanged.
 */
import {mixtureLogDensity, type GaussianMixture} from "./mixture.js";
import {createRng} from "./random.js";

/** The number of components used when none is given: enough to follow a drawn curve or a few blobs. */
export const DEFAULT_COMPONENTS = 12;
/** A K-component fit needs at least this many points per component. */
export const MIN_POINTS_PER_COMPONENT = 5;
/**
 * The smallest component variance, in the data's units (σ ≥ 0.01 on standardised data): without
 * it, a component can shrink onto a single point and the likelihood grows without bound.
 */
export const VARIANCE_FLOOR = 1e-4;

/** Options of fitMixture. */
export interface FitOptions {
  /** The number of components K (an integer ≥ 1). */
  K: number;
  dim?: number;
  /** Seeds the k-means++ initialisation; the same (points, options) always give the same fit. */
  seed?: number;
  /** EM stops when the mean log-likelihood per point gains less than this (nats) in an iteration. */
  tolerance?: number;
  maxIterations?: number;
  /** Independent initialisations (seeds seed, seed + 1, …); the fit of the highest likelihood is kept. */
  restarts?: number;
  varianceFloor?: number;
}

/** A fitted mixture and how well it fits. */
export interface MixtureFit {
  mixture: GaussianMixture;
  K: number;
  /** Σ_j log p(x_j) of the fitted mixture over the points it was fitted to, in nats. */
  logLikelihood: number;
  /** logLikelihood / n. */
  meanLogLikelihood: number;
  iterations: number;
  /** True when EM met the tolerance before maxIterations. */
  converged: boolean;
}

/** k-means++ (Arthur & Vassilvitskii 2007): the first centre uniformly, each next with probability ∝ squared distance to the nearest chosen. */
function kMeansPlusPlus(x: ArrayLike<number>, n: number, dim: number, K: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = new Float64Array(K * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = Math.min(n - 1, Math.floor(rng.uniform() * n));
  for (let k = 0; k < K; k++) {
    for (let d = 0; d < dim; d++) centres[k * dim + d] = x[chosen * dim + d];
    let total = 0;
    for (let j = 0; j < n; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (x[j * dim + d] - centres[k * dim + d]) ** 2;
      if (sq < nearest[j]) nearest[j] = sq;
      total += nearest[j];
    }
    if (k + 1 === K) break;
    // All points already on a centre (fewer distinct points than K): pick uniformly.
    let u = rng.uniform() * total;
    chosen = total > 0 ? n - 1 : Math.min(n - 1, Math.floor(rng.uniform() * n));
    if (total > 0) {
      for (let j = 0; j < n; j++) {
        u -= nearest[j];
        if (u < 0) {
          chosen = j;
          break;
        }
      }
    }
  }
  return centres;
}

/** The starting mixture: k-means++ centres, each point to its nearest, weights and variances from those groups. */
function initialMixture(x: ArrayLike<number>, n: number, dim: number, K: number, seed: number, floor: number): GaussianMixture {
  const means = kMeansPlusPlus(x, n, dim, K, seed);
  const counts = new Float64Array(K);
  const ss = new Float64Array(K);
  for (let j = 0; j < n; j++) {
    let best = 0;
    let bestSq = Infinity;
    for (let k = 0; k < K; k++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (x[j * dim + d] - means[k * dim + d]) ** 2;
      if (sq < bestSq) {
        bestSq = sq;
        best = k;
      }
    }
    counts[best]++;
    ss[best] += bestSq;
  }
  let total = 0;
  for (let k = 0; k < K; k++) total += ss[k];
  const pooled = Math.max(floor, total / (n * dim));
  return {
    dim,
    weights: Float64Array.from(counts, (c) => (c + 1) / (n + K)),
    means,
    variances: Float64Array.from(counts, (c, k) => (c > 1 ? Math.max(floor, ss[k] / (c * dim)) : pooled))
  };
}

/** One run of EM from one initialisation. */
function runEm(x: ArrayLike<number>, n: number, dim: number, K: number, seed: number, tolerance: number, maxIterations: number, floor: number): MixtureFit {
  const gm = initialMixture(x, n, dim, K, seed, floor);
  const resp = new Float64Array(n * K);
  const logNorm = new Float64Array(K);
  const pointLog = new Float64Array(n);
  let previous = -Infinity;
  let meanLog = -Infinity;
  let iterations = 0;
  let converged = false;
  const halfPrecision = new Float64Array(K);
  const eStep = (): number => {
    for (let k = 0; k < K; k++) {
      logNorm[k] = Math.log(gm.weights[k]) - 0.5 * dim * Math.log(2 * Math.PI * gm.variances[k]);
      halfPrecision[k] = 1 / (2 * gm.variances[k]);
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      let max = -Infinity;
      const row = j * K;
      for (let k = 0; k < K; k++) {
        let sq = 0;
        for (let d = 0; d < dim; d++) sq += (x[j * dim + d] - gm.means[k * dim + d]) ** 2;
        const l = logNorm[k] - sq * halfPrecision[k];
        resp[row + k] = l;
        if (l > max) max = l;
      }
      let s = 0;
      for (let k = 0; k < K; k++) s += resp[row + k] = Math.exp(resp[row + k] - max);
      for (let k = 0; k < K; k++) resp[row + k] /= s;
      const logp = max + Math.log(s);
      pointLog[j] = logp;
      sum += logp;
    }
    return sum / n;
  };
  meanLog = eStep();
  while (iterations < maxIterations) {
    iterations++;
    // M-step: w_k = N_k / n, μ_k = Σ r x / N_k, σ_k² = Σ r ‖x − μ_k‖² / (D N_k), floored.
    for (let k = 0; k < K; k++) {
      let nk = 0;
      const mu = new Float64Array(dim);
      for (let j = 0; j < n; j++) {
        const r = resp[j * K + k];
        nk += r;
        for (let d = 0; d < dim; d++) mu[d] += r * x[j * dim + d];
      }
      if (nk < 1e-8) {
        // A component that lost all its points restarts on the point the mixture explains worst.
        let worst = 0;
        for (let j = 1; j < n; j++) if (pointLog[j] < pointLog[worst]) worst = j;
        for (let d = 0; d < dim; d++) gm.means[k * dim + d] = x[worst * dim + d];
        gm.weights[k] = 1 / n;
        let pooled = 0;
        for (let m = 0; m < K; m++) pooled += gm.variances[m] / K;
        gm.variances[k] = pooled;
        pointLog[worst] = Infinity;
        continue;
      }
      for (let d = 0; d < dim; d++) mu[d] /= nk;
      let ss = 0;
      for (let j = 0; j < n; j++) {
        let sq = 0;
        for (let d = 0; d < dim; d++) sq += (x[j * dim + d] - mu[d]) ** 2;
        ss += resp[j * K + k] * sq;
      }
      gm.weights[k] = nk / n;
      gm.means.set(mu, k * dim);
      gm.variances[k] = Math.max(floor, ss / (dim * nk));
    }
    let wsum = 0;
    for (let k = 0; k < K; k++) wsum += gm.weights[k];
    for (let k = 0; k < K; k++) gm.weights[k] /= wsum;
    previous = meanLog;
    meanLog = eStep();
    if (Math.abs(meanLog - previous) < tolerance) {
      converged = true;
      break;
    }
  }
  return {mixture: gm, K, logLikelihood: meanLog * n, meanLogLikelihood: meanLog, iterations, converged};
}

/**
 * Fits a K-component isotropic Gaussian mixture to flat points by EM (Dempster, Laird & Rubin
 * 1977), started from k-means++ centres; `restarts` seeded starts, the best kept. The result is a
 * maximum-likelihood approximation of the points' distribution and nothing more.
 */
export function fitMixture(points: ArrayLike<number>, options: FitOptions): MixtureFit {
  const {K, dim = 2, seed = 1, tolerance = 1e-5, maxIterations = 200, restarts = 2, varianceFloor = VARIANCE_FLOOR} = options;
  if (!Number.isInteger(K) || K < 1) throw new Error(`K must be an integer ≥ 1, got ${K}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`dim must be an integer ≥ 1, got ${dim}`);
  if (points.length % dim !== 0) throw new Error(`points has ${points.length} values, not a whole number of ${dim}-D points`);
  const n = points.length / dim;
  if (n < K) throw new Error(`a ${K}-component fit needs at least ${K} points, got ${n}`);
  if (!(varianceFloor > 0)) throw new Error(`varianceFloor must be > 0, got ${varianceFloor}`);
  for (let i = 0; i < points.length; i++) if (!Number.isFinite(points[i])) throw new Error(`points[${i}] = ${points[i]} is not finite`);
  let best: MixtureFit | null = null;
  for (let r = 0; r < Math.max(1, restarts); r++) {
    const fit = runEm(points, n, dim, K, seed + r, tolerance, maxIterations, varianceFloor);
    if (!best || fit.logLikelihood > best.logLikelihood) best = fit;
  }
  return best!;
}

/** Exact answers for the reader's data: through a fitted mixture, with the words to say so, or not at all. */
export type MixtureAnswer =
  | {
      available: true;
      K: number;
      mixture: GaussianMixture;
      /** Mean log-likelihood per point of the points it was fitted to (nats). */
      meanLogLikelihood: number;
      /**
       * −mean log p_fit over held-out points (nats), when given: an estimate of the cross-entropy
       * H(q, p_fit), which is ≥ the data's entropy H(q) (by Gibbs' inequality). null without held-out points.
       */
      heldOutCrossEntropy: number | null;
    }
  | {
      available: false;
      /** Why there is no exact answer, in words. */
      reason: string;
    };

/**
 * ε*, the entropy and the other exact answers for the reader's data: a `K`-component mixture fitted
 * to `points` (fitMixture), or, when there are too few points for K components
 * (MIN_POINTS_PER_COMPONENT each), a statement that they are not available. `heldOut` points, never
 * fitted to, give the fit's held-out cross-entropy.
 */
export function mixtureAnswer(
  points: ArrayLike<number>,
  {K = DEFAULT_COMPONENTS, seed = 1, restarts, heldOut}: {K?: number; seed?: number; restarts?: number; heldOut?: ArrayLike<number>} = {}
): MixtureAnswer {
  const n = points.length / 2;
  if (n < K * MIN_POINTS_PER_COMPONENT) {
    return {
      available: false,
      reason: `A ${K}-component mixture needs at least ${K * MIN_POINTS_PER_COMPONENT} points (${MIN_POINTS_PER_COMPONENT} per component) and there are ${n}, so exact answers (ε*, the entropy) are not available for your data.`
    };
  }
  const fit = fitMixture(points, {K, seed, restarts});
  let heldOutCrossEntropy: number | null = null;
  if (heldOut && heldOut.length >= 2) {
    const logp = mixtureLogDensity(fit.mixture, heldOut);
    let sum = 0;
    for (let j = 0; j < logp.length; j++) sum -= logp[j];
    heldOutCrossEntropy = sum / logp.length;
  }
  return {
    available: true,
    K,
    mixture: fit.mixture,
    meanLogLikelihood: fit.meanLogLikelihood,
    heldOutCrossEntropy
  };
}
