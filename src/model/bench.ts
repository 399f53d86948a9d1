// Measurements behind `npm run bench` (scripts/bench.ts drives them in Chromium from the
// built site's bench page). They run the same model code as the pages; nothing here is a test.
import {sampleDataset, datasetMixture, type DatasetId, heldOutDataset} from "../lib/datasets.js";
import {energyDistance, energyFloor, modeCoverage} from "../lib/metrics.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../lib/schedule.js";
import {tfjsBackend, type BackendName, type BackendProbe} from "./backends.js";
import {createDenoiser, DEFAULT_DENOISER, type Denoiser, type EpsModel} from "./denoiser.js";
import {createKernelSampler} from "./kernel/sampler.js";
import {KernelHelper, SITE_USES_HELPER} from "./kernel/threads.js";
import {createKernelTrainer} from "./kernel/trainer.js";
import {createTrainer, type Trainer, type TrainerOptions} from "./trainer.js";
import {FLOOR_SEED_OFFSET, SAMPLE_SEED} from "../lib/seeds.js";
import {sample} from "./sampler.js";
import {DEFAULT_TRAINING} from "./protocol.js";
import type {Tf} from "./backends.js";

/**
 * Which backend a measurement runs on; the caller has selected its tfjs backend (for the kernel: the
 * one beside it). `threads` for the kernel: 2 gives it the helper thread (where one starts), 1 does
 * not; by default, as the site runs it (SITE_USES_HELPER).
 */
export interface BenchOptions {
  backend?: BackendName;
  threads?: 1 | 2;
}

let helper: Promise<KernelHelper | null> | null = null;
/** The kernel's helper thread, started once per page (null where it cannot start). */
function kernelHelper(threads: 1 | 2 = SITE_USES_HELPER ? 2 : 1): Promise<KernelHelper | null> {
  if (threads === 1) return Promise.resolve(null);
  helper ??= KernelHelper.start({onUnavailable: (reason) => console.warn(`the kernel runs on one thread: ${reason}`)});
  return helper;
}

/** The trainer the Training page would use on `backend`. */
async function makeTrainer(tf: Tf, {backend, threads}: BenchOptions, options: TrainerOptions): Promise<Trainer> {
  return backend === "kernel" ? await createKernelTrainer(tf, {...options, helper: await kernelHelper(threads)}) : createTrainer(tf, options);
}

/** The model the Training page would sample with on `backend`. */
async function samplingModel({backend, threads}: BenchOptions, denoiser: Denoiser): Promise<EpsModel> {
  return backend === "kernel" ? await createKernelSampler(denoiser, {helper: await kernelHelper(threads)}) : denoiser;
}

/** Threads the kernel uses for training steps at `batchSize` and for sampling n points, with these options. */
export async function kernelThreads(tf: Tf, batchSize: number, n: number, options: BenchOptions = {}): Promise<{training: number; sampling: number}> {
  const denoiser = createDenoiser(tf, DEFAULT_DENOISER);
  try {
    const trainer = (await makeTrainer(tf, {...options, backend: "kernel"}, {denoiser, schedule: makeSchedule(DEFAULT_SCHEDULE), data: sampleDataset("ring-8", 100, 1), batchSize})) as Trainer & {threads: number};
    const sampler = (await samplingModel({...options, backend: "kernel"}, denoiser)) as EpsModel & {threadsFor(n: number): number};
    trainer.dispose();
    return {training: trainer.threads, sampling: sampler.threadsFor(n)};
  } finally {
    denoiser.dispose();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median milliseconds per training step (Algorithm 1, default model, Adam) at a batch size. */
export async function msPerStep(tf: Tf, batchSize: number, {chunks = 7, stepsPerChunk = 0, ...on}: {chunks?: number; stepsPerChunk?: number} & BenchOptions = {}): Promise<number> {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 1});
  const trainer = await makeTrainer(tf, on, {denoiser, schedule, data: sampleDataset("ring-8", 4000, 1), batchSize, learningRate: DEFAULT_TRAINING.learningRate, seed: 1});
  try {
    const k = stepsPerChunk || (batchSize >= 2048 ? 5 : 20);
    await trainer.steps(k); // warm-up: shader compilation, kernel caches
    const times: number[] = [];
    for (let c = 0; c < chunks; c++) {
      const start = performance.now();
      await trainer.steps(k);
      times.push((performance.now() - start) / k);
    }
    return median(times);
  } finally {
    trainer.dispose();
    denoiser.dispose();
  }
}

/**
 * Seconds to draw n samples with Algorithm 2 (all T = 1000 steps) from an untrained default model.
 * On a backend so slow that this would take over `maxSeconds`, the run stops there and the time is
 * extrapolated from the steps done (every step costs the same), and `extrapolated` says so.
 */
export async function sampleSeconds(tf: Tf, n = 2048, {maxSeconds = 60, ...on}: {maxSeconds?: number} & BenchOptions = {}): Promise<{seconds: number; extrapolated: boolean}> {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 1});
  const model = await samplingModel(on, denoiser);
  const start = performance.now();
  let estimate: number | null = null;
  try {
    const result = await sample(tf, model, schedule, {
      n,
      seed: 1,
      onProgress: ({done, total}) => {
        const elapsed = (performance.now() - start) / 1000;
        if (elapsed > maxSeconds && done < total) {
          estimate = (elapsed * total) / done;
          throw new Error("stop");
        }
      }
    });
    return {seconds: result.ms / 1000, extrapolated: false};
  } catch (error) {
    if (estimate !== null) return {seconds: estimate, extrapolated: true};
    throw error;
  } finally {
    denoiser.dispose();
  }
}

export interface TimeToQuality {
  dataset: DatasetId;
  /** Seconds of training (sampling for the checks excluded) until the energy distance first came within 2× the data floor; null if not within the budget. */
  seconds: number | null;
  steps: number | null;
  /** The trajectory of the checks: [training seconds, steps, energy distance]. */
  checks: [number, number, number][];
  floor: number;
  modesCovered?: number;
  highQualityFraction?: number;
}

/**
 * Trains the default model on `dataset` with the site's default settings and checks the samples
 * every `checkEvery` steps (1,000 samples, Algorithm 2, against 1,000 held-out points) until the
 * energy distance is within 2× the floor of two independent data samples of the same size.
 */
export async function timeToQuality(
  tf: Tf,
  dataset: DatasetId,
  {budgetSeconds = 60, checkEvery = 250, n = 1000, ...on}: {budgetSeconds?: number; checkEvery?: number; n?: number} & BenchOptions = {}
): Promise<TimeToQuality> {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const c = DEFAULT_TRAINING;
  const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, seed: c.seed});
  const model = await samplingModel(on, denoiser);
  const trainer = await makeTrainer(tf, on, {denoiser, schedule, data: sampleDataset(dataset, c.points, c.seed), batchSize: c.batchSize, learningRate: c.learningRate, loss: c.loss, seed: c.seed});
  const heldOut = heldOutDataset(dataset, n, c.seed);
  const floor = energyFloor(sampleDataset(dataset, 4000, c.seed + FLOOR_SEED_OFFSET), n, n);
  const checks: [number, number, number][] = [];
  let trainSeconds = 0;
  try {
    while (trainSeconds < budgetSeconds) {
      const start = performance.now();
      await trainer.steps(checkEvery);
      trainSeconds += (performance.now() - start) / 1000;
      const samples = await trainer.withAveragedWeights(() => sample(tf, model, schedule, {n, seed: SAMPLE_SEED}));
      const energy = energyDistance(samples.x0, heldOut);
      checks.push([trainSeconds, trainer.stepCount, energy]);
      if (energy <= 2 * floor) {
        const gm = datasetMixture(dataset);
        const coverage = gm ? modeCoverage(samples.x0, gm) : null;
        return {dataset, seconds: trainSeconds, steps: trainer.stepCount, checks, floor, modesCovered: coverage?.modesCovered, highQualityFraction: coverage?.highQualityFraction};
      }
    }
    return {dataset, seconds: null, steps: null, checks, floor};
  } finally {
    trainer.dispose();
    denoiser.dispose();
  }
}

/** Live tensors and JS heap (Chromium's performance.memory) after `steps` training steps. */
export async function memoryAfter(tf: Tf, steps = 2000, on: BenchOptions = {}): Promise<{numTensors: number; numTensorsBefore: number; heapMB: number | null}> {
  const numTensorsBefore = tf.memory().numTensors;
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 1});
  const trainer = await makeTrainer(tf, on, {denoiser, schedule, data: sampleDataset("ring-8", 4000, 1), batchSize: 256, learningRate: 2e-3, seed: 1});
  try {
    for (let done = 0; done < steps; done += 100) await trainer.steps(100);
    const memory = (performance as Performance & {memory?: {usedJSHeapSize: number}}).memory;
    return {numTensors: tf.memory().numTensors, numTensorsBefore, heapMB: memory ? memory.usedJSHeapSize / 2 ** 20 : null};
  } finally {
    trainer.dispose();
    denoiser.dispose();
  }
}

/** The quick in-page run: ms per step at batch 256 on each working backend, reported line by line. */
export async function quickRun(tf: Tf, probes: readonly BackendProbe[], onLine: (lines: string[]) => void): Promise<string[]> {
  const lines: string[] = [];
  for (const {name} of probes.filter((p) => p.ok && !p.software)) {
    if (!(await tf.setBackend(tfjsBackend(name, probes)))) continue;
    lines.push(`${name}: ${(await msPerStep(tf, 256, {backend: name})).toFixed(1)} ms per training step at batch 256, ${(await msPerStep(tf, 2048, {backend: name})).toFixed(1)} at 2048`);
    onLine(lines);
  }
  return lines;
}
