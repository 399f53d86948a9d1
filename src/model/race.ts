/**
 * The fair race of the Why diffusion page: a GAN (why-gan.ts) and a DDPM (the project's denoiser,
 * trainer and sampler, with the Training page's default settings) trained from scratch on the same
 * points, for the same wall-clock budget, on the same tfjs backend, in the same thread, then each
 * measured the same way against the same held-out points. Repeated over several seeds.
 *
 * The protocol, which the page states:
 *  - The clock of a model runs only while it trains. The two take turns in slices of about
 *    `sliceMs` (src/lib/race.ts, nextSlice): the one that has used less time goes next, so a
 *    slowdown of the machine falls on both alike. A model stops when its budget is spent.
 *  - Before the first seed, each model's code runs once on a throwaway copy, off the clock, so that
 *    neither pays the backend's one-time set-up (compiling kernels or shaders) inside its budget.
 *  - Sampling is not in the training budget; it is timed and reported on its own: the GAN draws its
 *    samples with one network evaluation each, the DDPM with Algorithm 2's T.
 *  - Both are measured with sampleQuality against the same held-out points: the energy distance
 *    beside its floor, and, where the data's modes are known, the modes covered and the share of
 *    high-quality samples.
 * The module receives `tf` (docs/architecture.md §4.2); the page runs it in race-worker.ts.
 */
import {datasetMixture, heldOutDataset, sampleDataset, type DatasetId} from "../lib/datasets.js";
import {energyFloor, sampleQuality} from "../lib/metrics.js";
import {yourDataSplit, type YourTrainingData} from "../lib/your-data-training.js";
import {optimalEpsPredictor, type GaussianMixture} from "../lib/mixture.js";
import {createRng} from "../lib/random.js";
import {pSampleWork} from "../lib/sampler.js";
import {nextSlice, updateRate, type Contestant, type RunResult, type SliceState} from "../lib/race.js";
import type {Schedule} from "../lib/schedule.js";
import {SAMPLE_SEED} from "../lib/seeds.js";
import type {Tf} from "./backends.js";
import {createDenoiser, DEFAULT_DENOISER, type Denoiser, type DenoiserConfig} from "./denoiser.js";
import {DEFAULT_TRAINING} from "./protocol.js";
import {DivergenceError} from "./rollback.js";
import {sample, sampleDDIM} from "./sampler.js";
import {createTrainer, type Trainer} from "./trainer.js";
import {HELD_OUT_POINTS} from "./training.js";
import {createGan, GanDivergenceError, type Gan, type GanConfig} from "./why-gan.js";

/** What the race trains on and measures against. Plain data: it crosses postMessage as it is. */
export interface RaceDataset {
  /** The training points, flat 2D and standardised like the built-in sets. */
  points: Float64Array;
  /** Points of the same distribution never trained on: every model is measured against them. */
  heldOut: Float64Array;
  /** The data's Gaussian mixture where it is known exactly (its modes are then counted), else null. */
  mixture: GaussianMixture | null;
  /**
   * The mixture whose exact noise predictor ε* is the reference (Algorithm 2 with ε*: what the DDPM
   * objective aims at): the data's own, or one fitted to them; absent, no reference is drawn.
   */
  epsMixture?: GaussianMixture | null;
}

/**
 * A built-in dataset as the race uses it: the Training page's default training set (4,000 points,
 * seed 1) and the held-out points that page measures against.
 */
export function builtinRaceDataset(id: DatasetId, seed = DEFAULT_TRAINING.seed): RaceDataset {
  return {
    points: sampleDataset(id, DEFAULT_TRAINING.points, seed),
    heldOut: heldOutDataset(id, HELD_OUT_POINTS, seed),
    mixture: datasetMixture(id),
    epsMixture: datasetMixture(id)
  };
}

/**
 * The reader's own points as the race uses them: the training and held-out parts of the split the
 * Training page uses (yourDataSplit). No modes and no ε* reference: drawn data are no mixture, and
 * the exact ε* of a mixture fitted to them would be the fit's, not theirs.
 */
export function yourRaceDataset(data: YourTrainingData): RaceDataset {
  const {train, heldOut} = yourDataSplit(data.points);
  return {points: train, heldOut, mixture: null, epsMixture: null};
}

/** What a test may change of the race's DDPM (the page never does): a smaller network, smaller batches. */
export interface DdpmOverrides {
  denoiser?: Partial<Omit<DenoiserConfig, "seed">>;
  batchSize?: number;
}

/** The DDPM of the race: the default denoiser and Algorithm 1's trainer with the Training page's default settings, seeded. */
export function createRaceDdpm(tf: Tf, schedule: Schedule, points: Float64Array, seed: number, overrides: DdpmOverrides = {}): {denoiser: Denoiser; trainer: Trainer} {
  const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, ...overrides.denoiser, seed});
  const trainer = createTrainer(tf, {
    denoiser,
    schedule,
    data: points,
    batchSize: overrides.batchSize ?? DEFAULT_TRAINING.batchSize,
    learningRate: DEFAULT_TRAINING.learningRate,
    loss: DEFAULT_TRAINING.loss,
    seed,
    sigma2Kind: DEFAULT_TRAINING.sigma2Kind
  });
  return {denoiser, trainer};
}

/**
 * Samples drawn from each trained model and measured: 500, as the Training page's quality figures
 * (Algorithm 2 on 1,000 points takes ~10 s on two CPU cores: 1,000 evaluations of a 40k-parameter network).
 */
export const RACE_SAMPLES = 500;

export interface RaceOptions {
  /** Each model's training budget per seed, in milliseconds. */
  budgetMs: number;
  /** One run of each model per seed (the seed of its weights, batches and noise). */
  seeds: number[];
  /** Samples drawn from each trained model and measured (default RACE_SAMPLES). */
  samplePoints?: number;
  /** The length of a turn, in milliseconds (default 100). */
  sliceMs?: number;
  /** GAN and DDPM settings other than the defaults (tests use smaller networks; the page does not). */
  gan?: Partial<GanConfig>;
  ddpm?: DdpmOverrides;
}

/** Where the race is, for a progress display. */
export interface RaceProgress {
  seed: number;
  /** 0-based index of the seed, and how many there are. */
  seedIndex: number;
  seedCount: number;
  /** "reference": Algorithm 2 with ε*, after the last seed. */
  phase: "train" | "sample" | "reference";
  /** Who is training or sampling now. */
  model: Contestant;
  usedMs: Record<Contestant, number>;
  steps: Record<Contestant, number>;
  budgetMs: number;
  /** While the DDPM samples: network evaluations done, of `total`. */
  sampled?: {done: number; total: number};
}

/** One finished run with its samples (for the page to draw). */
export interface RunWithSamples extends RunResult {
  x0: Float32Array;
}

export interface RaceHooks {
  onProgress?: (progress: RaceProgress) => void;
  onResult?: (run: RunWithSamples) => void;
  /** Asked between turns and while sampling: true ends the race (every tensor freed). */
  shouldStop?: () => boolean;
  /** Lets other work in between turns (default: a zero-delay timeout). Its time is not on any clock. */
  pause?: () => Promise<void>;
}

/** Algorithm 2 with the exact ε* of the dataset's epsMixture, measured like the two models. */
export interface EpsReference {
  x0: Float32Array;
  sampleMs: number;
  evaluations: number;
  energy: number;
  energyFloor: number;
  modesCovered?: number;
  modes?: number;
  highQualityFraction?: number;
}

export interface RaceOutcome {
  runs: RunResult[];
  stopped: boolean;
  /** Milliseconds of the off-the-clock warm-up. */
  warmupMs: number;
  /** The ε* reference, drawn after the last seed when the dataset names an epsMixture. */
  reference?: EpsReference;
}

class Stopped extends Error {}

/**
 * Steps of each model's first turn, before its speed is known: one each. Which step costs more
 * depends on the sizes and the backend (on tfjs's cpu backend a small GAN's step, with its
 * discriminator's, can take longer than a small DDPM's), so a longer probe could put one model a
 * few slices ahead of the other before the scheduler can even them out.
 */
const PROBE_STEPS: Record<Contestant, number> = {gan: 1, ddpm: 1};

/** Runs the race; resolves when every seed is done or `shouldStop` says so. Frees every tensor it made. */
export async function runRace(tf: Tf, schedule: Schedule, dataset: RaceDataset, options: RaceOptions, hooks: RaceHooks = {}): Promise<RaceOutcome> {
  const {budgetMs, seeds, samplePoints = RACE_SAMPLES, sliceMs = 100, gan: ganConfig = {}, ddpm: ddpmOverrides = {}} = options;
  if (!(budgetMs > 0) || !Number.isFinite(budgetMs)) throw new Error(`budgetMs must be a finite number > 0, got ${budgetMs}`);
  if (seeds.length === 0 || !seeds.every(Number.isInteger)) throw new Error(`seeds must be one or more integers, got ${JSON.stringify(seeds)}`);
  if (!Number.isInteger(samplePoints) || samplePoints < 2) throw new Error(`samplePoints must be an integer ≥ 2, got ${samplePoints}`);
  const pause = hooks.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const checkStop = () => {
    if (hooks.shouldStop?.()) throw new Stopped();
  };
  const heldOutCount = dataset.heldOut.length / 2;
  const floor = energyFloor(dataset.heldOut, samplePoints, heldOutCount);
  const measure = (x0: Float32Array) => sampleQuality(x0, dataset.heldOut, {mixture: dataset.mixture, floor});
  const runs: RunResult[] = [];

  const warmStart = performance.now();
  await warmUp(tf, schedule, dataset.points, ganConfig, ddpmOverrides);
  const warmupMs = performance.now() - warmStart;

  try {
    for (let seedIndex = 0; seedIndex < seeds.length; seedIndex++) {
      const seed = seeds[seedIndex];
      checkStop();
      const gan = createGan(tf, dataset.points, {...ganConfig, seed});
      const ddpm = createRaceDdpm(tf, schedule, dataset.points, seed, ddpmOverrides);
      try {
        const states: Record<Contestant, SliceState> = {gan: {usedMs: 0, msPerStep: null}, ddpm: {usedMs: 0, msPerStep: null}};
        const diverged: Partial<Record<Contestant, string>> = {};
        const steps = () => ({gan: gan.step, ddpm: ddpm.trainer.stepCount});
        for (let slice = nextSlice(states, {budgetMs, sliceMs, probeSteps: PROBE_STEPS}); slice; slice = nextSlice(states, {budgetMs, sliceMs, probeSteps: PROBE_STEPS})) {
          checkStop();
          const {who, steps: k} = slice;
          const before = who === "gan" ? gan.step : ddpm.trainer.stepCount;
          const start = performance.now();
          try {
            if (who === "gan") await gan.train(k);
            else await ddpm.trainer.steps(k);
          } catch (error) {
            if (!(error instanceof GanDivergenceError || error instanceof DivergenceError)) throw error;
            diverged[who] = error.message;
            states[who].stopped = true;
          }
          const ms = performance.now() - start;
          const taken = (who === "gan" ? gan.step : ddpm.trainer.stepCount) - before;
          states[who].usedMs += ms;
          if (taken > 0) states[who].msPerStep = updateRate(states[who].msPerStep, ms, taken);
          hooks.onProgress?.({seed, seedIndex, seedCount: seeds.length, phase: "train", model: who, usedMs: {gan: states.gan.usedMs, ddpm: states.ddpm.usedMs}, steps: steps(), budgetMs});
          await pause();
        }

        const report = (model: Contestant, x0: Float32Array, sampleMs: number, evaluations: number): void => {
          const quality = measure(x0);
          const run: RunWithSamples = {
            model,
            seed,
            steps: steps()[model],
            trainMs: states[model].usedMs,
            sampleMs,
            evaluations,
            samples: samplePoints,
            energy: quality.energy,
            energyFloor: quality.energyFloor,
            ...(quality.modes !== undefined ? {modesCovered: quality.modesCovered, modes: quality.modes, highQualityFraction: quality.highQualityFraction} : {}),
            ...(diverged[model] ? {diverged: diverged[model]} : {}),
            x0
          };
          const {x0: _samples, ...numbers} = run;
          runs.push(numbers);
          hooks.onResult?.(run);
        };

        // The GAN: one evaluation of G per sample.
        checkStop();
        hooks.onProgress?.({seed, seedIndex, seedCount: seeds.length, phase: "sample", model: "gan", usedMs: {gan: states.gan.usedMs, ddpm: states.ddpm.usedMs}, steps: steps(), budgetMs});
        let start = performance.now();
        const ganSamples = await gan.sample(samplePoints, SAMPLE_SEED);
        report("gan", ganSamples, performance.now() - start, 1);

        // The DDPM: Algorithm 2 from the weights' moving average (as the Training page samples), T evaluations.
        // The pauses that let a Stop in are taken off its time.
        let pausedMs = 0;
        start = performance.now();
        const result = await ddpm.trainer.withAveragedWeights(() =>
          sample(tf, ddpm.denoiser, schedule, {
            n: samplePoints,
            seed: SAMPLE_SEED,
            sigma2Kind: DEFAULT_TRAINING.sigma2Kind,
            yieldEvery: 25,
            onProgress: async (p) => {
              const pauseStart = performance.now();
              checkStop();
              hooks.onProgress?.({seed, seedIndex, seedCount: seeds.length, phase: "sample", model: "ddpm", usedMs: {gan: states.gan.usedMs, ddpm: states.ddpm.usedMs}, steps: steps(), budgetMs, sampled: {done: p.done, total: p.total}});
              await pause();
              pausedMs += performance.now() - pauseStart;
            }
          })
        );
        report("ddpm", result.x0, performance.now() - start - pausedMs, result.steps);
      } finally {
        gan.dispose();
        ddpm.trainer.dispose();
        ddpm.denoiser.dispose();
      }
      await pause();
    }
    if (dataset.epsMixture) {
      hooks.onProgress?.({seed: seeds[seeds.length - 1], seedIndex: seeds.length - 1, seedCount: seeds.length, phase: "reference", model: "ddpm", usedMs: {gan: 0, ddpm: 0}, steps: {gan: 0, ddpm: 0}, budgetMs});
      const {x0, ms} = await epsStarSamples(dataset.epsMixture, schedule, samplePoints, checkStop, pause);
      const quality = measure(x0);
      const reference: EpsReference = {x0, sampleMs: ms, evaluations: schedule.T, energy: quality.energy, energyFloor: quality.energyFloor};
      if (quality.modes !== undefined) Object.assign(reference, {modesCovered: quality.modesCovered, modes: quality.modes, highQualityFraction: quality.highQualityFraction});
      return {runs, stopped: false, warmupMs, reference};
    }
  } catch (error) {
    if (error instanceof Stopped) return {runs, stopped: true, warmupMs};
    throw error;
  }
  return {runs, stopped: false, warmupMs};
}

/** Algorithm 2 with ε* in float64 on the host (the core's sampler), in slices of ~50 ms with a stop check between them. */
async function epsStarSamples(gm: GaussianMixture, schedule: Schedule, n: number, checkStop: () => void, pause: () => Promise<void>): Promise<{x0: Float32Array; ms: number}> {
  const work = pSampleWork(schedule, optimalEpsPredictor(gm, schedule), n, createRng(SAMPLE_SEED));
  let ms = 0;
  for (;;) {
    const start = performance.now();
    let step = work.next();
    while (!step.done && performance.now() - start < 50) step = work.next();
    ms += performance.now() - start;
    if (step.done) return {x0: Float32Array.from(step.value.x0), ms};
    checkStop();
    await pause();
  }
}

/** Both models' code run once on throwaway copies (a few steps, a few samples), off the clock. */
async function warmUp(tf: Tf, schedule: Schedule, points: Float64Array, ganConfig: Partial<GanConfig>, ddpmOverrides: DdpmOverrides): Promise<void> {
  const gan: Gan = createGan(tf, points, {...ganConfig, seed: 0});
  const ddpm = createRaceDdpm(tf, schedule, points, 0, ddpmOverrides);
  try {
    await gan.train(2);
    await gan.sample(2, 0);
    await ddpm.trainer.steps(2);
    // A few steps of the sampler's loop run the same kernels as Algorithm 2's thousand.
    await ddpm.trainer.withAveragedWeights(() => sampleDDIM(tf, ddpm.denoiser, schedule, {n: 2, seed: 0, steps: 4}));
  } finally {
    gan.dispose();
    ddpm.trainer.dispose();
    ddpm.denoiser.dispose();
  }
}
