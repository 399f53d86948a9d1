/**
 * Diagonal Gaussians: the KL divergence and log density that every term of the bound (Eq. 5) is
 * made of. Results are in nats; convert with toBitsPerDim.
 */
import {assertSameLength, pointCount} from "./util.js";

/** A variance: one number for an isotropic Gaussian, or one per coordinate. */
export type Variance = number | ArrayLike<number>;

/** Nats in one bit: ln 2 (a quantity in nats divided by this is in bits). */
export const NATS_PER_BIT = Math.LN2;

/** Converts nats per example to bits per dimension, as the paper reports its bound (Table 1, 2). */
export function toBitsPerDim(nats: number, dim: number): number {
  if (!(dim > 0)) throw new Error(`dim must be > 0, got ${dim}`);
  return nats / (dim * NATS_PER_BIT);
}

function varianceAt(v: Variance, i: number): number {
  return typeof v === "number" ? v : v[i];
}

function checkVariance(v: Variance, name: string, length: number): void {
  if (typeof v === "number") {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${name} = ${v} must be finite and > 0`);
    return;
  }
  if (v.length !== length) throw new Error(`${name} has ${v.length} values but the means have ${length}`);
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] > 0) || !Number.isFinite(v[i])) throw new Error(`${name}[${i}] = ${v[i]} must be finite and > 0`);
  }
}

/** ½[log(v2/v1) + (v1 + (m1 − m2)²)/v2 − 1], the KL of two 1-D Gaussians. */
function klScalar(m1: number, v1: number, m2: number, v2: number): number {
  const d = m1 - m2;
  const r = v1 / v2;
  return 0.5 * (r - 1 - Math.log(r) + (d * d) / v2);
}

/**
 * KL(N(mu1, diag var1) ‖ N(mu2, diag var2)) in nats, summed over all coordinates of the vectors.
 * Each variance is a number (isotropic) or one value per coordinate. This is the closed form that
 * turns the terms L_T and L_{t−1} of Eq. 5 into Eq. 8.
 */
export function klDiagGaussian(mu1: ArrayLike<number>, var1: Variance, mu2: ArrayLike<number>, var2: Variance): number {
  assertSameLength(mu1, "mu1", mu2, "mu2");
  checkVariance(var1, "var1", mu1.length);
  checkVariance(var2, "var2", mu1.length);
  let kl = 0;
  for (let i = 0; i < mu1.length; i++) kl += klScalar(mu1[i], varianceAt(var1, i), mu2[i], varianceAt(var2, i));
  return kl;
}

/**
 * The KL of klDiagGaussian for each point of a batch: the vectors hold n points of dimension
 * `dim`, and entry j of the result sums coordinates j·dim … j·dim + dim − 1. Variances as in
 * klDiagGaussian (per-coordinate arrays have the same length as the means).
 */
export function klDiagGaussianPerPoint(mu1: ArrayLike<number>, var1: Variance, mu2: ArrayLike<number>, var2: Variance, dim: number): Float64Array {
  assertSameLength(mu1, "mu1", mu2, "mu2");
  const n = pointCount(mu1, dim, "mu1");
  checkVariance(var1, "var1", mu1.length);
  checkVariance(var2, "var2", mu1.length);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let kl = 0;
    for (let d = 0; d < dim; d++) {
      const i = j * dim + d;
      kl += klScalar(mu1[i], varianceAt(var1, i), mu2[i], varianceAt(var2, i));
    }
    out[j] = kl;
  }
  return out;
}

/**
 * log N(x; mu, diag variance) in nats, the joint density of all coordinates of x (Sec. 3.3's
 * decoder L_0 = −log p_θ(x_0|x_1) uses it). Variance is a number (isotropic) or per coordinate.
 */
export function logNormalDensity(x: ArrayLike<number>, mu: ArrayLike<number>, variance: Variance): number {
  assertSameLength(x, "x", mu, "mu");
  checkVariance(variance, "variance", x.length);
  let logp = 0;
  for (let i = 0; i < x.length; i++) {
    const v = varianceAt(variance, i);
    const d = x[i] - mu[i];
    logp += -0.5 * (Math.log(2 * Math.PI * v) + (d * d) / v);
  }
  return logp;
}

/** logNormalDensity for each point of a batch of dimension `dim` (one value per point). */
export function logNormalDensityPerPoint(x: ArrayLike<number>, mu: ArrayLike<number>, variance: Variance, dim: number): Float64Array {
  assertSameLength(x, "x", mu, "mu");
  const n = pointCount(x, dim, "x");
  checkVariance(variance, "variance", x.length);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let logp = 0;
    for (let d = 0; d < dim; d++) {
      const i = j * dim + d;
      const v = varianceAt(variance, i);
      const diff = x[i] - mu[i];
      logp += -0.5 * (Math.log(2 * Math.PI * v) + (diff * diff) / v);
    }
    out[j] = logp;
  }
  return out;
}
