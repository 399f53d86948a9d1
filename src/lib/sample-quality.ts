/**
 * The quality figure of a set of samples, computed the same way for every figure the Training
 * panel shows — the reference model's, each live preview's, "Sample now" — so that they compare
 * like with like: the same number of samples against the same held-out points, hence the same
 * floor. (The energy distance's V-statistic grows as 1/n + 1/m for smaller samples; figures on 500
 * and on 1,000 samples differ by 2× for the same model.)
 */
import {datasetMixture, type DatasetId} from "./datasets.js";
import {energyDistance, energyFloor, modeCoverage} from "./metrics.js";

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

export interface SampleQuality {
  /** Energy distance (V-statistic) between the samples and the held-out points. */
  energy: number;
  /** Its expectation for two independent data samples of these sizes: what a perfect model reaches. */
  energyFloor: number;
  /** Samples compared (and held-out points they were compared with). */
  points: number;
  /** On Gaussian-mixture data. */
  modesCovered?: number;
  modes?: number;
  highQualityFraction?: number;
}

/**
 * The quality of the first QUALITY_POINTS samples (flat 2D) against the first QUALITY_POINTS
 * held-out points; `heldOut` (at least that many points) also estimates the floor. `floors` caches
 * the floor by held-out set.
 */
export function sampleQuality(samples: ArrayLike<number>, heldOut: ArrayLike<number>, dataset: DatasetId, floors?: Map<ArrayLike<number>, number>): SampleQuality {
  const n = Math.min(QUALITY_POINTS, Math.floor(samples.length / 2));
  if (n < 1) throw new Error("sampleQuality needs at least one sample");
  if (heldOut.length < 2 * QUALITY_POINTS) throw new Error(`sampleQuality needs ${QUALITY_POINTS} held-out points, got ${heldOut.length / 2}`);
  const x = Array.prototype.slice.call(samples, 0, 2 * n) as number[];
  const reference = Array.prototype.slice.call(heldOut, 0, 2 * QUALITY_POINTS) as number[];
  let floor = n === QUALITY_POINTS ? floors?.get(heldOut) : undefined;
  if (floor === undefined) {
    floor = energyFloor(heldOut, n, QUALITY_POINTS);
    if (n === QUALITY_POINTS) floors?.set(heldOut, floor);
  }
  const result: SampleQuality = {energy: energyDistance(x, reference), energyFloor: floor, points: n};
  const gm = datasetMixture(dataset);
  if (gm) {
    const coverage = modeCoverage(x, gm);
    Object.assign(result, {modesCovered: coverage.modesCovered, modes: coverage.modes, highQualityFraction: coverage.highQualityFraction});
  }
  return result;
}
