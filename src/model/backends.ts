// Backend selection for tfjs (docs/architecture.md §4.2, §4.6). The module receives `tf` rather than importing
// it, so the same code runs in the browser (tf.fesm.js) and in Node tests (CJS tfjs).
import type * as tfTypes from "@tensorflow/tfjs";

export type Tf = typeof tfTypes;
/**
 * What trains: a tfjs backend, or "kernel", the WebAssembly SIMD kernel (kernel/), which runs the
 * training and sampling steps itself and leaves the rest (the ledger, single predictions) to tfjs
 * on WASM, or on plain JavaScript where WASM fails (tfjsBackend).
 */
export type BackendName = "webgpu" | "webgl" | "kernel" | "wasm" | "cpu";
/** The tfjs backends among them. */
export type TfjsBackendName = Exclude<BackendName, "kernel">;

/**
 * The order of preference: the first that initialises and is not a software fallback wins. The
 * kernel beats tfjs's WASM and JavaScript backends at every size measured (npm run bench), and a
 * diverging model (learning rate 0.1) is now stopped on it as on tfjs: a new model's first preview
 * shows exactly step 100 on every backend (the worker holds it for that step), where the samples
 * are absurd, instead of coming when the clock allowed, by which time the kernel had trained past
 * them. It is still last, chosen in the Backend menu, until making it the automatic choice is its
 * own change (the tests that expect tfjs's WebAssembly as that choice, and the menu's positions,
 * go with it). Where tfjs's WASM fails it still comes before the JavaScript backend.
 */
export const BACKEND_ORDER: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu", "kernel"];

/** The tfjs backend to select for `name`: itself, or for the kernel WASM if it works here, else cpu. */
export function tfjsBackend(name: BackendName, probes: readonly BackendProbe[]): TfjsBackendName {
  if (name !== "kernel") return name;
  return probes.find((p) => p.name === "wasm")?.ok ? "wasm" : "cpu";
}

export interface BackendProbe {
  name: BackendName;
  /** Whether `tf.setBackend(name)` succeeded and a small op ran on it with the right answer. */
  ok: boolean;
  /** Why the backend is unavailable or not preferred, in words a reader can act on. */
  detail: string;
  /** Float precision the backend computes in (16 on some mobile WebGL), when it initialised. */
  floatPrecision?: number;
  /** A software implementation (SwiftShader WebGPU/WebGL): it works, but slowly. */
  software?: boolean;
  /** Milliseconds for the probe op, first call included. */
  ms?: number;
}

/**
 * Initialises one backend and runs a small matMul + relu on it, checking the answer. A backend
 * that registers but cannot compute correctly is reported as failed, not chosen.
 */
export async function probeBackend(tf: Tf, name: TfjsBackendName, info: {software?: boolean} = {}): Promise<BackendProbe> {
  if (!tf.findBackendFactory(name)) return {name, ok: false, detail: "not registered in this build"};
  const start = performance.now();
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    return {name, ok: false, detail: `failed to initialise: ${message(error)}`};
  }
  if (!ok) return {name, ok: false, detail: "failed to initialise (see the console for the reason)"};
  try {
    const y = tf.tidy(() => tf.relu(tf.matMul(tf.tensor2d([1, -2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2]))));
    const values = await y.data(); // async read: a sync read crashes software WebGPU (docs/architecture.md §4.6)
    y.dispose();
    const expected = [1, 0, 3, 4];
    if (!expected.every((v, i) => Math.abs(values[i] - v) < 1e-3)) {
      return {name, ok: false, detail: `computed ${Array.from(values)} instead of ${expected}`};
    }
    const floatPrecision = tf.backend().floatPrecision();
    const ms = performance.now() - start;
    return {name, ok: true, detail: describe(name, floatPrecision, info.software), floatPrecision, software: info.software, ms};
  } catch (error) {
    return {name, ok: false, detail: `a test op failed: ${message(error)}`};
  }
}

function describe(name: BackendName, precision: number, software?: boolean): string {
  const parts = [`float${precision}`];
  if (software) parts.push("software emulation (no GPU)");
  if (name === "wasm") parts.push("WebAssembly on the CPU");
  if (name === "cpu") parts.push("plain JavaScript");
  return parts.join(", ");
}

/**
 * The backend this site trains on: the first in BACKEND_ORDER that works at full speed and
 * precision (not a software GPU: a fallback WebGPU adapter or SwiftShader WebGL is ~100× slower
 * than WASM; not a float16 GPU: Adam's ε underflows there and training turns to NaN), then the
 * float32 CPU backend, and a software or float16 GPU only when nothing else works. Returns null
 * when none works.
 */
export function preferredBackend(probes: readonly BackendProbe[]): BackendName | null {
  const usable = probes.filter((p) => p.ok);
  const good = usable.find((p) => !limitation(p) && p.name !== "cpu");
  return good?.name ?? usable.find((p) => p.name === "cpu" && !limitation(p))?.name ?? usable[0]?.name ?? null;
}

/**
 * The backends to move to when `failed` fails mid-training, best first: those that work here,
 * full precision before software or float16 ones.
 */
export function fallbackOrder(failed: BackendName, probes: readonly BackendProbe[]): BackendName[] {
  const rest = BACKEND_ORDER.filter((name) => name !== failed && probes.find((p) => p.name === name)?.ok);
  const full = rest.filter((name) => !limitation(probes.find((p) => p.name === name)!));
  return [...full, ...rest.filter((name) => !full.includes(name))];
}

/** Readers' names of the backends. */
export const BACKEND_NAMES: Record<BackendName, string> = {webgpu: "WebGPU", webgl: "WebGL", kernel: "WebAssembly SIMD kernel", wasm: "WebAssembly", cpu: "CPU (JavaScript)"};

/** Why a backend that works is a poor choice for training ("software", "float16"), or null. */
export function limitation(probe: BackendProbe): string | null {
  const parts: string[] = [];
  if (probe.software) parts.push("software");
  if ((probe.floatPrecision ?? 32) < 32) parts.push(`float${probe.floatPrecision}`);
  return parts.length ? parts.join(", ") : null;
}

/**
 * A backend menu entry for a reader: its name, marked when it cannot run here or runs in software
 * or in float16 ("WebGL (software, float16: slow, never chosen automatically)").
 */
export function backendChoiceLabel(name: BackendName, probe?: BackendProbe): string {
  if (!probe) return BACKEND_NAMES[name];
  if (!probe.ok) return `${BACKEND_NAMES[name]} (not available here)`;
  const limit = limitation(probe);
  return limit ? `${BACKEND_NAMES[name]} (${limit}: slow, never chosen automatically)` : BACKEND_NAMES[name];
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `tf.setBackend(name)` for Node (data loaders, tests, benchmarks), with tfjs's Node banner
 * silenced: the cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…"
 * (console.warn) when it first stores a tensor, noise in test output. One scalar is stored and
 * freed here, with console.warn and console.log muted, so that the banner comes and goes now.
 * Throws, naming the backend, when it does not initialise.
 */
export async function setBackendQuietly(tf: Tf, name: TfjsBackendName): Promise<void> {
  const {log, warn} = console;
  console.log = console.warn = () => {};
  try {
    if (!(await tf.setBackend(name))) throw new Error(`the tfjs ${name} backend did not initialise`);
    await tf.ready();
    tf.scalar(0).dispose();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
