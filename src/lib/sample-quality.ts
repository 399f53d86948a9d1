/**
 * The quality figure of a set of samples, computed the same way for every figure the Training
 * panel shows — the reference model's, each live preview's, "Sample now" — so that they compare
 * like with like: the same number of samples against the same held-out points, hence the same
 * floor. (The energy distance's V-statistic grows as 1/n + 1/m for smaller samples; figures on 500
 * and on 1,000 samples differ by 2× for the same model.)
 */
import {datasetMixture, type DatasetId} from "./datasets.js";
import {sampleQuality, type Quality} from "./metrics.js";

/** Samples in every quality figure, and held-out points each is compared with. */
export const QUALITY_POINTS = 500;
/**
 * One draw of the ratio energy/floor scatters: two samples of the data itself (QUALITY_POINTS
 * each) score below this in 95% of draws on the toy data sets (test/unit/sample-quality.test.ts
 * measures it), so a model's ratio below it is as good as one draw can tell.
 */
export const DATA_RATIO_95 = 2;
/** Automatic previews wait for this many steps of a fresh model: earlier samples are mostly noise. */
export const MIN_PREVIEW_STEPS = 100;

/**
 * The quality (sampleQuality) of the first QUALITY_POINTS samples (flat 2D) against the first
 * QUALITY_POINTS held-out points; all of `heldOut` (at least that many points) estimates the
 * floor. `floors` caches the floor by held-out set.
 */
export function comparableQuality(samples: ArrayLike<number>, heldOut: Float64Array, dataset: DatasetId, floors?: Map<ArrayLike<number>, number>): Quality & {points: number} {
  const n = Math.min(QUALITY_POINTS, Math.floor(samples.length / 2));
  if (n < 1) throw new Error("comparableQuality needs at least one sample");
  if (heldOut.length < 2 * QUALITY_POINTS) throw new Error(`comparableQuality needs ${QUALITY_POINTS} held-out points, got ${heldOut.length / 2}`);
  const cached = n === QUALITY_POINTS ? floors?.get(heldOut) : undefined;
  const x = Array.prototype.slice.call(samples, 0, 2 * n) as number[];
  const quality = sampleQuality(x, heldOut, {mixture: datasetMixture(dataset), referencePoints: QUALITY_POINTS, floor: cached});
  if (n === QUALITY_POINTS) floors?.set(heldOut, quality.energyFloor);
  return {...quality, points: n};
}
