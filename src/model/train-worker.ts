// The training worker: holds the model, trains it (Algorithm 1), samples (Algorithm 2) and
// computes the ledger, so that the page's main thread only draws. Pages talk to it through
// TrainingSession (session.ts); the messages are in protocol.ts. Terminating the worker frees
// everything it allocated.
import {tf} from "./tfjs-browser.js";
import {probeAllBackends} from "./tfjs-browser.js";
import {BACKEND_ORDER, message, tfjsBackend, type BackendName, type BackendProbe} from "./backends.js";
import {createDenoiser, DEFAULT_DENOISER, LARGE_DENOISER, loadDenoiser, type Denoiser, type DenoiserWeights, type EpsModel} from "./denoiser.js";
import {createKernelSampler, type KernelSampler} from "./kernel/sampler.js";
import {KernelHelper, SITE_USES_HELPER} from "./kernel/threads.js";
import {createKernelTrainer} from "./kernel/trainer.js";
import {createTrainer, DivergenceError, type Trainer} from "./trainer.js";
import {sample, sampleDDIM} from "./sampler.js";
import {computeLedger} from "./ledger.js";
import type {LedgerResult, Progress, Quality, Reply, Request, TrainingConfig} from "./protocol.js";
import {datasetMixture, sampleDataset, heldOutDataset} from "../lib/datasets.js";
import {energyDistance, energyFloor, modeCoverage} from "../lib/metrics.js";
import {mixtureEntropy} from "../lib/mixture.js";
import {createRng} from "../lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule, type Schedule} from "../lib/schedule.js";

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (reply: Reply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

const schedule: Schedule = makeSchedule(DEFAULT_SCHEDULE);
const HELD_OUT = 2000;

interface State {
  config: TrainingConfig;
  data: Float64Array;
  heldOut: Float64Array;
  denoiser: Denoiser;
  trainer: Trainer;
  /** What sampling runs on: the denoiser (tfjs), or the kernel's sampling model. */
  sampler: EpsModel;
  backend: BackendName;
  probes: BackendProbe[];
  /** θ at the last good moment, to carry training over to another backend if this one fails. */
  snapshot: Float32Array | null;
  snapshotStep: number;
  floors: Map<number, number>;
  entropy?: {value: number; stdErr: number};
}

let state: State | null = null;
let running = false;
let chunk = 8;
let pendingLosses: number[] = [];

// One tfjs user at a time: training chunks, sampling and the ledger take turns.
let lock: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const result = lock.then(work);
  lock = result.catch(() => undefined);
  return result;
}

let helper: Promise<KernelHelper | null> | null = null;
/** The kernel's second thread, started the first time the kernel trains here (null: one thread). */
function kernelHelper(): Promise<KernelHelper | null> {
  helper ??= KernelHelper.start({onUnavailable: (reason) => console.warn(`the WebAssembly kernel runs on one thread: ${reason}`)});
  return helper;
}

/** `weights` (saved) or `flat` (a snapshot of θ) start the model; either is in place before the
 *  trainer copies θ into its moving average and its rollback state. On the kernel, training and
 *  sampling run there and tfjs holds the denoiser for the rest. */
async function buildModel(
  config: TrainingConfig,
  backend: BackendName,
  weights?: DenoiserWeights,
  flat?: Float32Array
): Promise<{denoiser: Denoiser; trainer: Trainer; sampler: EpsModel; data: Float64Array; heldOut: Float64Array}> {
  const data = sampleDataset(config.dataset, config.points, config.seed);
  // Held-out data: another seed, never trained on.
  const heldOut = heldOutDataset(config.dataset, HELD_OUT, config.seed);
  const denoiser = weights
    ? loadDenoiser(tf, weights)
    : createDenoiser(tf, {...(config.model === "large" ? LARGE_DENOISER : DEFAULT_DENOISER), seed: config.seed});
  if (flat) denoiser.setFlat(flat);
  const options = {
    denoiser,
    schedule,
    data,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    loss: config.loss,
    seed: config.seed,
    sigma2Kind: config.sigma2Kind
  };
  try {
    if (backend === "kernel") {
      const threads = {helper: SITE_USES_HELPER ? await kernelHelper() : null};
      return {denoiser, trainer: await createKernelTrainer(tf, {...options, ...threads}), sampler: await createKernelSampler(denoiser, threads), data, heldOut};
    }
    return {denoiser, trainer: createTrainer(tf, options), sampler: denoiser, data, heldOut};
  } catch (error) {
    denoiser.dispose();
    throw error;
  }
}

function disposeModel() {
  if (!state) return;
  try {
    state.trainer.dispose();
    if (state.sampler !== state.denoiser) (state.sampler as KernelSampler).dispose();
    state.denoiser.dispose();
  } catch {
    // A backend that failed may not be able to free its tensors; the worker's end frees them.
  }
}

function progress(): Progress {
  const report = state!.trainer.report;
  const losses = pendingLosses;
  pendingLosses = [];
  return {
    step: report.step,
    loss: report.loss,
    lossEma: report.lossEma,
    stepsPerSecond: report.stepsPerSecond,
    elapsedMs: report.elapsedMs,
    running,
    numTensors: tf.memory().numTensors,
    losses
  };
}

async function trainChunk(k: number): Promise<void> {
  const s = state!;
  const start = performance.now();
  const report = await s.trainer.steps(k);
  pendingLosses.push(...report.losses);
  const ms = performance.now() - start;
  // Aim for ~100 ms of work between progress messages.
  chunk = Math.max(1, Math.min(500, Math.round((k * 100) / Math.max(ms, 1))));
  if (s.trainer.stepCount - s.snapshotStep >= 200) {
    s.snapshot = (await s.denoiser.variables[0].data()) as Float32Array;
    s.snapshotStep = s.trainer.stepCount;
  }
}

/** Moves training to the next backend that works, from the last snapshot of θ. */
async function fallBack(error: unknown): Promise<void> {
  const s = state!;
  const failed = s.backend;
  const candidates = BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(failed) + 1).filter((name) => s.probes.find((p) => p.name === name)?.ok);
  disposeModel();
  for (const name of candidates) {
    try {
      if (!(await tf.setBackend(tfjsBackend(name, s.probes)))) continue;
      // θ goes in before the trainer is built: set afterwards, the weight average and the
      // divergence rollback would still hold the fresh random weights.
      const rebuilt = await buildModel(s.config, name, undefined, s.snapshot ?? undefined);
      state = {...s, ...rebuilt, backend: name, snapshotStep: 0};
      post({
        type: "backend",
        backend: name,
        note: `${failed} failed during training (${message(error)}); continuing on ${name} from the weights of step ${s.snapshotStep} (Adam's state and the step count restart).`
      });
      return;
    } catch {
      continue;
    }
  }
  state = null;
  throw new Error(`${failed} failed during training (${message(error)}) and no other backend works here`);
}

async function loop(): Promise<void> {
  while (running && state) {
    try {
      await exclusive(async () => {
        if (!running || !state) return;
        const max = state.config.maxSteps;
        const k = max > 0 ? Math.min(chunk, max - state.trainer.stepCount) : chunk;
        if (k <= 0) {
          running = false;
          return;
        }
        await trainChunk(k);
      });
      if (state) post({type: "progress", progress: progress()});
    } catch (error) {
      running = false;
      if (error instanceof DivergenceError) {
        post({type: "error", kind: "divergence", message: error.message});
        if (state) post({type: "progress", progress: progress()});
        return;
      }
      try {
        await exclusive(() => fallBack(error));
        running = true;
      } catch (fatal) {
        post({type: "error", kind: "backend", message: message(fatal)});
        return;
      }
    }
    // Let pause/sample/ledger messages in between chunks.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (state) post({type: "progress", progress: progress()});
}

function quality(s: State, x0: Float32Array): Quality {
  const n = x0.length / 2;
  const reference = s.heldOut.subarray(0, 2 * Math.min(n, HELD_OUT / 2));
  let floor = s.floors.get(n);
  if (floor === undefined) {
    // The expected distance between two independent data samples of these sizes: what a perfect model reaches.
    floor = energyFloor(s.heldOut, n, reference.length / 2);
    s.floors.set(n, floor);
  }
  const result: Quality = {energy: energyDistance(x0, reference), energyFloor: floor};
  const gm = datasetMixture(s.config.dataset);
  if (gm) {
    const coverage = modeCoverage(x0, gm);
    Object.assign(result, {modesCovered: coverage.modesCovered, modes: coverage.modes, highQualityFraction: coverage.highQualityFraction});
  }
  return result;
}

async function handle(request: Request): Promise<void> {
  switch (request.type) {
    case "init": {
      running = false;
      await exclusive(async () => {
        disposeModel();
        const {probes, preferred} = await probeAllBackends();
        let backend = preferred;
        let note: string | undefined;
        if (request.backend !== "auto") {
          const probe = probes.find((p) => p.name === request.backend);
          if (probe?.ok && (await tf.setBackend(tfjsBackend(request.backend, probes)))) backend = request.backend;
          else note = `${request.backend} is not available here (${probe?.detail ?? "unknown"}); using ${preferred}.`;
        }
        if (!backend) throw new Error("no tfjs backend initialised in this browser");
        await tf.setBackend(tfjsBackend(backend, probes));
        let model;
        try {
          model = await buildModel(request.config, backend, request.weights);
        } catch (error) {
          // The kernel refused this model (an architecture it lacks): train it on tfjs instead, and say so.
          if (backend !== "kernel") throw error;
          const fallback = tfjsBackend("kernel", probes);
          await tf.setBackend(fallback);
          note = `The WebAssembly SIMD kernel cannot train this model (${message(error)}); using ${fallback}.`;
          backend = fallback;
          model = await buildModel(request.config, backend, request.weights);
        }
        state = {config: request.config, ...model, backend, probes, snapshot: null, snapshotStep: 0, floors: new Map()};
        post({type: "ready", backend, probes, note, parameterCount: model.denoiser.parameterCount});
        post({type: "progress", progress: progress()});
      });
      return;
    }
    case "run":
      if (!state || running) return;
      running = true;
      void loop();
      return;
    case "pause":
      running = false;
      return;
    case "step":
      if (!state) return;
      running = false;
      try {
        await exclusive(() => trainChunk(request.k));
      } catch (error) {
        post({type: "error", kind: error instanceof DivergenceError ? "divergence" : "backend", message: message(error)});
      }
      post({type: "progress", progress: progress()});
      return;
    case "reset": {
      if (!state) return;
      running = false;
      await exclusive(async () => {
        const config = {...state!.config, ...request.config};
        const sameData = config.dataset === state!.config.dataset && config.seed === state!.config.seed && config.points === state!.config.points;
        disposeModel();
        const model = await buildModel(config, state!.backend, request.weights);
        state = {...state!, ...model, config, snapshot: null, snapshotStep: 0, floors: sameData ? state!.floors : new Map(), entropy: sameData ? state!.entropy : undefined};
        pendingLosses = [];
        post({type: "progress", progress: progress()});
      });
      return;
    }
    case "sample": {
      if (!state) return;
      const result = await exclusive(async () => {
        const s = state!;
        const options = {n: request.n, seed: request.seed, keepTrajectory: request.keep};
        const sigma2Kind = request.sigma2Kind ?? s.config.sigma2Kind;
        // Samples come from the moving average of the weights (as the paper's do).
        const out = await s.trainer.withAveragedWeights(() =>
          request.ddimSteps
            ? sampleDDIM(tf, s.sampler, schedule, {...options, steps: request.ddimSteps})
            : sample(tf, s.sampler, schedule, {...options, sigma2Kind})
        );
        return {
          x0: out.x0,
          trajectory: out.trajectory,
          ms: out.ms,
          sampler: request.ddimSteps ? ("ddim" as const) : ("ancestral" as const),
          steps: out.steps,
          sigma2Kind,
          quality: quality(s, out.x0),
          atStep: s.trainer.stepCount
        };
      });
      post({type: "samples", id: request.id, result}, [result.x0.buffer, ...result.trajectory.map((p) => p.x.buffer)]);
      return;
    }
    case "ledger": {
      if (!state) return;
      const result: LedgerResult = await exclusive(async () => {
        const s = state!;
        const start = performance.now();
        const ledger = await s.trainer.withAveragedWeights(() => computeLedger(tf, s.denoiser, schedule, {
          x0: s.heldOut.subarray(0, 2 * Math.min(request.n, HELD_OUT)),
          seed: request.seed,
          sigma2Kind: s.config.sigma2Kind
        }));
        const gm = datasetMixture(s.config.dataset);
        if (gm && !s.entropy) {
          const h = mixtureEntropy(gm, {n: 20000, rng: createRng(s.config.seed + 1)});
          s.entropy = {value: h.value, stdErr: h.stdErr};
        }
        return {...ledger, atStep: s.trainer.stepCount, ms: performance.now() - start, entropy: s.entropy};
      });
      post({type: "ledger", id: request.id, result});
      return;
    }
    case "weights": {
      if (!state) return;
      const weights = await exclusive(() => state!.trainer.withAveragedWeights(() => state!.denoiser.getWeights()));
      post({type: "weights", id: request.id, weights});
      return;
    }
  }
}

scope.onmessage = (event) => {
  handle(event.data).catch((error) => {
    const id = "id" in event.data ? (event.data as {id: number}).id : undefined;
    post({type: "error", id, kind: "internal", message: message(error)});
  });
};
