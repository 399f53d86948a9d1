// One training run's parts from a TrainingConfig: its data, its held-out points, the denoiser ε_θ and
// its trainer (Algorithm 1). The worker (live training) and the reference loader (build time) both
// build them here, so a reference model is the model the Training page would train.
import {heldOutDataset, sampleDataset} from "../lib/datasets.js";
import type {Schedule} from "../lib/schedule.js";
import {checkYourTrainingData, YOUR_DATA, yourDataSplit} from "../lib/your-data-training.js";
import type {Tf} from "./backends.js";
import {createDenoiser, DEFAULT_DENOISER, LARGE_DENOISER, loadDenoiser, type Denoiser, type DenoiserWeights} from "./denoiser.js";
import type {TrainingConfig} from "./protocol.js";
import {createTrainer, type Trainer} from "./trainer.js";

/** Held-out points drawn for a run: the ledger and the sample quality take theirs from these. */
export const HELD_OUT_POINTS = 2000;

export interface Training {
  /** The training points, sampleDataset(dataset, points, seed); on your data, the training part of its split. */
  data: Float64Array;
  /** HELD_OUT_POINTS points of the same dataset, never trained on (heldOutDataset); on your data, the held-out part of its split. */
  heldOut: Float64Array;
  denoiser: Denoiser;
  trainer: Trainer;
}

/**
 * The data, the denoiser and its trainer for `config`. The denoiser starts from `weights` (saved),
 * else from `flat` (a snapshot of θ) put into a fresh one, else from its seed; either is in place
 * before the trainer copies θ into its moving average and its rollback state.
 */
export function buildTraining(tf: Tf, config: TrainingConfig, schedule: Schedule, {weights, flat}: {weights?: DenoiserWeights; flat?: Float32Array} = {}): Training {
  checkYourTrainingData(config.dataset, config.custom);
  const split = config.dataset === YOUR_DATA ? yourDataSplit(config.custom!.points) : null;
  const data = split ? split.train : sampleDataset(config.dataset as Exclude<typeof config.dataset, typeof YOUR_DATA>, config.points, config.seed);
  const heldOut = split ? split.heldOut : heldOutDataset(config.dataset as Exclude<typeof config.dataset, typeof YOUR_DATA>, HELD_OUT_POINTS, config.seed);
  const denoiser = weights
    ? loadDenoiser(tf, weights)
    : createDenoiser(tf, {...(config.model === "large" ? LARGE_DENOISER : DEFAULT_DENOISER), seed: config.seed});
  if (flat) denoiser.setFlat(flat);
  const trainer = createTrainer(tf, {
    denoiser,
    schedule,
    data,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    loss: config.loss,
    seed: config.seed,
    sigma2Kind: config.sigma2Kind
  });
  return {data, heldOut, denoiser, trainer};
}
