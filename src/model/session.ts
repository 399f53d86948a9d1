// The page side of the training worker: a small promise API over protocol.ts. A page creates a
// session, wires its callbacks to the charts, and disposes it on `invalidation`, which
// terminates the worker and with it every tensor it allocated.
import type {BackendName, BackendProbe} from "./backends.js";
import type {DenoiserWeights} from "./denoiser.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import type {LedgerResult, Progress, Reply, Request, SamplesResult, TrainingConfig} from "./protocol.js";

export interface SessionCallbacks {
  onProgress?: (progress: Progress) => void;
  /** Divergence, a backend that failed for good, or a bad request: a message for the reader. */
  onError?: (kind: string, message: string) => void;
  /** Training moved to another backend (the note says why). */
  onBackend?: (backend: BackendName, note: string) => void;
}

export class TrainingSession {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, {resolve: (value: any) => void; reject: (error: Error) => void}>();
  backend: BackendName | null = null;
  probes: BackendProbe[] = [];
  parameterCount = 0;
  progress: Progress | null = null;
  disposed = false;

  private constructor(private callbacks: SessionCallbacks) {
    this.worker = new Worker(import.meta.resolve("./train-worker.js"), {type: "module"});
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`the training worker failed: ${event.message || "it could not start"}`);
    };
  }

  /** Starts a worker, initialises tfjs on `backend` ("auto": the fastest that works) and builds the model. */
  static create(
    config: TrainingConfig,
    {backend = "auto", weights, ...callbacks}: SessionCallbacks & {backend?: BackendName | "auto"; weights?: DenoiserWeights} = {}
  ): Promise<TrainingSession & {note?: string}> {
    const session = new TrainingSession(callbacks);
    return new Promise((resolve, reject) => {
      session.pending.set(0, {
        resolve: (ready: Extract<Reply, {type: "ready"}>) => {
          session.backend = ready.backend;
          session.probes = ready.probes;
          session.parameterCount = ready.parameterCount;
          resolve(Object.assign(session, {note: ready.note}));
        },
        reject
      });
      session.send({type: "init", backend, config, weights});
    });
  }

  private send(request: Request): void {
    if (this.disposed) throw new Error("this training session has been disposed");
    this.worker.postMessage(request);
  }

  private request<T>(make: (id: number) => Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      this.send(make(id));
    });
  }

  private fail(message: string): void {
    for (const {reject} of this.pending.values()) reject(new Error(message));
    this.pending.clear();
    this.callbacks.onError?.("internal", message);
  }

  private receive(reply: Reply): void {
    switch (reply.type) {
      case "ready":
        this.pending.get(0)?.resolve(reply);
        this.pending.delete(0);
        return;
      case "progress":
        this.progress = reply.progress;
        this.callbacks.onProgress?.(reply.progress);
        return;
      case "backend":
        this.backend = reply.backend;
        this.callbacks.onBackend?.(reply.backend, reply.note);
        return;
      case "samples":
      case "ledger":
        this.pending.get(reply.id)?.resolve(reply.result);
        this.pending.delete(reply.id);
        return;
      case "weights":
        this.pending.get(reply.id)?.resolve(reply.weights);
        this.pending.delete(reply.id);
        return;
      case "error": {
        const id = reply.id ?? (this.pending.has(0) ? 0 : undefined);
        if (id !== undefined && this.pending.has(id)) {
          this.pending.get(id)!.reject(new Error(reply.message));
          this.pending.delete(id);
        }
        this.callbacks.onError?.(reply.kind, reply.message);
        return;
      }
    }
  }

  run(): void {
    this.send({type: "run"});
  }
  pause(): void {
    this.send({type: "pause"});
  }
  step(k = 1): void {
    this.send({type: "step", k});
  }
  /** Rebuilds the model with `config` changes: fresh weights, or `weights` (e.g. a reference model). */
  reset(config?: Partial<TrainingConfig>, weights?: DenoiserWeights): void {
    this.send({type: "reset", config, weights});
  }
  /** Algorithm 2 (or DDIM with `ddimSteps`, beyond the paper), with trajectories at `keep`. */
  /** Samples from the averaged weights; `sigma2Kind` overrides the configuration's σ_t² for this call. */
  sample(options: {n: number; seed: number; keep?: number[]; ddimSteps?: number; sigma2Kind?: Sigma2Kind}): Promise<SamplesResult> {
    return this.request((id) => ({type: "sample", id, n: options.n, seed: options.seed, keep: options.keep ?? [], ddimSteps: options.ddimSteps, sigma2Kind: options.sigma2Kind}));
  }
  /** Every term L_0 … L_T on n held-out points. */
  ledger(options: {n: number; seed: number}): Promise<LedgerResult> {
    return this.request((id) => ({type: "ledger", id, n: options.n, seed: options.seed}));
  }
  weights(): Promise<DenoiserWeights> {
    return this.request((id) => ({type: "weights", id}));
  }
  /** Terminates the worker: everything it allocated is freed with it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.terminate();
    for (const {reject} of this.pending.values()) reject(new Error("the training session was disposed"));
    this.pending.clear();
  }
}
