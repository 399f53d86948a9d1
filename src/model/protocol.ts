// Messages between a page (TrainingSession) and the training worker (train-worker.ts).
import type {DatasetId} from "../lib/datasets.js";
import type {LossKind} from "../lib/loss-weights.js";
import type {Quality} from "../lib/metrics.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import type {BackendName, BackendProbe} from "./backends.js";
import type {DenoiserWeights} from "./denoiser.js";

export type ModelSize = "default" | "large";

export interface TrainingConfig {
  dataset: DatasetId;
  /** Training points drawn from the dataset (seeded). */
  points: number;
  model: ModelSize;
  batchSize: number;
  learningRate: number;
  loss: LossKind;
  seed: number;
  /** σ_t² of p_θ used by the ledger, the samples and the "vlb"/"hybrid" weights. */
  sigma2Kind: Sigma2Kind;
  /** Stop by itself after this many steps (0: never). */
  maxSteps: number;
}

export const DEFAULT_TRAINING: TrainingConfig = {
  dataset: "ring-8",
  points: 4000,
  model: "default",
  // Measured on the ring and the swiss roll (WASM, 2 cores): with Fourier features and the weights'
  // moving average, batch 512 at 3e-3 reaches the data floor in ~500 steps (~5 s); batch 256 at
  // 2e-3 is cheaper per step but noisier, batch 1024 no faster per second.
  batchSize: 512,
  learningRate: 3e-3,
  loss: "simple",
  seed: 1,
  sigma2Kind: "betaTilde",
  maxSteps: 0
};

export interface Progress {
  step: number;
  loss: number;
  lossEma: number;
  stepsPerSecond: number;
  elapsedMs: number;
  running: boolean;
  numTensors: number;
  /** Recent raw losses, for the chart (the steps since the last progress message). */
  losses: number[];
}

export interface SamplesResult {
  x0: Float32Array;
  trajectory: {t: number; x: Float32Array}[];
  ms: number;
  sampler: "ancestral" | "ddim";
  steps: number;
  /** σ_t² of the ancestral sampler (the request's, else the training configuration's). */
  sigma2Kind: Sigma2Kind;
  quality: Quality;
  atStep: number;
}

export interface LedgerResult {
  terms: Float64Array;
  /** The standard error of each term, and of the total (nats), over the held-out examples. */
  termStdErr: Float64Array;
  epsError: Float64Array;
  weight: Float64Array;
  total: number;
  totalStdErr: number;
  totalBitsPerDim: number;
  examples: number;
  sigma2Kind: Sigma2Kind;
  atStep: number;
  ms: number;
  /** On mixture data: the data's entropy (nats per example) and its standard error. */
  entropy?: {value: number; stdErr: number};
}

export type Request =
  | {type: "init"; backend: BackendName | "auto"; config: TrainingConfig; weights?: DenoiserWeights}
  | {type: "run"}
  | {type: "pause"}
  | {type: "step"; k: number}
  | {type: "reset"; config?: Partial<TrainingConfig>; weights?: DenoiserWeights}
  | {type: "sample"; id: number; n: number; seed: number; keep: number[]; ddimSteps?: number; sigma2Kind?: Sigma2Kind}
  | {type: "ledger"; id: number; n: number; seed: number}
  | {type: "weights"; id: number};

export type Reply =
  | {type: "ready"; backend: BackendName; probes: BackendProbe[]; note?: string; parameterCount: number}
  | {type: "progress"; progress: Progress}
  | {type: "samples"; id: number; result: SamplesResult}
  | {type: "ledger"; id: number; result: LedgerResult}
  | {type: "weights"; id: number; weights: DenoiserWeights}
  | {type: "backend"; backend: BackendName; note: string}
  | {type: "error"; id?: number; kind: "divergence" | "backend" | "input" | "internal"; message: string};
