/**
 * Loading the denoiser's WebAssembly SIMD kernel (assembly/mlp.ts, embedded by
 * scripts/build-kernel.ts in mlp-wasm.generated.js): which build the engine can run, its compiled
 * module, the instance's exports, and which architectures the kernel implements. mlp.ts runs it.
 */
import type {DenoiserConfig} from "../denoiser.js";

/** Which build runs: relaxed SIMD (fused multiply-add) where the engine has it, else plain SIMD. */
export type KernelFlavour = "relaxed-simd" | "simd";

/** The instance's exports (assembly/mlp.ts): byte offsets into its memory, row counts, scalars. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  gemm(a: number, aRow: number, aK: number, b: number, ldb: number, c: number, ldc: number, M: number, K: number, N: number, bias: number, relu: number, mask: number, accumulate: number): void;
  gemmSparseA(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, M: number, K: number, N: number, bias: number, relu: number, vals: number, rows: number): void;
  colSum(a: number, lda: number, M: number, N: number, out: number): void;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  outForward(h: number, ldh: number, M: number, K: number, w0: number, w1: number, b: number, out: number): void;
  lossGrad(pred: number, target: number, weights: number, scale: number, M: number, dy: number): number;
  outBackward(h: number, ldh: number, M: number, K: number, dy: number, w0: number, w1: number, gW: number, gb: number, dz: number): void;
  adam(theta: number, m: number, v: number, g: number, avg: number, n: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, epsilon: number, stepSize: number, vScale: number, decay: number, oneMinusDecay: number): void;
  sinCos(x: number, n: number, sinOut: number, cosOut: number): void;
  fourier(x: number, n: number, F: number, omega: number, out: number, ldo: number): void;
  update(x: number, eps: number, z: number, n: number, a: number, b: number, c: number): void;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export interface LoadedKernel {
  module: WebAssembly.Module;
  flavour: KernelFlavour;
}

const loaded = new Map<string, Promise<LoadedKernel>>();

/**
 * Compiles the kernel once per flavour asked for: relaxed SIMD if `prefer` allows and the engine
 * validates it, else plain SIMD. Rejects, saying why, where WebAssembly or its SIMD is missing.
 */
export function loadKernel(prefer: "auto" | KernelFlavour = "auto"): Promise<LoadedKernel> {
  let promise = loaded.get(prefer);
  if (!promise) {
    promise = (async () => {
      if (typeof WebAssembly === "undefined") throw new Error("this browser has no WebAssembly");
      // Imported here, not at the top: a kernel that fails to load leaves the rest of the site (and
      // tfjs, which the probes then choose) working.
      let builds: typeof import("./mlp-wasm.generated.js");
      try {
        builds = await import("./mlp-wasm.generated.js");
      } catch (error) {
        throw new Error(`the kernel's module did not load (${error instanceof Error ? error.message : String(error)})`);
      }
      const {simd, relaxed} = builds;
      const simdBytes = decode(simd);
      if (!WebAssembly.validate(simdBytes)) throw new Error("this browser's WebAssembly has no SIMD (fixed-width SIMD, in Chrome 91+, Firefox 89+, Safari 16.4+)");
      if (prefer !== "simd") {
        const relaxedBytes = decode(relaxed);
        if (WebAssembly.validate(relaxedBytes)) return {module: await WebAssembly.compile(relaxedBytes), flavour: "relaxed-simd" as const};
        if (prefer === "relaxed-simd") throw new Error("this engine's WebAssembly has no relaxed SIMD");
      }
      return {module: await WebAssembly.compile(simdBytes), flavour: "simd" as const};
    })();
    loaded.set(prefer, promise);
    promise.catch(() => loaded.delete(prefer));
  }
  return promise;
}

/** Null if the kernel can run this architecture, else why not (in words). */
export function kernelSupport(config: Pick<DenoiserConfig, "hidden" | "activation">): string | null {
  if ((config.activation ?? "relu") !== "relu") return `the kernel implements ReLU only, this model uses ${config.activation}`;
  const bad = config.hidden.find((h) => h % 16 !== 0);
  if (bad !== undefined) return `the kernel needs hidden widths that are multiples of 16, this model has ${bad}`;
  return null;
}
