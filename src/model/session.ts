// The page side of the training worker: a small promise API over protocol.ts. A page creates a
// session, wires its callbacks to the charts, and disposes it on `invalidation`, which
// terminates the worker and with it every tensor it allocated.
//
// Every request is acknowledged by the worker at once; control requests (run, pause, step,
// configure, reset) resolve when they have taken effect; jobs (sample, ledger) report progress
// and can be cancelled. A watchdog replaces a worker that stops answering: if nothing arrives
// for `stallMs` while the worker owes a reply or is training, the session starts a new worker
// on the next backend, from the last checkpoint of θ the old one sent, and says so.
import {BACKEND_NAMES, fallbackOrder, type BackendName, type BackendProbe} from "./backends.js";
import type {DenoiserWeights} from "./denoiser.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import type {Checkpoint, JobProgress, LedgerResult, LiveSettings, Progress, Reply, Request, SamplesResult, TrainingConfig} from "./protocol.js";

export interface SessionCallbacks {
  onProgress?: (progress: Progress) => void;
  /** Divergence, a backend that failed for good, or a bad request: a message for the reader. */
  onError?: (kind: string, message: string) => void;
  /** Training moved to another backend, or to a new worker (the note says why). */
  onBackend?: (backend: BackendName, note: string) => void;
}

export interface SessionOptions extends SessionCallbacks {
  backend?: BackendName | "auto";
  weights?: DenoiserWeights;
  /** Start from this θ (a checkpoint) with this many steps already taken. */
  flat?: Float32Array;
  startStep?: number;
  /** Silence after which a worker that owes a reply counts as stalled (ms); default 10 s. */
  stallMs?: number;
  /** How long a worker may take to load and answer its first message (ms); default 90 s. */
  startMs?: number;
}

/** A running job (samples, the ledger): its result, its id, and a way to stop it. */
export interface JobHandle<T> {
  id: number;
  result: Promise<T>;
  cancel(): void;
}

/** Rejection of a job that was cancelled, or lost with a replaced worker. */
export class JobCancelled extends Error {
  constructor(message = "cancelled") {
    super(message);
    this.name = "JobCancelled";
  }
}

interface Pending {
  resolve: (value: any) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: JobProgress) => void;
  /** Only the worker's "ack" came so far. */
  acked: boolean;
}

export class TrainingSession {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private lastHeard = 0;
  private everHeard = false;
  private created = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private restarting = false;
  backend: BackendName | null = null;
  probes: BackendProbe[] = [];
  parameterCount = 0;
  progress: Progress | null = null;
  /** The settings in force in the worker (from its latest progress). */
  config: TrainingConfig;
  /** The latest θ the worker vouched for, kept here to restart elsewhere if the worker hangs. */
  checkpoint: Checkpoint | null = null;
  disposed = false;
  stallMs: number;
  startMs: number;

  private constructor(config: TrainingConfig, private callbacks: SessionCallbacks, options: SessionOptions) {
    this.config = config;
    this.stallMs = options.stallMs ?? 10_000;
    this.startMs = options.startMs ?? 90_000;
    this.spawn();
    this.watchdog = setInterval(() => this.check(), 500);
  }

  private spawn() {
    this.worker = new Worker(import.meta.resolve("./train-worker.js"), {type: "module"});
    this.everHeard = false;
    this.created = performance.now();
    this.lastHeard = performance.now();
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`the training worker failed: ${event.message || "its script could not be loaded"}`);
    };
  }

  /** Starts a worker, initialises tfjs on `backend` ("auto": the fastest that works) and builds the model. */
  static create(config: TrainingConfig, {backend = "auto", weights, flat, startStep, ...options}: SessionOptions = {}): Promise<TrainingSession & {note?: string}> {
    const session = new TrainingSession(config, options, options);
    return session.init(backend, config, {weights, flat, startStep}).then((ready) => Object.assign(session, {note: ready.note}));
  }

  private init(backend: BackendName | "auto", config: TrainingConfig, start: {weights?: DenoiserWeights; flat?: Float32Array; startStep?: number}) {
    return this.request<Extract<Reply, {type: "ready"}>>((id) => ({type: "init", id, backend, config, ...start})).then((ready) => {
      this.backend = ready.backend;
      this.probes = ready.probes;
      this.parameterCount = ready.parameterCount;
      return ready;
    });
  }

  private send(request: Request, transfer: Transferable[] = []): void {
    if (this.disposed) throw new Error("this training session has been disposed");
    this.worker.postMessage(request, transfer);
  }

  private request<T>(make: (id: number) => Request, onProgress?: (p: JobProgress) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.disposed) return reject(new Error("this training session has been disposed"));
      this.pending.set(id, {resolve, reject, onProgress, acked: false});
      const request = make(id);
      this.send(request);
    });
  }

  private job<T>(make: (id: number) => Request, onProgress?: (p: JobProgress) => void): JobHandle<T> {
    const id = this.nextId;
    const result = this.request<T>(make, onProgress);
    return {id, result, cancel: () => this.cancel(id)};
  }

  /** Fails every pending request and tells the page (the worker is gone or could not start). */
  private fail(message: string): void {
    for (const {reject} of this.pending.values()) reject(new Error(message));
    this.pending.clear();
    this.stopWatchdog();
    this.callbacks.onError?.("internal", message);
  }

  private stopWatchdog() {
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  /** Whether the worker owes an answer: a request in flight, or training that should report. */
  private owed(): boolean {
    return this.pending.size > 0 || Boolean(this.progress?.running);
  }

  private check() {
    if (this.disposed || this.restarting) return;
    const now = performance.now();
    if (!this.everHeard) {
      if (now - this.created > this.startMs) this.fail(`the training worker did not start within ${Math.round(this.startMs / 1000)} s`);
      return;
    }
    if (this.owed() && now - this.lastHeard > this.stallMs) void this.restart(`no reply for ${Math.round((now - this.lastHeard) / 1000)} s`);
  }

  /** Replaces a worker that stopped answering: the next backend, the last checkpoint, training resumed if it was on. */
  private async restart(why: string) {
    this.restarting = true;
    const failed = this.backend;
    const wasRunning = Boolean(this.progress?.running);
    this.worker.terminate();
    for (const {reject} of this.pending.values()) reject(new JobCancelled(`the training worker stopped responding (${why})`));
    this.pending.clear();
    const order = failed ? fallbackOrder(failed, this.probes) : [];
    const next: BackendName | "auto" = order[0] ?? "auto";
    const checkpoint = this.checkpoint;
    this.spawn();
    try {
      const ready = await this.init(next, this.config, checkpoint ? {flat: checkpoint.flat, startStep: checkpoint.step} : {});
      if (this.disposed) return;
      const from = checkpoint ? `from the weights of step ${checkpoint.step}, the last checkpoint` : "from its initial weights";
      this.callbacks.onBackend?.(
        ready.backend,
        `The training worker stopped responding on ${failed ? BACKEND_NAMES[failed] : "its backend"} (${why}); a new one continues on ${BACKEND_NAMES[ready.backend]} ${from}.`
      );
      if (wasRunning) await this.run();
    } catch (error) {
      if (!this.disposed) this.callbacks.onError?.("backend", `the training worker stopped responding and could not be restarted: ${(error as Error).message}`);
    } finally {
      this.restarting = false;
    }
  }

  private receive(reply: Reply): void {
    if (this.disposed) return;
    this.lastHeard = performance.now();
    this.everHeard = true;
    const settle = (id: number, value: unknown) => {
      this.pending.get(id)?.resolve(value);
      this.pending.delete(id);
    };
    switch (reply.type) {
      case "ack": {
        const pending = this.pending.get(reply.id);
        if (pending) pending.acked = true;
        return;
      }
      case "ready":
        return settle(reply.id, reply);
      case "done":
        return settle(reply.id, undefined);
      case "progress":
        this.progress = reply.progress;
        this.config = reply.progress.config;
        this.callbacks.onProgress?.(reply.progress);
        return;
      case "job":
        this.pending.get(reply.id)?.onProgress?.(reply.progress);
        return;
      case "checkpoint":
        this.checkpoint = reply.checkpoint;
        if (reply.id !== undefined) settle(reply.id, reply.checkpoint);
        return;
      case "backend":
        this.backend = reply.backend;
        this.callbacks.onBackend?.(reply.backend, reply.note);
        return;
      case "samples":
      case "ledger":
        return settle(reply.id, reply.result);
      case "weights":
        return settle(reply.id, reply.weights);
      case "cancelled": {
        this.pending.get(reply.id)?.reject(new JobCancelled());
        this.pending.delete(reply.id);
        return;
      }
      case "error": {
        if (reply.id !== undefined && this.pending.has(reply.id)) {
          this.pending.get(reply.id)!.reject(new Error(reply.message));
          this.pending.delete(reply.id);
          // A failed request is answered by its promise; training faults also go to the page.
          if (reply.kind === "input") return;
        }
        this.callbacks.onError?.(reply.kind, reply.message);
        return;
      }
    }
  }

  /** Starts training; resolves once the worker is training. */
  run(): Promise<void> {
    return this.request((id) => ({type: "run", id}));
  }
  /** Resolves once no step runs any more (after the slice in progress, a few tens of ms). */
  pause(): Promise<void> {
    return this.request((id) => ({type: "pause", id}));
  }
  step(k = 1): Promise<void> {
    return this.request((id) => ({type: "step", id, k}));
  }
  /** Changes settings of the running model from its next step on (rejects, changing nothing, if one is bad). */
  configure(settings: Partial<LiveSettings>): Promise<void> {
    return this.request((id) => ({type: "configure", id, settings}));
  }
  /** Rebuilds the model with `config` changes: fresh weights, or `weights` (e.g. a reference model) with `startStep` steps. */
  reset(config?: Partial<TrainingConfig>, weights?: DenoiserWeights, startStep?: number): Promise<void> {
    return this.request((id) => ({type: "reset", id, config, weights, startStep}));
  }
  /**
   * Algorithm 2 (or DDIM with `ddimSteps`, beyond the paper) from the averaged weights, with
   * trajectories at `keep`; `sigma2Kind` overrides the configuration's σ_t² for this call.
   * `stream`: progress carries the points x_t as the chain runs. `preview`: an automatic preview,
   * which yields to a reader's own requests.
   */
  sampleJob(options: {n: number; seed: number; keep?: number[]; ddimSteps?: number; sigma2Kind?: Sigma2Kind; stream?: boolean; preview?: boolean; onProgress?: (p: JobProgress) => void}): JobHandle<SamplesResult> {
    return this.job(
      (id) => ({type: "sample", id, n: options.n, seed: options.seed, keep: options.keep ?? [], ddimSteps: options.ddimSteps, sigma2Kind: options.sigma2Kind, stream: options.stream, preview: options.preview}),
      options.onProgress
    );
  }
  sample(options: {n: number; seed: number; keep?: number[]; ddimSteps?: number; sigma2Kind?: Sigma2Kind}): Promise<SamplesResult> {
    return this.sampleJob(options).result;
  }
  /** Every term L_0 … L_T on n held-out points. */
  ledgerJob(options: {n: number; seed: number; onProgress?: (p: JobProgress) => void}): JobHandle<LedgerResult> {
    return this.job((id) => ({type: "ledger", id, n: options.n, seed: options.seed}), options.onProgress);
  }
  ledger(options: {n: number; seed: number}): Promise<LedgerResult> {
    return this.ledgerJob(options).result;
  }
  weights(): Promise<DenoiserWeights> {
    return this.request((id) => ({type: "weights", id}));
  }
  /** θ now (not averaged) and the step count: enough to continue elsewhere. */
  takeCheckpoint(): Promise<Checkpoint> {
    return this.request((id) => ({type: "checkpoint", id}));
  }
  /** Stops a job; its promise rejects with JobCancelled. */
  cancel(target: number): void {
    if (this.disposed || !this.pending.has(target)) return;
    const id = this.nextId++;
    this.send({type: "cancel", id, target});
  }
  /** Terminates the worker: everything it allocated is freed with it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWatchdog();
    this.worker.terminate();
    for (const {reject} of this.pending.values()) reject(new JobCancelled("the training session was disposed"));
    this.pending.clear();
  }
}
