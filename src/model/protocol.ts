// Messages between a page (TrainingSession) and the training worker (train-worker.ts).
import type {LossKind} from "../lib/loss-weights.js";
import type {Quality} from "../lib/metrics.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import type {MixtureBaseline, TrainingDataset, YourTrainingData} from "../lib/your-data-training.js";
import type {BackendName, BackendProbe} from "./backends.js";
import type {DenoiserWeights} from "./denoiser.js";

export type ModelSize = "default" | "large";

export interface TrainingConfig {
  /** A built-in dataset, or "your-data": the reader's own points, carried in `custom`. */
  dataset: TrainingDataset;
  /** Training points drawn from a built-in dataset (seeded); your data train on their own training split instead. */
  points: number;
  /** The reader's own points, with dataset "your-data" only (checkYourTrainingData). */
  custom?: YourTrainingData;
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

/** Settings that a running model can take from its next step on, without losing anything. */
export type LiveSettings = Pick<TrainingConfig, "learningRate" | "batchSize" | "loss" | "sigma2Kind" | "maxSteps">;
export const LIVE_SETTINGS: readonly (keyof LiveSettings)[] = ["learningRate", "batchSize", "loss", "sigma2Kind", "maxSteps"];
/** Settings that need a new model (other data, another network, other initial weights). */
export const MODEL_SETTINGS: readonly (keyof TrainingConfig)[] = ["dataset", "custom", "points", "model", "seed"];

/** What the worker is doing now, for the status line. */
export interface Activity {
  /** "training", "idle", or a job: "preview", "sample", "ledger". */
  kind: "idle" | "training" | "preview" | "sample" | "ledger" | "starting" | "recovering";
  /** A short phrase for a reader: "sampling a preview (Algorithm 2, t = 600)". */
  text: string;
}

export interface Progress {
  /** Steps of this model: those of the weights it started from (a reference model's, a checkpoint's) plus those trained here. */
  step: number;
  /** Steps the model had when this worker loaded it. */
  startStep: number;
  /** Which model: changes with every reset, so results of an earlier model can be told apart. */
  generation: number;
  loss: number;
  lossEma: number;
  /** Training steps per second of wall-clock time over the last few seconds (previews included in the time). */
  stepsPerSecond: number;
  /** The share of that time spent on previews, samples and the ledger. */
  previewShare: number;
  /** Milliseconds spent in training steps on this worker. */
  elapsedMs: number;
  running: boolean;
  numTensors: number;
  /** Recent raw losses, for the chart (the steps since the last progress message). */
  losses: number[];
  /** The settings in force: the panel shows these, never its form's values, as what trains. */
  config: TrainingConfig;
  activity: Activity;
}

export interface SamplesResult {
  x0: Float32Array;
  trajectory: {t: number; x: Float32Array}[];
  ms: number;
  sampler: "ancestral" | "ddim";
  steps: number;
  /** σ_t² of the ancestral sampler (the request's, else the training configuration's). */
  sigma2Kind: Sigma2Kind;
  /** The sample quality, and how many samples it compared (QUALITY_POINTS in every figure of the panel). */
  quality: Quality & {points?: number; heldOut?: number};
  atStep: number;
  generation?: number;
  /** Why these samples cannot be trusted (absurd values), if so. */
  verdict?: string;
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
  generation?: number;
  /** On mixture data: the data's entropy (nats per example) and its standard error. */
  entropy?: {value: number; stdErr: number};
  /** On your data, where a mixture could be fitted: its exact score on the same held-out points (not the data's entropy). */
  baseline?: MixtureBaseline;
  /** On your data: why the data's entropy is not given (and, without a fit, why no baseline is). */
  entropyNote?: string;
}

/** θ at a moment known to be good, for carrying training over to another backend or worker. */
export interface Checkpoint {
  step: number;
  flat: Float32Array;
  generation: number;
}

/** A long job's progress: Algorithm 2's timestep (with the points, when streamed) or the ledger's. */
export interface JobProgress {
  done: number;
  total: number;
  /** Sampling: the timestep the points are at, and the points x_t (when the request streams). */
  t?: number;
  x?: Float32Array;
}

export type Request =
  | {type: "init"; id: number; backend: BackendName | "auto"; config: TrainingConfig; weights?: DenoiserWeights; flat?: Float32Array; startStep?: number}
  | {type: "run"; id: number}
  | {type: "pause"; id: number}
  | {type: "step"; id: number; k: number}
  | {type: "configure"; id: number; settings: Partial<LiveSettings>}
  | {type: "reset"; id: number; config?: Partial<TrainingConfig>; weights?: DenoiserWeights; startStep?: number}
  | {type: "sample"; id: number; n: number; seed: number; keep: number[]; ddimSteps?: number; sigma2Kind?: Sigma2Kind; stream?: boolean; preview?: boolean}
  | {type: "ledger"; id: number; n: number; seed: number}
  | {type: "weights"; id: number}
  | {type: "checkpoint"; id: number}
  | {type: "cancel"; id: number; target: number};

export type Reply =
  /** Sent at once for every request: the worker has it (and says whether it waits behind other work). */
  | {type: "ack"; id: number; request: Request["type"]; queued: boolean}
  | {type: "ready"; id: number; backend: BackendName; probes: BackendProbe[]; note?: string; parameterCount: number}
  | {type: "progress"; progress: Progress}
  | {type: "job"; id: number; progress: JobProgress}
  | {type: "samples"; id: number; result: SamplesResult}
  | {type: "ledger"; id: number; result: LedgerResult}
  | {type: "weights"; id: number; weights: DenoiserWeights}
  | {type: "checkpoint"; id?: number; checkpoint: Checkpoint}
  | {type: "done"; id: number}
  | {type: "cancelled"; id: number}
  | {type: "backend"; backend: BackendName; note: string}
  | {type: "error"; id?: number; kind: "divergence" | "backend" | "input" | "internal"; message: string};
