/**
 * The denoiser as a model that the sampler (../sampler.ts) runs on the WebAssembly kernel: every
 * update of Algorithm 2 or DDIM is one call, x_t stays in the kernel's memory, and the weights are
 * read from the denoiser when a run begins, so the same object samples from whatever weights the
 * denoiser holds then (e.g. the moving average inside trainer.withAveragedWeights).
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {fourierFrequencies, timeEmbeddingTable, type Denoiser, type EpsModel} from "../denoiser.js";
import type {HostRun, HostSampling, Update} from "../sampler.js";
import {kernelSupport, loadKernel, MlpKernel, type KernelFlavour, type LoadedKernel} from "./mlp.js";

type Tensor1D = tfTypes.Tensor1D;
type Tensor2D = tfTypes.Tensor2D;

export interface KernelSampler extends EpsModel, HostSampling {
  readonly flavour: KernelFlavour;
}

/**
 * A sampling model for `denoiser` on the kernel. predict/predictAt (single evaluations on tensors,
 * e.g. for the ledger) stay the denoiser's; whole sampling runs go through beginHostRun. Rejects,
 * saying why, where the kernel cannot run (no WebAssembly SIMD, or an architecture it lacks).
 */
export async function createKernelSampler(denoiser: Denoiser, kernel?: LoadedKernel): Promise<KernelSampler> {
  const unsupported = kernelSupport(denoiser.config);
  if (unsupported) throw new Error(unsupported);
  const c = denoiser.config;
  const mlp = await MlpKernel.create(kernel ?? (await loadKernel()), denoiser.layout, {
    fourierFrequencies: fourierFrequencies(c.fourierFeatures),
    embeddingTable: timeEmbeddingTable(c.maxT ?? 1000, c.timeEmbedding),
    embeddingWidth: c.timeEmbedding
  });
  let running = false;
  return {
    flavour: mlp.flavour,
    predict: (xt: Tensor2D, t: Tensor1D) => denoiser.predict(xt, t),
    predictAt: (xt: Tensor2D, t: number) => denoiser.predictAt(xt, t),
    beginHostRun(n: number): HostRun {
      if (running) throw new Error("this kernel sampler is already running a sampling run: one at a time");
      mlp.setTheta(denoiser.getFlat());
      mlp.pointsView(n); // sizes the buffers before any view is handed out
      running = true;
      return {
        points: () => mlp.pointsView(n),
        noise: () => mlp.noiseView(n),
        step: ({t, a, b, c}: Update) => mlp.sampleStep(n, t, a, b, c),
        end: () => {
          running = false;
        }
      };
    }
  };
}
