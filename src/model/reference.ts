// The format of a reference model trained at build time (src/data/reference-model.ts) for the
// Training page's instant start.
import type {Quality} from "../lib/metrics.js";
import type {DenoiserWeights} from "./denoiser.js";
import type {TrainingConfig} from "./protocol.js";

/** Training steps of a reference model. */
export const REFERENCE_STEPS = 1000;
/** Timesteps at which reverse trajectories are kept for display, from x_T to x_0. */
export const TRAJECTORY_STEPS = [1000, 750, 500, 300, 200, 100, 50, 20, 5, 0];

export interface ReferenceModel {
  format: "ddpm-live/reference@1";
  config: TrainingConfig;
  steps: number;
  /** [step, mean loss over the preceding 20 steps]. */
  lossCurve: [number, number][];
  weights: DenoiserWeights;
  /** 1,000 samples of Algorithm 2 (SAMPLE_SEED), flat [x, y, …]. */
  samples: number[];
  trajectory: {t: number; x: number[]}[];
  /** Rounded to 4 significant digits (energies) and 4 decimals (the high-quality share). */
  quality: Quality;
  /** The bound on 500 held-out points: terms[k] = L_k (nats), k = 0 … T. */
  ledger: {terms: number[]; epsError: number[]; total: number; totalBitsPerDim: number; examples: number; sigma2Kind: string};
}
