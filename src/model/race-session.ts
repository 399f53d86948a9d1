// The page side of the race worker: starts it on the first race, runs races one at a time, and
// passes their progress and results to callbacks. dispose() terminates the worker, which frees
// every tensor it made; a Stop asks the worker to end at its next turn instead, so its tfjs (and
// its tensor count, which the tests watch) carries over to the next race.
import type {BackendName} from "./backends.js";
import type {EpsReference, RaceDataset, RaceOptions, RaceProgress, RunWithSamples} from "./race.js";
import type {RaceReply, RaceRequest} from "./race-protocol.js";

export interface RaceCallbacks {
  onReady?: (backend: BackendName, note?: string) => void;
  onProgress?: (progress: RaceProgress) => void;
  onResult?: (run: RunWithSamples) => void;
}

/** How a race ended. */
export interface RaceEnd {
  stopped: boolean;
  backend: BackendName;
  warmupMs: number;
  /** Algorithm 2 with ε*, where the dataset has a mixture and the race was not stopped. */
  reference?: EpsReference;
  /** tfjs's tensor count in the worker before the race and after it: equal unless something leaked. */
  tensorsBefore: number;
  tensorsAfter: number;
}

export class RaceSession {
  private worker: Worker | null = null;
  private nextId = 1;
  private running: {id: number; backend: BackendName | null; callbacks: RaceCallbacks; resolve: (end: RaceEnd) => void; reject: (error: Error) => void} | null = null;
  disposed = false;

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(import.meta.resolve("./race-worker.js"), {type: "module"});
    worker.onmessage = (event: MessageEvent<RaceReply>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`the race worker failed: ${event.message || "it could not start"}`);
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Runs one race in the worker; resolves when it has finished or been stopped. */
  race(dataset: RaceDataset, options: RaceOptions, callbacks: RaceCallbacks = {}, backend: BackendName | "auto" = "auto"): Promise<RaceEnd> {
    if (this.disposed) return Promise.reject(new Error("this race session has been disposed"));
    if (this.running) return Promise.reject(new Error("a race is already running"));
    const id = this.nextId++;
    return new Promise<RaceEnd>((resolve, reject) => {
      this.running = {id, backend: null, callbacks, resolve, reject};
      const request: RaceRequest = {type: "race", id, backend, dataset, options};
      this.start().postMessage(request);
    });
  }

  /** Asks the race in flight to end at its next turn; its promise then resolves with stopped: true. */
  stop(): void {
    if (this.running && this.worker) this.worker.postMessage({type: "stop", id: this.running.id} satisfies RaceRequest);
  }

  private fail(message: string): void {
    const running = this.running;
    this.running = null;
    running?.reject(new Error(message));
  }

  private receive(reply: RaceReply): void {
    const running = this.running;
    if (!running || reply.id !== running.id) return;
    switch (reply.type) {
      case "ready":
        running.backend = reply.backend;
        running.callbacks.onReady?.(reply.backend, reply.note);
        return;
      case "progress":
        running.callbacks.onProgress?.(reply.progress);
        return;
      case "result":
        running.callbacks.onResult?.(reply.run);
        return;
      case "done":
        this.running = null;
        running.resolve({stopped: reply.stopped, backend: running.backend!, warmupMs: reply.warmupMs, reference: reply.reference, tensorsBefore: reply.tensorsBefore, tensorsAfter: reply.tensorsAfter});
        return;
      case "error":
        this.fail(reply.message);
        return;
    }
  }

  /** Terminates the worker (every tensor it made goes with it); a race in flight rejects. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.fail("the race was closed");
    this.worker?.terminate();
    this.worker = null;
  }
}
