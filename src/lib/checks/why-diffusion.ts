/**
 * The "Why diffusion" page's checks: mode coverage of samples of the 8-Gaussian ring against what
 * the data itself scores (docs/architecture.md §6), and the reverse process's drift μ_θ(x_t, t) − x_t written as a
 * step up the score of the noised data (Eq. 11 with the exact ε* of a Gaussian mixture).
 */
import type {GaussianMixture} from "../mixture.js";
import {mixtureScore, optimalEps} from "../mixture.js";
import {modeCoverage, type ModeCoverage} from "../metrics.js";
import {muTheta} from "../posterior.js";
import {Z_LIMIT} from "./forward-check.js";
import {checkT, type Schedule} from "../schedule.js";
import {pointCount} from "../util.js";

/** A check's verdict is "pass" when |z| ≤ this many standard errors (as on the Forward page). */
export const COVERAGE_Z_LIMIT = Z_LIMIT;

/**
 * P(‖x − μ‖ ≤ kσ) for x ~ N(μ, σ² I) in 2D: ‖x − μ‖²/σ² is χ² with 2 degrees of freedom, whose
 * CDF is 1 − e^{−u/2}, so the share is 1 − e^{−k²/2} (0.98889 for k = 3). It is the share of
 * high-quality samples that a perfect sampler of a well-separated 2D mixture scores.
 */
export function expectedHighQualityFraction(k = 3): number {
  if (!(k > 0) || !Number.isFinite(k)) throw new Error(`k must be finite and > 0, got ${k}`);
  return -Math.expm1((-k * k) / 2);
}

/**
 * KL(p̂ ‖ w) in nats between the modes' shares of the high-quality samples (p̂_k = counts_k / Σ counts)
 * and the mixture's weights w_k: the "reverse KL" of PacGAN (Lin et al. 2018). 0 when the samples
 * visit the modes in the data's proportions; log K when they all sit on one of K equal modes. A
 * missing mode adds nothing (p̂_k = 0), so read it beside the number of modes covered. NaN when no
 * sample is of high quality.
 */
export function modeShareKL(counts: ArrayLike<number>, weights: ArrayLike<number>): number {
  if (counts.length !== weights.length) throw new Error(`counts has ${counts.length} modes, weights ${weights.length}`);
  let total = 0;
  for (let k = 0; k < counts.length; k++) {
    if (!(counts[k] >= 0)) throw new Error(`counts[${k}] = ${counts[k]} must be ≥ 0`);
    total += counts[k];
  }
  if (total === 0) return NaN;
  let kl = 0;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === 0) continue;
    const p = counts[k] / total;
    kl += p * Math.log(p / weights[k]);
  }
  return kl;
}

/** What a coverage check reports about one set of samples. */
export interface CoverageCheck {
  pass: boolean;
  n: number;
  coverage: ModeCoverage;
  /** The high-quality share a perfect sampler scores (expectedHighQualityFraction(k)). */
  expected: number;
  /** Samples outside every mode's k-sd disc: observed, and expected from a perfect sampler, n e^{−k²/2}. */
  outside: number;
  expectedOutside: number;
  /**
   * 2(√expectedOutside − √outside): the outside count is binomial with a small p (≈ Poisson), and
   * the square root makes it ≈ normal with sd ½ whatever its mean; negative when too many samples
   * miss the modes. (A plain binomial z is skewed at p = 0.011 and n of a few thousand.)
   */
  z: number;
  /** modeShareKL of the high-quality samples against the mixture's weights (nats). */
  modeKL: number;
}

/**
 * Whether `samples` score on `gm` what samples of gm itself score: every mode covered, and as many
 * samples outside the modes' k-sd discs as a perfect sampler leaves, n e^{−k²/2}, within
 * COVERAGE_Z_LIMIT on the square-root scale (see CoverageCheck.z). Exact draws of the mixture pass
 * with probability ≈ 1 − 6e-5 (a two-sided 4σ normal tail); a sampler that drops a mode or smears
 * points between modes fails.
 */
export function coverageCheck(samples: ArrayLike<number>, gm: GaussianMixture, {k = 3, zLimit = COVERAGE_Z_LIMIT}: {k?: number; zLimit?: number} = {}): CoverageCheck {
  const n = pointCount(samples, gm.dim, "samples");
  if (n < 1) throw new Error("coverageCheck needs at least one sample");
  const coverage = modeCoverage(samples, gm, {k});
  const expected = expectedHighQualityFraction(k);
  const outside = n - Math.round(coverage.highQualityFraction * n);
  const expectedOutside = n * (1 - expected);
  const z = 2 * (Math.sqrt(expectedOutside) - Math.sqrt(outside));
  const pass = coverage.modesCovered === coverage.modes && Math.abs(z) <= zLimit;
  return {pass, n, coverage, expected, outside, expectedOutside, z, modeKL: modeShareKL(coverage.counts, gm.weights)};
}

/** An m × m grid of 2D points covering [−extent, extent]², flat, row by row from the bottom left. */
export function gridPoints(extent: number, m: number): Float64Array {
  if (!(extent > 0)) throw new Error(`extent must be > 0, got ${extent}`);
  if (!Number.isInteger(m) || m < 2) throw new Error(`m must be an integer ≥ 2, got ${m}`);
  const out = new Float64Array(2 * m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const p = 2 * (i * m + j);
      out[p] = -extent + (2 * extent * j) / (m - 1);
      out[p + 1] = -extent + (2 * extent * i) / (m - 1);
    }
  }
  return out;
}

/** The drift of one reverse step at the points x_t, two ways, and how far apart they are. */
export interface DriftCheck {
  pass: boolean;
  t: number;
  /** μ_θ(x_t, t) − x_t with ε_θ = ε* (Eq. 11), flat like the points. */
  drift: Float64Array;
  /** (1/√α_t − 1) x_t + β_t/√α_t · ∇log q(x_t) (the score form, W4 on the page). */
  scoreDrift: Float64Array;
  /** β_t (x_t/2 + ∇log q(x_t)), the first-order form for small β_t (W5). */
  firstOrderDrift: Float64Array;
  /** max |drift − scoreDrift| over all coordinates. */
  maxAbsDiff: number;
  /** max |drift|, the scale that maxAbsDiff is compared with. */
  scale: number;
  /** max |drift − firstOrderDrift| / max |drift|: the error of dropping O(β_t²) terms. */
  firstOrderRelErr: number;
}

/**
 * Eq. 11, μ_θ = (x_t − β_t/√(1 − ᾱ_t) ε_θ)/√α_t, with the optimal ε* = −√(1 − ᾱ_t) ∇log q(x_t)
 * (mixture.ts) gives the drift μ_θ − x_t = (1/√α_t − 1) x_t + (β_t/√α_t) ∇log q(x_t): a small
 * expansion plus a step up the gradient of the noised data's log-density. This computes both sides
 * independently (muTheta ∘ optimalEps against mixtureScore) and passes when they agree to 1e-9 of
 * the drift's size (they are equal in exact arithmetic; double rounding leaves ~1e-15).
 */
export function driftCheck(gm: GaussianMixture, s: Schedule, t: number, points: ArrayLike<number>): DriftCheck {
  checkT(s, t);
  pointCount(points, gm.dim, "points");
  const drift = muTheta(s, points, t, optimalEps(gm, s, points, t));
  for (let i = 0; i < drift.length; i++) drift[i] -= points[i];
  const score = mixtureScore(gm, s, points, t);
  const alpha = s.alpha[t - 1];
  const beta = s.beta[t - 1];
  const a = 1 / Math.sqrt(alpha) - 1;
  const b = beta / Math.sqrt(alpha);
  const scoreDrift = new Float64Array(drift.length);
  const firstOrderDrift = new Float64Array(drift.length);
  let maxAbsDiff = 0;
  let scale = 0;
  let firstOrderErr = 0;
  for (let i = 0; i < drift.length; i++) {
    scoreDrift[i] = a * points[i] + b * score[i];
    firstOrderDrift[i] = beta * (points[i] / 2 + score[i]);
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(drift[i] - scoreDrift[i]));
    scale = Math.max(scale, Math.abs(drift[i]));
    firstOrderErr = Math.max(firstOrderErr, Math.abs(drift[i] - firstOrderDrift[i]));
  }
  const pass = maxAbsDiff <= 1e-9 * Math.max(scale, 1e-300);
  return {pass, t, drift, scoreDrift, firstOrderDrift, maxAbsDiff, scale, firstOrderRelErr: scale > 0 ? firstOrderErr / scale : 0};
}
