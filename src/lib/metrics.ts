/**
 * Measures of generated 2D samples against data (docs/architecture.md §6): the energy distance, and mode coverage
 * on Gaussian-mixture data as in the GAN literature (Unrolled GAN, VEEGAN, PacGAN).
 */
import type {GaussianMixture} from "./mixture.js";
import {validateMixture} from "./mixture.js";
import {pointCount} from "./util.js";

function meanPairDistance(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (a[i * dim + d] - b[j * dim + d]) ** 2;
      sum += Math.sqrt(sq);
    }
  }
  return sum / (na * nb);
}

/** Σ_{i<j} ‖a_i − a_j‖, the distinct pairs within one sample. */
function withinPairSum(a: ArrayLike<number>, n: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (a[i * dim + d] - a[j * dim + d]) ** 2;
      sum += Math.sqrt(sq);
    }
  }
  return sum;
}

/**
 * The energy distance (Székely & Rizzo) between samples a and b (flat, dimension `dim`):
 * 2 E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖, the squared form (zero iff the distributions agree).
 *
 * "V" (default): the V-statistic, i.e. the exact energy distance between the two empirical
 * distributions (within-sample means over all n² pairs, i = j included). It is ≥ 0, and for two
 * samples of one distribution its expectation is E‖X − X′‖ (1/n + 1/m): the floor a perfect
 * model reaches, so compare a model against two data samples of the same sizes.
 * "U": the U-statistic (within-sample means over the n(n − 1) pairs i ≠ j), unbiased for the
 * population value, and so near 0, possibly negative, for one distribution. O(n·m + n² + m²) time.
 */
export function energyDistance(a: ArrayLike<number>, b: ArrayLike<number>, dim = 2, statistic: "V" | "U" = "V"): number {
  const na = pointCount(a, dim, "a");
  const nb = pointCount(b, dim, "b");
  if (statistic !== "V" && statistic !== "U") throw new Error(`statistic must be "V" or "U", got ${JSON.stringify(statistic)}`);
  const min = statistic === "U" ? 2 : 1;
  if (na < min || nb < min) throw new Error(`energyDistance (${statistic}) needs at least ${min} points in each sample, got ${na} and ${nb}`);
  const cross = meanPairDistance(a, na, b, nb, dim);
  const pairs = (n: number) => (statistic === "U" ? n * (n - 1) : n * n);
  const withinA = (2 * withinPairSum(a, na, dim)) / pairs(na);
  const withinB = (2 * withinPairSum(b, nb, dim)) / pairs(nb);
  return 2 * cross - withinA - withinB;
}

/**
 * The floor of the energy distance: its expectation E‖X − X′‖ (1/n + 1/m) for two independent
 * samples of n and m points of the data's distribution (see energyDistance, "V"), with E‖X − X′‖
 * estimated by the mean distance between distinct points of `data`. One draw of the distance
 * between two data samples scatters widely around this (by a factor 3 either way at n = 1,000 on
 * the ring), so "within 2× the floor" is judged against the expectation, not against one draw.
 */
export function energyFloor(data: ArrayLike<number>, n: number, m = n, dim = 2): number {
  const count = pointCount(data, dim, "data");
  if (count < 2) throw new Error("energyFloor needs at least 2 data points");
  if (!(n >= 1 && m >= 1)) throw new Error(`sample sizes must be ≥ 1, got ${n} and ${m}`);
  const meanDistance = (2 * withinPairSum(data, count, dim)) / (count * (count - 1));
  return meanDistance * (1 / n + 1 / m);
}

/** The result of modeCoverage. */
export interface ModeCoverage {
  /** Modes that received at least `minCount` high-quality samples. */
  modesCovered: number;
  /** The mixture's number of modes. */
  modes: number;
  /** Share of samples within k standard deviations of a mode's centre. */
  highQualityFraction: number;
  /** High-quality samples per mode (index k ↔ mode k of the mixture). */
  counts: Int32Array;
}

/** Sample j's closest mode in units of the modes' standard deviations, and its squared distance there. */
function nearestMode(samples: ArrayLike<number>, j: number, {dim, means, variances}: GaussianMixture): {mode: number; z2: number} {
  let mode = -1;
  let z2 = Infinity;
  for (let m = 0; m < variances.length; m++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += (samples[j * dim + d] - means[m * dim + d]) ** 2;
    if (sq / variances[m] < z2) {
      z2 = sq / variances[m];
      mode = m;
    }
  }
  return {mode, z2};
}

/**
 * Mode coverage of samples against a Gaussian-mixture data set (docs/architecture.md §6): a sample is high
 * quality if it lies within k standard deviations (‖x − μ_k‖ ≤ k σ_k) of a mode's centre, and is
 * credited to the mode it is closest to in those units (‖x − μ_k‖/σ_k). A mode is covered if it
 * gets at least `minCount` (default 1) high-quality samples. For samples of the mixture itself in
 * 2D, the expected high-quality share is P(χ²₂ ≤ k²) = 1 − e^{−k²/2} (0.989 for k = 3) when the
 * modes are well apart.
 */
export function modeCoverage(samples: ArrayLike<number>, gm: GaussianMixture, {k = 3, minCount = 1}: {k?: number; minCount?: number} = {}): ModeCoverage {
  validateMixture(gm);
  if (!(k > 0)) throw new Error(`k must be > 0, got ${k}`);
  const n = pointCount(samples, gm.dim, "samples");
  const K = gm.variances.length;
  const counts = new Int32Array(K);
  let high = 0;
  for (let j = 0; j < n; j++) {
    const {mode, z2} = nearestMode(samples, j, gm);
    if (z2 <= k * k) {
      counts[mode]++;
      high++;
    }
  }
  let modesCovered = 0;
  for (let m = 0; m < K; m++) if (counts[m] >= minCount) modesCovered++;
  return {modesCovered, modes: K, highQualityFraction: n ? high / n : 0, counts};
}

/**
 * How widely samples scatter around the modes of a Gaussian mixture, in units of the modes' own
 * standard deviation: sqrt(mean over samples of ‖x − μ_k‖² / (D σ_k²)), k the mode nearest in
 * those units. Samples of the mixture itself give ≈ 1 when the modes are well apart; a sampler
 * that collapses onto the centres gives < 1, one that blurs them > 1.
 */
export function withinModeSpread(samples: ArrayLike<number>, gm: GaussianMixture): number {
  validateMixture(gm);
  const {dim} = gm;
  const n = pointCount(samples, dim, "samples");
  if (n === 0) throw new Error("withinModeSpread needs at least one sample");
  let total = 0;
  for (let j = 0; j < n; j++) total += nearestMode(samples, j, gm).z2 / dim;
  return Math.sqrt(total / n);
}

/** The quality of generated samples against held-out data, as the pages report it. */
export interface Quality {
  /** Energy distance (V-statistic) between the samples and the held-out reference points. */
  energy: number;
  /** Its floor: the expected distance between two data samples of the same sizes (energyFloor). */
  energyFloor: number;
  /** On Gaussian-mixture data only (modeCoverage). */
  modesCovered?: number;
  modes?: number;
  highQualityFraction?: number;
}

/**
 * The quality of `samples` against `heldOut` data: the energy distance to the first
 * `referencePoints` held-out points (default all), beside its floor for those sample sizes with
 * E‖X − X′‖ estimated from all of `heldOut` (pass `floor` to reuse one already computed), and, when
 * the data's mixture is given, the modes covered and the high-quality share (modeCoverage).
 */
export function sampleQuality(
  samples: ArrayLike<number>,
  heldOut: Float64Array,
  {mixture = null, referencePoints, floor, dim = 2}: {mixture?: GaussianMixture | null; referencePoints?: number; floor?: number; dim?: number} = {}
): Quality {
  const n = pointCount(samples, dim, "samples");
  const m = referencePoints ?? pointCount(heldOut, dim, "heldOut");
  const reference = heldOut.subarray(0, m * dim);
  const quality: Quality = {energy: energyDistance(samples, reference, dim), energyFloor: floor ?? energyFloor(heldOut, n, m, dim)};
  if (mixture) {
    const {modesCovered, modes, highQualityFraction} = modeCoverage(samples, mixture);
    Object.assign(quality, {modesCovered, modes, highQualityFraction});
  }
  return quality;
}
