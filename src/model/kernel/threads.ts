/**
 * A second core for the kernel: a helper worker (helper-worker.ts) with its own kernel instances.
 * The sampler gives it half of the points and streams it each step's noise; the trainer gives it
 * half of each batch and adds the gradient it returns to its own (data parallelism). Plain
 * messages, no SharedArrayBuffer, so it works on any static host without cross-origin isolation.
 * Where a worker cannot start (Node, a browser without module workers, one core), startHelper
 * returns null and everything runs on one thread.
 */
import type {Update} from "../sampler.js";

/**
 * Whether the site (the training worker) gives the kernel the helper thread. Off: in `npm run
 * bench` on a two-core machine shared with other work, the split was slower than one thread at
 * every size (training step at batch 256: 13.7 ms against 2.1 ms; at 2048: 23.4 against 16.8;
 * sampling 2,048 points: 13.5 s against 7.3 s), as each step waits for a core that is busy
 * elsewhere. The bench measures both, so the choice can be revisited where cores are free.
 */
export const SITE_USES_HELPER = false;
import type {KernelFlavour} from "./load.js";
import type {KernelInputs} from "./mlp.js";

export type HelperRequest =
  | {type: "create"; id: number; kernel: number; flavour: KernelFlavour; sizes: number[]; inputs: KernelInputs | null}
  | {type: "sample-begin"; kernel: number; theta: Float32Array; x: Float32Array}
  | ({type: "sample-step"; kernel: number; z: Float32Array | null} & Omit<Update, "next">)
  | {type: "sample-read"; id: number; kernel: number}
  | {type: "dispose"; kernel: number}
  | {type: "gradient"; id: number; kernel: number; theta: Float32Array; h0: Float32Array; target: Float32Array; weights: Float32Array | null; scale: number};

export type HelperReply =
  | {type: "created"; id: number}
  | {type: "points"; id: number; x: Float32Array}
  | {type: "gradient"; id: number; grad: Float32Array; loss: number}
  | {type: "error"; id?: number; message: string};

/** One helper thread; its kernels are addressed by the handles createKernel returns. */
export class KernelHelper {
  private nextId = 1;
  private nextKernel = 1;
  private pending = new Map<number, {resolve: (reply: HelperReply) => void; reject: (error: Error) => void}>();
  private failure: Error | null = null;
  private terminated = false;

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<HelperReply>) => {
      const reply = event.data;
      if (reply.type === "error" && reply.id === undefined) return this.fail(new Error(`the kernel's helper thread failed: ${reply.message}`));
      const waiting = this.pending.get(reply.id!);
      if (!waiting) return;
      this.pending.delete(reply.id!);
      if (reply.type === "error") waiting.reject(new Error(reply.message));
      else waiting.resolve(reply);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`the kernel's helper thread failed: ${event.message || "it could not start"}`));
    };
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const {reject} of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /** Posts a request that needs no answer (its errors surface at the next request that has one). */
  post(request: HelperRequest, transfer: Transferable[] = []): void {
    if (this.failure) throw this.failure;
    if (this.terminated) throw new Error("the kernel's helper thread has been stopped");
    this.worker.postMessage(request, transfer);
  }

  /** Posts a request with an id and waits for its answer. */
  ask<R extends HelperReply>(make: (id: number) => HelperRequest, transfer: Transferable[] = []): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, {resolve: resolve as (reply: HelperReply) => void, reject});
      try {
        this.post(make(id), transfer);
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  /** A kernel instance in the helper for an MLP with these layer sizes (and, to sample, these inputs). */
  async createKernel(flavour: KernelFlavour, sizes: number[], inputs: KernelInputs | null): Promise<number> {
    const kernel = this.nextKernel++;
    await this.ask((id) => ({type: "create", id, kernel, flavour, sizes, inputs}));
    return kernel;
  }

  /** Frees a kernel instance made by createKernel (nothing if the helper has stopped). */
  disposeKernel(kernel: number): void {
    if (this.ok) this.post({type: "dispose", kernel});
  }

  get ok(): boolean {
    return !this.failure && !this.terminated;
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.worker.terminate();
    this.fail(new Error("the kernel's helper thread has been stopped"));
  }

  /**
   * Starts a helper thread, or null where that is not possible or not useful: no Worker (Node), a
   * single core, or a worker that fails to start (reported through `onUnavailable`).
   */
  static async start({onUnavailable}: {onUnavailable?: (reason: string) => void} = {}): Promise<KernelHelper | null> {
    const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency ?? 1 : 1;
    if (typeof Worker === "undefined") {
      onUnavailable?.("no Worker here");
      return null;
    }
    if (cores < 2) {
      onUnavailable?.(`${cores} core`);
      return null;
    }
    try {
      const helper = new KernelHelper(new Worker(import.meta.resolve("./helper-worker.js"), {type: "module"}));
      // A round trip proves it runs (a module worker that fails to load only says so by an error event).
      await helper.createKernel("simd", [4, 16, 2], null);
      return helper;
    } catch (error) {
      onUnavailable?.(error instanceof Error ? error.message : String(error));
      return null;
    }
  }
}
