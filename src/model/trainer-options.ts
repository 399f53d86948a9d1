/**
 * The options of Algorithm 1's trainers (trainer.ts on tfjs, kernel/trainer.ts on the WebAssembly
 * kernel): their defaults, their checks, and the settings configure() may change while training.
 * Both trainers take the same options and refuse the same values with the same words.
 */
import {lossWeights, type LossKind} from "../lib/loss-weights.js";
import type {Schedule, Sigma2Kind} from "../lib/schedule.js";
import type {Denoiser} from "./denoiser.js";

export interface TrainerOptions {
  denoiser: Denoiser;
  schedule: Schedule;
  /** Training points, flat [x0, y0, x1, y1, …]; batches are drawn from them with replacement. */
  data: Float64Array | Float32Array;
  batchSize?: number;
  learningRate?: number;
  loss?: LossKind;
  /** Seed of the batches, t and ε (the core's createRng). Weights come from the denoiser's seed. */
  seed?: number;
  /** σ_t² in λ_t of the "vlb"/"hybrid" weights (Sec. 3.2); default "betaTilde". */
  sigma2Kind?: Sigma2Kind;
  /** c of "hybrid"; default 0.001 (Nichol & Dhariwal 2021). */
  hybridWeight?: number;
  adam?: {beta1?: number; beta2?: number; epsilon?: number};
  /** Decay of the loss EMA reported to the UI (bias-corrected like Adam's moments); default 0.99. */
  emaDecay?: number;
  /**
   * Decay per step of the exponential moving average of the weights that samples and the bound
   * are computed with (0 = off); default 0.99. Ho et al. sample from an EMA of the weights too
   * (decay 0.9999 over 800k steps, Appendix B); for runs of a few thousand steps 0.99 averages
   * out Adam's noise over ~100 steps.
   */
  weightAverage?: number;
  /** Divergence: stop when the loss exceeds this multiple of the first step's loss; default 1e3. */
  divergenceFactor?: number;
}

/** What configure() can change on a running trainer. */
export type TrainerSettings = Partial<Pick<ResolvedTrainerOptions, "learningRate" | "batchSize" | "loss" | "sigma2Kind">>;

/** The options in force, defaults filled in. */
export interface ResolvedTrainerOptions {
  batchSize: number;
  learningRate: number;
  loss: LossKind;
  seed: number;
  sigma2Kind: Sigma2Kind;
  hybridWeight: number;
  emaDecay: number;
  weightAverage: number;
  divergenceFactor: number;
  adam: {beta1: number; beta2: number; epsilon: number};
}

/**
 * The options with their defaults filled in, checked: throws, naming the option, where a value is
 * not allowed. `epsilon` is Adam's ε where the options give none (it depends on the backend).
 */
export function resolveTrainerOptions(options: TrainerOptions, epsilon: number): ResolvedTrainerOptions {
  const {denoiser, schedule, data} = options;
  const opts: ResolvedTrainerOptions = {
    batchSize: options.batchSize ?? 256,
    learningRate: options.learningRate ?? 1e-3,
    loss: options.loss ?? "simple",
    seed: options.seed ?? 0,
    sigma2Kind: options.sigma2Kind ?? "betaTilde",
    hybridWeight: options.hybridWeight ?? 0.001,
    emaDecay: options.emaDecay ?? 0.99,
    weightAverage: options.weightAverage ?? 0.99,
    divergenceFactor: options.divergenceFactor ?? 1e3,
    adam: {beta1: options.adam?.beta1 ?? 0.9, beta2: options.adam?.beta2 ?? 0.999, epsilon: options.adam?.epsilon ?? epsilon}
  };
  if (denoiser.disposed) throw new Error("the denoiser has been disposed");
  checkBatchSize(opts.batchSize);
  checkLearningRate(opts.learningRate);
  if (data.length < 2 || data.length % 2 !== 0) throw new Error(`data must hold at least one 2D point, flat [x0, y0, …]; got ${data.length} values`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new Error(`data[${i}] is ${data[i]}`);
  }
  const maxT = denoiser.config.maxT ?? 1000;
  if (schedule.T > maxT) throw new Error(`the schedule has T = ${schedule.T} but the denoiser's time embedding stops at maxT = ${maxT}`);
  if (!(opts.weightAverage >= 0 && opts.weightAverage < 1)) throw new Error(`weightAverage must be in [0, 1), got ${opts.weightAverage}`);
  return opts;
}

export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be an integer ≥ 1, got ${batchSize}`);
}

export function checkLearningRate(lr: number): void {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) throw new Error(`learningRate must be a finite number > 0, got ${lr}`);
}

/**
 * Checks `changes` against `opts` and writes them into it (both trainers' `configure`): nothing is
 * written when a value is refused. Returns the per-t loss weights of the new settings.
 */
export function applySettings(opts: ResolvedTrainerOptions, changes: TrainerSettings, schedule: Schedule): Float64Array {
  const next = {...opts, ...changes};
  checkLearningRate(next.learningRate);
  checkBatchSize(next.batchSize);
  const table = lossWeights(schedule, next.loss, next.sigma2Kind, next.hybridWeight); // throws on an unknown loss
  Object.assign(opts, {learningRate: next.learningRate, batchSize: next.batchSize, loss: next.loss, sigma2Kind: next.sigma2Kind});
  return table;
}
