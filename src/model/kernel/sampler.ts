/**
 * The denoiser as a model that the sampler (../sampler.ts) runs on the WebAssembly kernel: every
 * update of Algorithm 2 or DDIM is one call, x_t stays in the kernel's memory, and the weights are
 * read from the denoiser when a run begins, so the same object samples from whatever weights the
 * denoiser holds then (e.g. the moving average inside trainer.withAveragedWeights). With a helper
 * thread (threads.ts), the helper takes half of the points: it gets its x_T and θ once, then each
 * step's noise for its half, and runs in parallel; its points come back only when read.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {fourierFrequencies, timeEmbeddingTable, type Denoiser, type EpsModel} from "../denoiser.js";
import type {HostRun, HostSampling, Update} from "../sampler.js";
import {kernelSupport, loadKernel, type KernelFlavour, type LoadedKernel} from "./load.js";
import {MlpKernel} from "./mlp.js";
import type {HelperReply, KernelHelper} from "./threads.js";

type Tensor1D = tfTypes.Tensor1D;
type Tensor2D = tfTypes.Tensor2D;

/** Below this many points a run stays on one thread (the messages would cost more than they save). */
export const MIN_POINTS_TO_SPLIT = 256;

export interface KernelSampler extends EpsModel, HostSampling {
  readonly flavour: KernelFlavour;
  /** Threads a run of n points uses. */
  threadsFor(n: number): 1 | 2;
  /** Frees its kernel in the helper thread (the one here goes with the object). */
  dispose(): void;
}

/**
 * A sampling model for `denoiser` on the kernel, on two threads when given a helper. predict/
 * predictAt (single evaluations on tensors, e.g. for the ledger) stay the denoiser's; whole
 * sampling runs go through beginHostRun. Rejects, saying why, where the kernel cannot run (no
 * WebAssembly SIMD, or an architecture it lacks).
 */
export async function createKernelSampler(denoiser: Denoiser, {kernel, helper}: {kernel?: LoadedKernel; helper?: KernelHelper | null} = {}): Promise<KernelSampler> {
  const unsupported = kernelSupport(denoiser.config);
  if (unsupported) throw new Error(unsupported);
  const c = denoiser.config;
  const loaded = kernel ?? (await loadKernel());
  const inputs = {
    fourierFrequencies: Array.from(fourierFrequencies(c.fourierFeatures)),
    embeddingTable: timeEmbeddingTable(c.maxT ?? 1000, c.timeEmbedding),
    embeddingWidth: c.timeEmbedding
  };
  const mlp = await MlpKernel.create(loaded, denoiser.layout, inputs);
  const remote = helper?.ok ? await helper.createKernel(loaded.flavour, denoiser.layout.sizes, inputs) : null;
  let running = false;
  const threadsFor = (n: number) => (remote !== null && helper!.ok && n >= MIN_POINTS_TO_SPLIT ? 2 : 1);

  return {
    flavour: mlp.flavour,
    threadsFor,
    dispose() {
      if (remote !== null) helper!.disposeKernel(remote);
    },
    predict: (xt: Tensor2D, t: Tensor1D) => denoiser.predict(xt, t),
    predictAt: (xt: Tensor2D, t: number) => denoiser.predictAt(xt, t),
    beginHostRun(n: number): HostRun {
      if (running) throw new Error("this kernel sampler is already running a sampling run: one at a time");
      if (!Number.isInteger(n) || n < 1) throw new Error(`n must be an integer ≥ 1, got ${n}`);
      const theta = denoiser.getFlat();
      mlp.setTheta(theta);
      // Points [0, own) here, [own, n) in the helper, which also draws nothing: it gets its noise.
      const own = threadsFor(n) === 2 ? Math.floor(n / 2) : n;
      mlp.pointsView(own); // sizes the buffers before any view is taken
      running = true;
      return {
        start(xT: Float32Array) {
          mlp.pointsView(own).set(xT.subarray(0, 2 * own));
          if (own < n) helper!.post({type: "sample-begin", kernel: remote!, theta, x: xT.slice(2 * own)});
        },
        step({t, a, b, c}: Update, z: Float64Array | null) {
          if (own < n) {
            const zHelper = z ? Float32Array.from(z.subarray(2 * own)) : null;
            helper!.post({type: "sample-step", kernel: remote!, t, a, b, c, z: zHelper}, zHelper ? [zHelper.buffer] : []);
          }
          if (z) mlp.noiseView(own).set(z.subarray(0, 2 * own));
          mlp.sampleStep(own, t, a, b, c);
        },
        read(): Float32Array | Promise<Float32Array> {
          const mine = mlp.pointsView(own).slice();
          if (own === n) return mine;
          return helper!.ask<Extract<HelperReply, {type: "points"}>>((id) => ({type: "sample-read", id, kernel: remote!})).then(({x}) => {
            const all = new Float32Array(2 * n);
            all.set(mine);
            all.set(x, 2 * own);
            return all;
          });
        },
        end() {
          running = false;
        }
      };
    }
  };
}
