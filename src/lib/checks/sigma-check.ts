/**
 * The Sampling check of σ_t² (Sec. 3.2): Algorithm 2 with σ_t² = β_t and with σ_t² = β̃_t gives
 * samples of the same quality ("Experimentally, both choices had similar results"). Run on the
 * 8-Gaussian ring with its exact optimal denoiser ε* (docs/architecture.md §3), so any difference comes from σ_t²
 * alone; both runs share x_T and every z (common random numbers). A third run with z = 0 at every
 * step (σ_t = 0, not Algorithm 2) shows the check can fail: without the noise the samples collapse
 * towards the modes' centres.
 */
import type {EpsPredictor} from "../bound.js";
import {sampleMixture, type GaussianMixture} from "../mixture.js";
import {energyFloor, sampleQuality, withinModeSpread} from "../metrics.js";
import {createRng} from "../random.js";
import {pSampleWork} from "../sampler.js";
import type {Schedule, Sigma2Kind} from "../schedule.js";
import {checkCount} from "../util.js";
import type {Work} from "../work.js";

/** How far the within-mode spread may be from the data's (1) for a pass: ±10%. */
export const SPREAD_TOLERANCE = 0.1;
/** The high-quality share a pass needs; samples of the ring itself give 0.989 (docs/architecture.md §6). */
export const MIN_HIGH_QUALITY = 0.95;

/** The sampler variants the check runs, in the order the page shows them. */
export type SigmaVariant = Sigma2Kind | "none";
export const SIGMA_VARIANTS: readonly SigmaVariant[] = ["betaTilde", "beta", "none"];

export interface SigmaRun {
  variant: SigmaVariant;
  x0: Float64Array;
  modesCovered: number;
  modes: number;
  highQualityFraction: number;
  /** withinModeSpread: 1 for samples of the data. */
  spread: number;
  /** Energy distance to held-out data, over its expected floor for two data samples of these sizes. */
  energyRatio: number;
  pass: boolean;
}

export interface SigmaCheck {
  runs: SigmaRun[];
  /** Both of the paper's σ_t² pass (the claim); the no-noise run is shown, not required to fail. */
  pass: boolean;
  n: number;
}

/** One run's verdict: every mode found, few samples off the modes, the modes' width kept. */
export function sigmaRunPasses(r: Pick<SigmaRun, "modesCovered" | "modes" | "highQualityFraction" | "spread">): boolean {
  return r.modesCovered === r.modes && r.highQualityFraction >= MIN_HIGH_QUALITY && Math.abs(r.spread - 1) <= SPREAD_TOLERANCE;
}

/** Runs Algorithm 2 with ε* for each variant on n points; yields the fraction done. */
export function* sigmaCheck(s: Schedule, gm: GaussianMixture, eps: EpsPredictor, {n, seed, variants = SIGMA_VARIANTS}: {n: number; seed: number; variants?: readonly SigmaVariant[]}): Work<SigmaCheck> {
  checkCount(n, "n", 1);
  const dim = gm.dim;
  const heldOut = sampleMixture(gm, 2 * n, createRng(seed + 1));
  const floor = energyFloor(heldOut, n, 2 * n, dim);
  const xT = createRng(seed).normals(n * dim);
  const runs: SigmaRun[] = [];
  for (const [i, variant] of variants.entries()) {
    // The same seed for every variant: the same x_T and the same z at each step.
    const work = pSampleWork(s, eps, n, createRng(seed + 2), {dim, xT, sigma2Kind: variant === "none" ? "beta" : variant, noise: variant !== "none"});
    let step = work.next();
    while (!step.done) {
      yield (i + step.value) / variants.length;
      step = work.next();
    }
    const {x0} = step.value;
    const quality = sampleQuality(x0, heldOut, {mixture: gm, floor, dim});
    const measured = {modesCovered: quality.modesCovered!, modes: quality.modes!, highQualityFraction: quality.highQualityFraction!, spread: withinModeSpread(x0, gm)};
    runs.push({variant, x0, ...measured, energyRatio: quality.energy / quality.energyFloor, pass: sigmaRunPasses(measured)});
  }
  const paper = runs.filter((r) => r.variant !== "none");
  return {runs, pass: paper.length > 0 && paper.every((r) => r.pass), n};
}
