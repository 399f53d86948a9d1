// The training worker: holds the model, trains it (Algorithm 1), samples (Algorithm 2) and
// computes the ledger, so that the page's main thread only draws. Pages talk to it through
// TrainingSession (session.ts); the messages are in protocol.ts. Terminating the worker frees
// everything it allocated.
import {tf} from "./tfjs-browser.js";
import {probeAllBackends} from "./tfjs-browser.js";
import {BACKEND_ORDER, message, type BackendName, type BackendProbe} from "./backends.js";
import type {Denoiser} from "./denoiser.js";
import {DivergenceError} from "./rollback.js";
import type {Trainer} from "./trainer.js";
import {buildTraining, HELD_OUT_POINTS} from "./training.js";
import {sample, sampleDDIM} from "./sampler.js";
import {computeLedger} from "./ledger.js";
import type {LedgerResult, Progress, Reply, Request, TrainingConfig} from "./protocol.js";
import {datasetEntropy, datasetMixture} from "../lib/datasets.js";
import {sampleQuality, type Quality} from "../lib/metrics.js";
import {DEFAULT_SCHEDULE, makeSchedule, type Schedule} from "../lib/schedule.js";

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (reply: Reply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

const schedule: Schedule = makeSchedule(DEFAULT_SCHEDULE);

interface State {
  config: TrainingConfig;
  data: Float64Array;
  heldOut: Float64Array;
  denoiser: Denoiser;
  trainer: Trainer;
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

function disposeModel() {
  if (!state) return;
  try {
    state.trainer.dispose();
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
      if (!(await tf.setBackend(name))) continue;
      // θ goes in before the trainer is built: set afterwards, the weight average and the
      // divergence rollback would still hold the fresh random weights.
      const rebuilt = buildTraining(tf, s.config, schedule, {flat: s.snapshot ?? undefined});
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

/** Samples against up to half the held-out points; the energy floor is kept per sample size. */
function quality(s: State, x0: Float32Array): Quality {
  const n = x0.length / 2;
  const result = sampleQuality(x0, s.heldOut, {mixture: datasetMixture(s.config.dataset), referencePoints: Math.min(n, HELD_OUT_POINTS / 2), floor: s.floors.get(n)});
  s.floors.set(n, result.energyFloor);
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
          if (probe?.ok && (await tf.setBackend(request.backend))) backend = request.backend;
          else note = `${request.backend} is not available here (${probe?.detail ?? "unknown"}); using ${preferred}.`;
        }
        if (!backend) throw new Error("no tfjs backend initialised in this browser");
        await tf.setBackend(backend);
        const model = buildTraining(tf, request.config, schedule, {weights: request.weights});
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
        const model = buildTraining(tf, config, schedule, {weights: request.weights});
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
            ? sampleDDIM(tf, s.denoiser, schedule, {...options, steps: request.ddimSteps})
            : sample(tf, s.denoiser, schedule, {...options, sigma2Kind})
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
          x0: s.heldOut.subarray(0, 2 * Math.min(request.n, HELD_OUT_POINTS)),
          seed: request.seed,
          sigma2Kind: s.config.sigma2Kind
        }));
        s.entropy ??= datasetEntropy(s.config.dataset, s.config.seed) ?? undefined;
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
