// Whether the WebAssembly SIMD kernel runs here: it loads (the engine has WebAssembly with SIMD)
// and computes a small MLP's output correctly. Reported beside the tfjs backends' probes.
import type {BackendProbe} from "../backends.js";
import {mlpLayout} from "../dense.js";
import {loadKernel} from "./load.js";
import {MlpKernel} from "./mlp.js";

/** Probes the kernel: a 3 → 16 → 2 ReLU MLP on three points, against the same sums in JavaScript. */
export async function probeKernel(): Promise<BackendProbe> {
  const start = performance.now();
  try {
    const loaded = await loadKernel();
    const layout = mlpLayout([3, 16, 2]);
    const mlp = await MlpKernel.create(loaded, layout);
    const theta = Float32Array.from({length: layout.size}, (_, i) => Math.sin(1 + i) / 2);
    mlp.setTheta(theta);
    const x = [0.5, -1, 2, 1.5, 0.25, -0.75, -2, 1, 0];
    mlp.batchViews(3).h0.set(x);
    const got = mlp.predict(3);
    const [L0, L1] = layout.layers;
    for (let r = 0; r < 3; r++) {
      for (let o = 0; o < 2; o++) {
        let y = theta[L1.biasOffset + o];
        for (let j = 0; j < 16; j++) {
          let z = theta[L0.biasOffset + j];
          for (let i = 0; i < 3; i++) z += x[3 * r + i] * theta[L0.kernelOffset + 16 * i + j];
          y += Math.max(0, z) * theta[L1.kernelOffset + 2 * j + o];
        }
        if (!(Math.abs(got[2 * r + o] - y) < 1e-4)) {
          return {name: "kernel", ok: false, detail: `the kernel computed ${got[2 * r + o]} where ${y.toFixed(5)} is right`};
        }
      }
    }
    const simd = loaded.flavour === "relaxed-simd" ? "relaxed SIMD, fused multiply-add" : "SIMD";
    return {name: "kernel", ok: true, detail: `float32, WebAssembly ${simd}: one kernel for each training step and sampling step`, floatPrecision: 32, ms: performance.now() - start};
  } catch (error) {
    return {name: "kernel", ok: false, detail: error instanceof Error ? error.message : String(error)};
  }
}
