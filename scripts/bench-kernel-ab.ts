// A/B timing of two kernel builds in one process, alternating, so that a busy machine's load falls
// on both alike: sampling updates (2,048 points) and training steps (batch 256 and 2048).
// Usage: node [--experimental-wasm-relaxed-simd] --import tsx scripts/bench-kernel-ab.ts OLD.generated.js OLD-mlp.ts
// (a saved build of the module and the src/model/kernel/mlp.ts that drives it; B is this checkout's).
import path from "node:path";
import {pathToFileURL} from "node:url";
import {createRng} from "../src/lib/random.js";
import {mlpLayout, initialParams} from "../src/model/dense.js";
import {fourierFrequencies, timeEmbeddingTable} from "../src/model/denoiser.js";
import {MlpKernel} from "../src/model/kernel/mlp.js";
import type {LoadedKernel} from "../src/model/kernel/load.js";

async function load(file: string): Promise<LoadedKernel> {
  const {simd, relaxed} = await import(pathToFileURL(path.resolve(file)).href);
  const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const r = bytes(relaxed);
  if (process.env.KERNEL_FLAVOUR !== "simd" && WebAssembly.validate(r)) return {module: await WebAssembly.compile(r), flavour: "relaxed-simd"};
  return {module: await WebAssembly.compile(bytes(simd)), flavour: "simd"};
}
const files = [process.argv[2], "src/model/kernel/mlp-wasm.generated.js"];
const drivers: (typeof MlpKernel)[] = [(await import(pathToFileURL(path.resolve(process.argv[3])).href)).MlpKernel, MlpKernel];
const builds = await Promise.all(files.map(load));
const layout = mlpLayout([2 + 16 + 32, 128, 128, 128, 2]);
const inputs = {fourierFrequencies: Array.from(fourierFrequencies(4)), embeddingTable: timeEmbeddingTable(1000, 32), embeddingWidth: 32};
const rng = createRng(1);
const theta = initialParams(layout, rng);
const kernels = await Promise.all(builds.map(async (b, i) => {
  const k = await drivers[i].create(b, layout, inputs);
  k.setTheta(theta, {average: true});
  return k;
}));
const n = 2048;
const x0 = Float32Array.from(rng.normals(2 * n));
const z = Float32Array.from(rng.normals(2 * n));
const h0 = {256: Float32Array.from(rng.normals(256 * 50)), 2048: Float32Array.from(rng.normals(2048 * 50))};
const target = Float32Array.from(rng.normals(2 * 2048));
const jobs = {
  "sampling 2048 pts, ms/update": (k: MlpKernel) => {
    k.pointsView(n).set(x0);
    k.noiseView(n).set(z);
    const t0 = performance.now();
    for (let t = 100; t >= 1; t--) k.sampleStep(n, t, 0.999, -0.01, 0.01);
    return (performance.now() - t0) / 100;
  },
  ...Object.fromEntries(([256, 2048] as const).map((B) => [`train step batch ${B}, ms`, (k: MlpKernel) => {
    const v = k.batchViews(B);
    v.h0.set(h0[B]);
    v.target.set(target.subarray(0, 2 * B));
    const reps = B === 256 ? 40 : 5;
    const t0 = performance.now();
    for (let i = 1; i <= reps; i++) k.step(B, false, {k: i, learningRate: 1e-9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, averageDecay: 0});
    return (performance.now() - t0) / reps;
  }]))
};
console.log(`flavours: ${builds.map((b) => b.flavour).join(" / ")}; A = ${files[0]}, B = ${files[1]}`);
for (const [name, job] of Object.entries(jobs)) {
  const times: number[][] = [[], []];
  for (let round = 0; round < (Number(process.env.ROUNDS) || 9); round++) for (const i of round % 2 ? [1, 0] : [0, 1]) times[i].push(job(kernels[i]));
  const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
  const [a, b] = times.map(median);
  console.log(`${name}: A ${a.toFixed(3)}  B ${b.toFixed(3)}  B/A ${(b / a).toFixed(3)}  (medians; min A ${Math.min(...times[0]).toFixed(3)}, min B ${Math.min(...times[1]).toFixed(3)})`);
}
