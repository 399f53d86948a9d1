// The format of a reference model trained at build time (src/data/reference-model.ts) for the
// Training page's instant start.
import type {Quality} from "../lib/metrics.js";
import type {DenoiserWeights} from "./denoiser.js";
import type {TrainingConfig} from "./protocol.js";

/** Training steps of a reference model. */
export const REFERENCE_STEPS = 1000;
/**
 * Held-out points of a reference model's ledger. The examples' own totals Σ_k L_k have a standard
 * deviation of 2.5–2.8 nats on the seven datasets (measured on 2,000 points), so 3,600 points put the
 * total's standard error at ≤ 0.047 nats (≤ 0.05 is the aim); the ledger then takes about 18 s per
 * dataset on two cores (WASM), beside the training's ~15 s.
 */
export const REFERENCE_LEDGER_POINTS = 3600;

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
  /**
   * The bound on REFERENCE_LEDGER_POINTS held-out points (`examples`), its noise drawn with
   * ledgerNoiseSeed(dataset): terms[k] = L_k (nats), k = 0 … T, with each term's standard error
   * and the total's (nats; from the examples' own totals).
   */
  ledger: {
    terms: number[];
    termStdErr: number[];
    epsError: number[];
    total: number;
    totalStdErr: number;
    totalBitsPerDim: number;
    examples: number;
    sigma2Kind: string;
    /** The seed of the ledger's noise (ledgerNoiseSeed of the dataset). */
    seed: number;
  };
}
