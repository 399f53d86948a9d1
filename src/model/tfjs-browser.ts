// tfjs for the browser with all four backends, self-hosted (docs/architecture.md §4.2): the bare
// "@tensorflow/tfjs" import fails at run time under Framework, the fesm bundles work.
import * as tf from "@tensorflow/tfjs/dist/tf.fesm.js";
import "@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.fesm.js";
import {setWasmPaths} from "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js";
import {BACKEND_ORDER, probeBackend, preferredBackend, tfjsBackend, type BackendName, type BackendProbe} from "./backends.js";
import {probeKernel} from "./kernel/probe.js";

// Framework copies each .wasm file next to the site when it is named here.
setWasmPaths({
  "tfjs-backend-wasm.wasm": import.meta.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
  "tfjs-backend-wasm-simd.wasm": import.meta.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"),
  "tfjs-backend-wasm-threaded-simd.wasm": import.meta.resolve(
    "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm"
  )
});

export {tf};

interface GPUAdapterLike {
  isFallbackAdapter?: boolean;
  info?: {isFallbackAdapter?: boolean; vendor?: string; architecture?: string};
}

/** Whether WebGPU has an adapter here, and whether it is a software fallback. */
async function webgpuAdapter(): Promise<{available: boolean; software: boolean}> {
  const gpu = (navigator as unknown as {gpu?: {requestAdapter(): Promise<GPUAdapterLike | null>}}).gpu;
  if (!gpu) return {available: false, software: false};
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return {available: false, software: false};
    return {available: true, software: Boolean(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter)};
  } catch {
    return {available: false, software: false};
  }
}

/** Whether WebGL is rendered in software (SwiftShader, llvmpipe), read from its renderer string. */
function webglIsSoftware(): boolean {
  try {
    // A worker has no document: use an OffscreenCanvas there.
    const canvas = typeof document !== "undefined" ? document.createElement("canvas") : new OffscreenCanvas(1, 1);
    const gl = canvas.getContext("webgl2") as WebGL2RenderingContext | null;
    if (!gl) return false;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return /swiftshader|llvmpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

/**
 * Tries every backend in turn, then leaves tfjs on the preferred one (for the kernel: the tfjs
 * backend beside it). Probing WebGPU only when an adapter exists avoids tfjs's noisy failed
 * initialisation.
 */
export async function probeAllBackends(
  names: readonly BackendName[] = BACKEND_ORDER
): Promise<{probes: BackendProbe[]; preferred: BackendName | null}> {
  const probes: BackendProbe[] = [];
  for (const name of names) {
    if (name === "webgpu") {
      const adapter = await webgpuAdapter();
      if (!adapter.available) {
        probes.push({name, ok: false, detail: "no WebGPU adapter in this browser"});
        continue;
      }
      probes.push(await probeBackend(tf, name, {software: adapter.software}));
    } else if (name === "kernel") {
      probes.push(await probeKernel());
    } else {
      probes.push(await probeBackend(tf, name, {software: name === "webgl" ? webglIsSoftware() : false}));
    }
  }
  const preferred = preferredBackend(probes);
  if (preferred) await tf.setBackend(tfjsBackend(preferred, probes));
  return {probes, preferred};
}
