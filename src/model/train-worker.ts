// The training worker: holds the model, trains it (Algorithm 1), samples (Algorithm 2) and
// computes the ledger, so that the page's main thread only draws. Pages talk to it through
// TrainingSession (session.ts); the messages are in protocol.ts. Terminating the worker frees
// everything it allocated.
//
// One loop does all the tfjs work in short slices (~30 ms): a few training steps, then a slice
// of a job (a preview, a sample, the ledger), then the messages that arrived meanwhile. So every
// request is acknowledged at once, Pause takes effect after the current slice, training keeps
// stepping while a preview is computed, and a job can be stopped between two slices. Jobs
// sample from a copy of the averaged weights taken when they start, so the training steps in
// between do not change the model they describe.
//
// It is one long module on purpose: the loop, the jobs, the requests and the backend fallback all
// read and write the worker's one state (the model, the job queue, running, the backend), which a
// split would only pass around between files.
import {tf} from "./tfjs-browser.js";
import {probeAllBackends} from "./tfjs-browser.js";
import {BACKEND_NAMES, fallbackOrder, message, tfjsBackend, type BackendName, type BackendProbe} from "./backends.js";
import {createDenoiser, type Denoiser, type DenoiserWeights, type EpsModel} from "./denoiser.js";
import {createKernelSampler, type KernelSampler} from "./kernel/sampler.js";
import {KernelHelper, SITE_USES_HELPER} from "./kernel/threads.js";
import {createKernelTrainer} from "./kernel/trainer.js";
import {DivergenceError} from "./rollback.js";
import type {Trainer} from "./trainer.js";
import {buildTraining, HELD_OUT_POINTS} from "./training.js";
import {sampleDDIMSteps, sampleSteps, type SampleProgress, type SampleResult} from "./sampler.js";
import {ledgerSteps, type Ledger, type LedgerProgress} from "./ledger.js";
import type {Activity, Checkpoint, JobProgress, LedgerResult, LiveSettings, Progress, Reply, Request, SamplesResult, TrainingConfig} from "./protocol.js";
import {datasetEntropy} from "../lib/datasets.js";
import {comparableQuality, MIN_PREVIEW_STEPS, QUALITY_POINTS} from "../lib/sample-quality.js";
import {mixtureBaseline, sameYourData, YOUR_DATA, yourDataFit, yourDataQuality} from "../lib/your-data-training.js";
import type {MixtureAnswer} from "../lib/mixture-fit.js";
import {DEFAULT_SCHEDULE, makeSchedule, type Schedule} from "../lib/schedule.js";
import {LOSS_WINDOW, lossHealth, RateMeter, sampleHealth} from "../lib/training-health.js";

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (reply: Reply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

const schedule: Schedule = makeSchedule(DEFAULT_SCHEDULE);
/** Target length of one slice of work: what Pause or a new request may have to wait. */
const SLICE_MS = 30;
/** A checkpoint of θ (for moving to another backend) at least this often while training. */
const CHECKPOINT_MS = 1000;
/** Progress messages at most this often (plus one whenever the state changes). */
const PROGRESS_MS = 80;
/** Streamed x_t snapshots of a running sample at most this often. */
const STREAM_MS = 60;

interface Model {
  config: TrainingConfig;
  data: Float64Array;
  heldOut: Float64Array;
  denoiser: Denoiser;
  trainer: Trainer;
  /** Steps of the weights it started from (a reference model's, a checkpoint's). */
  startStep: number;
  generation: number;
  /** θ at the last good moment, to carry training over to another backend if this one fails. */
  checkpoint: {step: number; flat: Float32Array; at: number};
  floors: Map<ArrayLike<number>, number>;
  entropy?: {value: number; stdErr: number};
  /** On your data: the mixture fitted to the training part (fitted at the first ledger). */
  fit?: MixtureAnswer;
}

interface Job {
  id: number;
  request: Extract<Request, {type: "sample" | "ledger"}>;
  generation: number;
  cancelled: boolean;
  /** The job's own copy of the averaged weights, and its generator (null until it starts). */
  shadow: Denoiser | null;
  /** On the kernel: its sampling model for the shadow (x_t stays in WebAssembly memory). */
  kernelSampler: KernelSampler | null;
  steps: AsyncGenerator<SampleProgress | LedgerProgress, SampleResult | Ledger, void> | null;
  started: number;
  /** The model's step when the job took its copy of the weights: the step its result describes. */
  atStep: number;
  lastPost: number;
  last: JobProgress | null;
}

let probes: BackendProbe[] = [];
let backend: BackendName | null = null;
let model: Model | null = null;
let generation = 0;
let running = false;
/** Steps per training slice: a first guess for each new model, then adapted to SLICE_MS. */
const FIRST_CHUNK = 4;
let chunk = FIRST_CHUNK;
let pendingLosses: number[] = [];
/** Raw losses since training (re)started, the last 2·LOSS_WINDOW: the loss health check reads them. */
let recentLosses: number[] = [];
/** Milliseconds spent on job slices while training ran (for the honest rate). */
let jobMsWhileRunning = 0;
const meter = new RateMeter(5000);
let lastProgress = 0;
let recovering: string | null = null;

const control: {id: number; kind: "backend" | "input"; run: () => Promise<void>}[] = [];
const jobs: Job[] = [];
let turn = 0;

// ---- The backend's health: a lost WebGL context or WebGPU device. -----------------------------

class BackendLost extends Error {}
let lostReason: string | null = null;
const lostWaiters = new Set<(error: Error) => void>();

function signalLost(reason: string) {
  if (lostReason) return;
  lostReason = reason;
  for (const reject of lostWaiters) reject(new BackendLost(reason));
  lostWaiters.clear();
  wake();
}

/** Watches the active backend for the loss of its GPU context: a hung read can then be abandoned. */
function watchBackend(name: BackendName) {
  lostReason = null;
  const active = tf.backend() as unknown as {gpgpu?: {gl?: WebGL2RenderingContext}; device?: {lost?: Promise<{message?: string; reason?: string}>}};
  if (name === "webgl") {
    const gl = active.gpgpu?.gl;
    const canvas = gl?.canvas as (OffscreenCanvas | HTMLCanvasElement) | undefined;
    canvas?.addEventListener?.("webglcontextlost", () => signalLost("the WebGL context was lost"));
  } else if (name === "webgpu") {
    void active.device?.lost?.then((info) => signalLost(`the WebGPU device was lost (${info?.message || info?.reason || "no reason given"})`));
  }
}

/** `work`, abandoned (rejected) if the backend's context is lost before it settles. */
function guarded<T>(work: Promise<T>): Promise<T> {
  if (lostReason) return Promise.reject(new BackendLost(lostReason));
  return new Promise<T>((resolve, reject) => {
    lostWaiters.add(reject);
    work.then(resolve, reject).finally(() => lostWaiters.delete(reject));
  });
}

// ---- The model. ---------------------------------------------------------------------------------

let helper: Promise<KernelHelper | null> | null = null;
/** The kernel's second thread, started the first time the kernel is used here (null: one thread). */
function kernelHelper(): Promise<KernelHelper | null> {
  helper ??= KernelHelper.start({onUnavailable: (reason) => console.warn(`the WebAssembly kernel runs on one thread: ${reason}`)});
  return helper;
}

/** `weights` (saved) or `flat` (a checkpoint of θ) start the model; either is in place before the
 *  trainer copies θ into its moving average and its rollback state. On the kernel (`backend`), its
 *  trainer replaces tfjs's; tfjs holds the denoiser for everything else. */
async function buildModel(config: TrainingConfig, start: {weights?: DenoiserWeights; flat?: Float32Array; startStep?: number} = {}): Promise<Model> {
  const built = buildTraining(tf, config, schedule, {weights: start.weights, flat: start.flat});
  const {data, heldOut, denoiser} = built;
  let trainer: Trainer = built.trainer;
  if (backend === "kernel") {
    trainer.dispose();
    try {
      const {batchSize, learningRate, loss, seed, sigma2Kind} = config;
      trainer = await createKernelTrainer(tf, {denoiser, schedule, data, batchSize, learningRate, loss, seed, sigma2Kind, helper: SITE_USES_HELPER ? await kernelHelper() : null});
    } catch (error) {
      denoiser.dispose();
      throw error;
    }
  }
  const startStep = start.startStep ?? 0;
  // The caller takes the first checkpoint (an asynchronous read: a synchronous one stalls a GPU).
  const checkpoint = {step: startStep, flat: start.flat ?? new Float32Array(0), at: 0};
  return {config, data, heldOut, denoiser, trainer, startStep, generation, checkpoint, floors: new Map()};
}

function disposeModel(m: Model | null) {
  if (!m) return;
  try {
    m.trainer.dispose();
    m.denoiser.dispose();
  } catch {
    // A backend that failed may not be able to free its tensors; the worker's end frees them.
  }
}

const totalStep = (m: Model) => m.startStep + m.trainer.stepCount;

/**
 * A preview asked for before the model has MIN_PREVIEW_STEPS steps waits for that step: training
 * stops exactly there for the job to copy the weights (trainSlice), so a new model's first preview
 * shows step MIN_PREVIEW_STEPS however fast the backend trains. That preview is the absurd-samples
 * check's first look: at a learning rate of 0.1 the samples are absurd from about step 60 to step
 * 130–400, which the kernel (~300 steps/s) passed before a preview timed by the clock came.
 */
function waiting(job: Job, m: Model): boolean {
  return job.request.type === "sample" && job.request.preview === true && !job.steps && !job.cancelled && job.generation === m.generation && totalStep(m) < MIN_PREVIEW_STEPS;
}

/** A reader's own sample ("Sample now"): it gets every other slice while training runs, a preview or a ledger every third. */
const isUrgent = (job: Job): boolean => job.request.type === "sample" && !job.request.preview;

/** The job to work on next: the first that is not waiting for its step. */
const nextJob = (m: Model | null): Job | undefined => (m ? jobs.find((job) => !waiting(job, m)) : undefined);

function activity(): Activity {
  if (recovering) return {kind: "recovering", text: recovering};
  const job = nextJob(model);
  const jobText = job ? describeJob(job) : null;
  if (running && jobText) return {kind: "training", text: `training; ${jobText}`};
  if (running) return {kind: "training", text: "training"};
  if (job) return {kind: job.request.type === "ledger" ? "ledger" : job.request.type === "sample" && job.request.preview ? "preview" : "sample", text: jobText!};
  return {kind: "idle", text: "idle"};
}

function describeJob(job: Job): string {
  const p = job.last;
  if (job.request.type === "ledger") return `computing the ledger (${p ? `${p.done} of ${p.total} terms` : "starting"})`;
  const what = job.request.preview ? "sampling a preview" : "sampling";
  return `${what} (Algorithm 2${p?.t !== undefined ? `, t = ${p.t}` : ""})`;
}

function progress(): Progress {
  const m = model!;
  const report = m.trainer.report;
  const losses = pendingLosses;
  pendingLosses = [];
  const now = performance.now();
  const rate = running ? meter.rate(now) : {stepsPerSecond: 0, previewShare: 0};
  return {
    step: totalStep(m),
    startStep: m.startStep,
    generation: m.generation,
    loss: report.loss,
    lossEma: report.lossEma,
    stepsPerSecond: rate.stepsPerSecond,
    previewShare: rate.previewShare,
    elapsedMs: report.elapsedMs,
    running,
    numTensors: tf.memory().numTensors,
    losses,
    config: {...m.config},
    activity: activity()
  };
}

function postProgress(force = false) {
  const now = performance.now();
  if (!model || (!force && now - lastProgress < PROGRESS_MS)) return;
  lastProgress = now;
  post({type: "progress", progress: progress()});
}

/** Reads θ (a copy) as the last good weights, and sends it to the page for a restart elsewhere. */
async function takeCheckpoint(m: Model, id?: number): Promise<void> {
  const flat = (await guarded(m.denoiser.variables[0].data())) as Float32Array;
  m.checkpoint = {step: totalStep(m), flat, at: performance.now()};
  const copy: Checkpoint = {step: m.checkpoint.step, flat: Float32Array.from(flat), generation: m.generation};
  post({type: "checkpoint", id, checkpoint: copy}, [copy.flat.buffer]);
}

function stopTraining(kind: "divergence", text: string) {
  running = false;
  recentLosses = [];
  post({type: "error", kind, message: text});
  postProgress(true);
}

// ---- Slices of work. ----------------------------------------------------------------------------

async function trainSlice(): Promise<void> {
  const m = model!;
  const max = m.config.maxSteps;
  const planned = max > 0 ? Math.min(chunk, max - m.trainer.stepCount) : chunk;
  const held = jobs.filter((job) => waiting(job, m));
  const k = held.length ? Math.min(planned, MIN_PREVIEW_STEPS - totalStep(m)) : planned;
  if (k <= 0) {
    running = false;
    postProgress(true);
    return;
  }
  const start = performance.now();
  let report;
  try {
    report = await guarded(m.trainer.steps(k));
  } catch (error) {
    if (error instanceof DivergenceError) return stopTraining("divergence", error.message);
    throw error;
  }
  const ms = performance.now() - start;
  // Aim for SLICE_MS of work per slice (a slice cut short for a held preview says little about that).
  if (k === planned) chunk = Math.max(1, Math.min(500, Math.round((k * SLICE_MS) / Math.max(ms, 1))));
  pendingLosses.push(...report.losses);
  recentLosses.push(...report.losses);
  if (recentLosses.length > 2 * LOSS_WINDOW) recentLosses = recentLosses.slice(-2 * LOSS_WINDOW);
  meter.mark(performance.now(), totalStep(m), jobMsWhileRunning);
  if (m.config.maxSteps > 0 && m.trainer.stepCount >= m.config.maxSteps) running = false;
  const verdict = lossHealth(recentLosses, m.config.learningRate);
  if (verdict) return stopTraining("divergence", `Training stopped at step ${totalStep(m)}: ${verdict.message}`);
  // The previews held for this step copy its weights before another step runs.
  for (const job of held) if (!waiting(job, m) && !job.steps && !job.cancelled) await startJob(job, m);
  if (performance.now() - m.checkpoint.at > CHECKPOINT_MS) await takeCheckpoint(m);
}

/** The averaged weights, copied into a denoiser of the job's own. */
async function shadowOf(m: Model): Promise<Denoiser> {
  const flat = await m.trainer.withAveragedWeights(async () => (await guarded(m.denoiser.variables[0].data())) as Float32Array);
  const shadow = createDenoiser(tf, m.denoiser.config);
  shadow.setFlat(flat);
  return shadow;
}

function endJob(job: Job) {
  const index = jobs.indexOf(job);
  if (index >= 0) jobs.splice(index, 1);
  void job.steps?.return(undefined as never).catch(() => undefined); // frees the generator's tensors
  try {
    job.kernelSampler?.dispose();
    job.shadow?.dispose();
  } catch {
    // see disposeModel
  }
  job.steps = null;
  job.shadow = null;
  job.kernelSampler = null;
}

async function startJob(job: Job, m: Model) {
  job.shadow = await shadowOf(m);
  job.kernelSampler = backend === "kernel" ? await createKernelSampler(job.shadow, {helper: SITE_USES_HELPER ? await kernelHelper() : null}) : null;
  const sampler: EpsModel = job.kernelSampler ?? job.shadow;
  job.started = performance.now();
  job.atStep = totalStep(m);
  const r = job.request;
  if (r.type === "ledger") {
    job.steps = ledgerSteps(tf, job.shadow, schedule, {x0: m.heldOut.subarray(0, 2 * Math.min(r.n, HELD_OUT_POINTS)), seed: r.seed, sigma2Kind: m.config.sigma2Kind, batchRows: 1024});
  } else {
    const options = {n: r.n, seed: r.seed, keepTrajectory: r.keep, yieldEvery: 5};
    job.steps = r.ddimSteps
      ? sampleDDIMSteps(tf, sampler, schedule, {...options, steps: r.ddimSteps})
      : sampleSteps(tf, sampler, schedule, {...options, sigma2Kind: r.sigma2Kind ?? m.config.sigma2Kind});
  }
}

async function jobSlice(job: Job): Promise<void> {
  const m = model!;
  if (job.cancelled || job.generation !== m.generation) {
    endJob(job);
    post({type: "cancelled", id: job.id});
    return;
  }
  const start = performance.now();
  try {
    if (!job.steps) await startJob(job, m);
    while (performance.now() - start < SLICE_MS) {
      const next = await guarded(job.steps!.next());
      if (next.done) {
        await finishJob(job, m, next.value);
        return;
      }
      const value = next.value;
      if ("t" in value) {
        job.last = {done: value.done, total: value.total, t: value.t};
        const streaming = job.request.type === "sample" && job.request.stream;
        const now = performance.now();
        if (now - job.lastPost > (streaming ? STREAM_MS : 250)) {
          job.lastPost = now;
          if (streaming) post({type: "job", id: job.id, progress: {...job.last, x: value.x}}, [value.x.buffer]);
          else post({type: "job", id: job.id, progress: job.last});
        }
      } else {
        job.last = {done: value.done, total: value.T};
        const now = performance.now();
        if (now - job.lastPost > 250) {
          job.lastPost = now;
          post({type: "job", id: job.id, progress: job.last});
        }
      }
    }
  } finally {
    if (running) jobMsWhileRunning += performance.now() - start;
  }
}

function quality(m: Model, x0: Float32Array): SamplesResult["quality"] {
  // Your data: against the whole held-out split (a quarter of the points), beside its own floor.
  if (m.config.dataset === YOUR_DATA) return yourDataQuality(x0, m.heldOut, QUALITY_POINTS);
  return comparableQuality(x0, m.heldOut, m.config.dataset, m.floors);
}

/** Beside the ledger on your data: no entropy (a drawing has no known density), and a fitted mixture's score on the same points. */
function yourDataLedgerExtras(m: Model, examples: number): Pick<LedgerResult, "baseline" | "entropyNote"> {
  m.fit ??= yourDataFit({train: m.data, heldOut: m.heldOut});
  const baseline = mixtureBaseline(m.fit, m.heldOut.subarray(0, 2 * examples)) ?? undefined;
  const unknown = "The data's entropy is not available for drawn data: points drawn by hand have no known density.";
  return {baseline, entropyNote: m.fit.available ? unknown : `${unknown} ${m.fit.reason}`};
}

async function finishJob(job: Job, m: Model, value: SampleResult | Ledger) {
  const r = job.request;
  const ms = performance.now() - job.started;
  endJob(job);
  if (r.type === "ledger") {
    const ledger = value as Ledger;
    if (m.config.dataset === YOUR_DATA) {
      post({type: "ledger", id: job.id, result: {...ledger, atStep: job.atStep, ms, generation: m.generation, ...yourDataLedgerExtras(m, ledger.examples)}});
      return;
    }
    m.entropy ??= datasetEntropy(m.config.dataset, m.config.seed) ?? undefined;
    post({type: "ledger", id: job.id, result: {...ledger, atStep: job.atStep, ms, entropy: m.entropy, generation: m.generation}});
    return;
  }
  const out = value as SampleResult;
  const sigma2Kind = r.sigma2Kind ?? m.config.sigma2Kind;
  const verdict = sampleHealth(out.x0, m.config.learningRate);
  const result: SamplesResult = {
    x0: out.x0,
    trajectory: out.trajectory,
    ms,
    sampler: r.ddimSteps ? "ddim" : "ancestral",
    steps: out.steps,
    sigma2Kind,
    quality: quality(m, out.x0),
    atStep: job.atStep,
    generation: m.generation,
    verdict: verdict?.message
  };
  post({type: "samples", id: job.id, result}, [result.x0.buffer, ...result.trajectory.map((p) => p.x.buffer)]);
  if (verdict && running) stopTraining("divergence", `Training stopped at step ${totalStep(m)}: ${verdict.message}`);
}

// ---- Falling back to another backend. -----------------------------------------------------------

/** Moves training to the next backend that works, from the last checkpoint of θ. */
async function fallBack(error: unknown): Promise<void> {
  const m = model!;
  const failed = backend!;
  const why = message(error);
  recovering = `${BACKEND_NAMES[failed]} failed (${why}); moving the model to another backend`;
  postProgress(true);
  disposeModel(m);
  // Jobs restart from their beginning on the new backend.
  for (const job of jobs) {
    try {
      job.kernelSampler?.dispose();
      job.shadow?.dispose();
    } catch {
      // see disposeModel
    }
    job.shadow = null;
    job.kernelSampler = null;
    job.steps = null;
    job.last = null;
  }
  lostWaiters.clear();
  for (const name of fallbackOrder(failed, probes)) {
    try {
      if (!(await tf.setBackend(tfjsBackend(name, probes)))) continue;
      backend = name;
      watchBackend(name);
      const rebuilt = await buildModel(m.config, {flat: m.checkpoint.flat.length ? m.checkpoint.flat : undefined, startStep: m.checkpoint.step});
      rebuilt.generation = m.generation;
      rebuilt.floors = m.floors;
      rebuilt.entropy = m.entropy;
      rebuilt.fit = m.fit;
      model = rebuilt;
      recovering = null;
      chunk = 1;
      if (running) meter.start(performance.now(), totalStep(rebuilt), jobMsWhileRunning);
      post({
        type: "backend",
        backend: name,
        note: `${BACKEND_NAMES[failed]} failed during training (${why}); training continues on ${BACKEND_NAMES[name]} from the weights of step ${m.checkpoint.step}, the last checkpoint (Adam's state restarts).`
      });
      postProgress(true);
      return;
    } catch {
      continue;
    }
  }
  model = null;
  running = false;
  recovering = null;
  throw new Error(`${BACKEND_NAMES[failed]} failed during training (${why}) and no other backend works here`);
}

// ---- The loop. ----------------------------------------------------------------------------------

let wakeUp: (() => void) | null = null;
function wake() {
  wakeUp?.();
  wakeUp = null;
}
// A MessageChannel lets the loop yield to incoming messages without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
let yielded: (() => void) | null = null;
channel.port1.onmessage = () => {
  yielded?.();
  yielded = null;
};
const yieldToMessages = () =>
  new Promise<void>((resolve) => {
    yielded = resolve;
    channel.port2.postMessage(null);
  });

async function loop(): Promise<never> {
  for (;;) {
    try {
      if (lostReason && model) throw new BackendLost(lostReason);
      const job = model ? nextJob(model) : undefined;
      if (control.length) {
        const task = control.shift()!;
        try {
          await task.run();
        } catch (error) {
          if (error instanceof BackendLost) throw error;
          post({type: "error", id: task.id, kind: error instanceof DivergenceError ? "divergence" : task.kind, message: message(error)});
          postProgress(true);
        }
      } else if (model && running && (!job || turn++ % (isUrgent(job) ? 2 : 3) !== 0)) {
        await trainSlice();
      } else if (job) {
        await jobSlice(job);
      } else {
        postProgress(true);
        await new Promise<void>((resolve) => (wakeUp = resolve));
        continue;
      }
    } catch (error) {
      if (!model) {
        post({type: "error", kind: "backend", message: message(error)});
        continue;
      }
      try {
        await fallBack(error);
      } catch (fatal) {
        for (const job of jobs.splice(0)) post({type: "error", id: job.id, kind: "backend", message: message(fatal)});
        post({type: "error", kind: "backend", message: message(fatal)});
      }
    }
    postProgress();
    await yieldToMessages();
  }
}

// ---- Requests. ----------------------------------------------------------------------------------

function enqueue(id: number, run: () => Promise<void>, kind: "backend" | "input" = "input") {
  control.push({id, kind, run});
  wake();
}

async function init(request: Extract<Request, {type: "init"}>) {
  const result = await probeAllBackends();
  probes = result.probes;
  let chosen = result.preferred;
  let note: string | undefined;
  if (request.backend !== "auto") {
    const probe = probes.find((p) => p.name === request.backend);
    if (probe?.ok && (await tf.setBackend(tfjsBackend(request.backend, probes)))) chosen = request.backend;
    else note = `${BACKEND_NAMES[request.backend]} is not available here (${probe?.detail ?? "unknown"}); using ${chosen ? BACKEND_NAMES[chosen] : "nothing"}.`;
  }
  if (!chosen) throw new Error("no tfjs backend initialised in this browser");
  await tf.setBackend(tfjsBackend(chosen, probes));
  backend = chosen;
  watchBackend(chosen);
  disposeModel(model);
  model = null;
  const start = {weights: request.weights, flat: request.flat, startStep: request.startStep};
  try {
    model = await buildModel(request.config, start);
  } catch (error) {
    // The kernel refused this model (an architecture it lacks): train it on tfjs instead, and say so.
    if (chosen !== "kernel") throw error;
    chosen = tfjsBackend("kernel", probes);
    await tf.setBackend(chosen);
    backend = chosen;
    note = `The WebAssembly SIMD kernel cannot train this model (${message(error)}); using ${BACKEND_NAMES[chosen]}.`;
    model = await buildModel(request.config, start);
  }
  await takeCheckpoint(model);
  post({type: "ready", id: request.id, backend: chosen, probes, note, parameterCount: model.denoiser.parameterCount});
  postProgress(true);
}

function handle(request: Request): void {
  const queued = control.length > 0 || (request.type !== "run" && request.type !== "pause" && request.type !== "cancel" && (running || jobs.length > 0));
  post({type: "ack", id: request.id, request: request.type, queued});
  switch (request.type) {
    case "init":
      return enqueue(request.id, () => init(request), "backend");
    case "run":
      if (model && !running) {
        running = true;
        recentLosses = [];
        meter.start(performance.now(), totalStep(model), jobMsWhileRunning);
      }
      post({type: "done", id: request.id});
      postProgress(true);
      return wake();
    case "pause":
      running = false;
      // Done once the slice in progress has finished: from then on no step runs.
      return enqueue(request.id, async () => {
        post({type: "done", id: request.id});
        postProgress(true);
      });
    case "step":
      running = false;
      return enqueue(request.id, async () => {
        const m = model!;
        try {
          const report = await guarded(m.trainer.steps(request.k));
          pendingLosses.push(...report.losses);
        } catch (error) {
          if (error instanceof DivergenceError) {
            post({type: "error", kind: "divergence", message: error.message});
          } else throw error;
        }
        post({type: "done", id: request.id});
        postProgress(true);
      });
    case "configure":
      return enqueue(request.id, async () => {
        const m = model!;
        const settings: Partial<LiveSettings> = request.settings;
        if (settings.maxSteps !== undefined && !(Number.isInteger(settings.maxSteps) && settings.maxSteps >= 0)) {
          throw new Error(`maxSteps must be a whole number ≥ 0, got ${settings.maxSteps}`);
        }
        // Checked and applied by the trainer from the next step on; throws (and changes nothing) if a value is bad.
        m.trainer.configure(definedOnly({learningRate: settings.learningRate, batchSize: settings.batchSize, loss: settings.loss, sigma2Kind: settings.sigma2Kind}));
        m.config = {...m.config, ...definedOnly(settings)};
        recentLosses = [];
        post({type: "done", id: request.id});
        postProgress(true);
      });
    case "reset": {
      running = false;
      generation++;
      const mine = generation;
      // Jobs of the old model stop at their next slice.
      for (const job of jobs) job.cancelled = true;
      return enqueue(request.id, async () => {
        const old = model!;
        const config = {...old.config, ...request.config};
        const sameData = config.dataset === old.config.dataset && config.seed === old.config.seed && config.points === old.config.points && sameYourData(config.custom, old.config.custom);
        disposeModel(old);
        model = null;
        const rebuilt = await buildModel(config, {weights: request.weights, startStep: request.startStep});
        rebuilt.generation = mine;
        if (sameData) {
          rebuilt.floors = old.floors;
          rebuilt.entropy = old.entropy;
          rebuilt.fit = old.fit;
        }
        model = rebuilt;
        pendingLosses = [];
        recentLosses = [];
        chunk = FIRST_CHUNK;
        await takeCheckpoint(rebuilt);
        post({type: "done", id: request.id});
        postProgress(true);
      });
    }
    case "sample":
    case "ledger": {
      const job: Job = {id: request.id, request, generation: model?.generation ?? generation, cancelled: false, shadow: null, kernelSampler: null, steps: null, started: 0, lastPost: 0, last: null, atStep: model ? totalStep(model) : 0};
      // A reader's own request goes before automatic previews and ledgers.
      const urgent = request.type === "sample" && !request.preview;
      if (urgent) {
        const index = jobs.findIndex((j) => !(j.request.type === "sample" && !j.request.preview));
        jobs.splice(index < 0 ? jobs.length : index, 0, job);
      } else jobs.push(job);
      postProgress(true);
      return wake();
    }
    case "weights":
      return enqueue(request.id, async () => {
        const m = model!;
        const weights = await m.trainer.withAveragedWeights(() => m.denoiser.getWeights());
        post({type: "weights", id: request.id, weights});
      });
    case "checkpoint":
      return enqueue(request.id, () => takeCheckpoint(model!, request.id));
    case "cancel": {
      const job = jobs.find((j) => j.id === request.target);
      if (job && !job.steps) {
        endJob(job);
        post({type: "cancelled", id: job.id});
      } else if (job) job.cancelled = true;
      post({type: "done", id: request.id});
      postProgress(true);
      return wake();
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

scope.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (error) {
    post({type: "error", id: event.data.id, kind: "internal", message: message(error)});
  }
};
void loop();
