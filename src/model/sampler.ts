/**
 * Sampling from a trained ε_θ on the device: Algorithm 2 of Ho et al. 2020 (ancestral sampling),
 * and DDIM (Song et al. 2021), which goes beyond the DDPM paper.
 *
 * Both are async generators so a page stays responsive: every `yieldEvery` steps they wait for the
 * device (an async read of the current points, which also keeps a GPU queue from growing without
 * bound) and yield the progress and the points. `sample`/`sampleDDIM` run them to the end.
 * On cpu/wasm that read resolves at once, without giving the browser a chance to paint: the
 * consumer paces the frames, e.g. `for await (const p of sampleSteps(…)) { draw(p.x); await tf.nextFrame(); }`
 * or `onProgress: async (p) => { draw(p.x); await tf.nextFrame(); }`.
 * Noise comes from the core's seeded RNG in the same order as the core's pSampleLoop (x_T, then z
 * for t = T … 2), so a seed gives the same samples as the float64 reference, up to float32 rounding.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {createRng} from "../lib/random.js";
import {sigmaSquared, type Schedule, type Sigma2Kind} from "../lib/schedule.js";
import type {EpsModel} from "./denoiser.js";
import type {Tf} from "./backends.js";

type Tensor2D = tfTypes.Tensor2D;

/** Options of sample and sampleSteps (Algorithm 2 with the tfjs denoiser; the core's float64 sampler takes PSampleOptions). */
export interface DenoiserSampleOptions {
  /** Number of points. */
  n: number;
  /** Seed of x_T and of the noise z (the core's createRng); default 0. */
  seed?: number;
  /** σ_t² of p_θ(x_{t−1}|x_t) (Sec. 3.2): β_t or β̃_t (core's sigmaSquared); default "betaTilde". Ignored by DDIM. */
  sigma2Kind?: Sigma2Kind;
  /** Timesteps t (0 … T) at which to keep a copy of x_t: t = T is the starting noise, t = 0 the result. */
  keepTrajectory?: readonly number[];
  /** Start from these points (flat, 2n values) instead of drawing x_T ~ N(0, I). */
  xT?: ArrayLike<number>;
  /** Model evaluations between yields (and device syncs); default 10 (≈40 ms for n = 1000 on wasm). */
  yieldEvery?: number;
  /**
   * Called after every update with its values read back synchronously (the algorithm stepper;
   * cpu/wasm). The update is the same with or without it.
   */
  inspect?: (step: SampleStepDetail) => void;
}

/** One update x_t → x_{t−1} with its parts, flat [x0, y0, …] over the n points. */
export interface SampleStepDetail {
  t: number;
  /** The timestep after the update. */
  next: number;
  /** x_t. */
  x: Float32Array;
  /** The noise z (null when none is drawn: t = 1, or DDIM). */
  z: Float32Array | null;
  /** ε_θ(x_t, t). */
  eps: Float32Array;
  /** The update without its noise: μ_θ(x_t, t) for Algorithm 2. */
  mean: Float32Array;
  /** The noise's scale σ_t (0 when none is drawn). */
  sigma: number;
  /** x_{t−1} (x_next). */
  xNext: Float32Array;
}

export interface DdimOptions extends Omit<DenoiserSampleOptions, "sigma2Kind"> {
  /** Number of model evaluations (timesteps visited); default 50. */
  steps?: number;
}

/** Yielded every `yieldEvery` steps. */
export interface SampleProgress {
  /** Model evaluations done so far, and in all. */
  done: number;
  total: number;
  /** The timestep the points are now at (x_t). */
  t: number;
  /** The current points x_t, flat [x0, y0, …]. */
  x: Float32Array;
}

export interface SampleResult {
  /** The samples x_0, flat [x0, y0, x1, y1, …]. */
  x0: Float32Array;
  /** x_t at each requested timestep, in the order requested. */
  trajectory: {t: number; x: Float32Array}[];
  /** Model evaluations. */
  steps: number;
  /** Wall time in milliseconds. */
  ms: number;
}

/** One update on the device: x ↦ a·x + b·ε_θ(x, t) + c·z. */
export interface Update {
  t: number;
  /** The timestep after the update. */
  next: number;
  a: number;
  b: number;
  /** Noise scale (0: no noise drawn). */
  c: number;
}

/**
 * The coefficients of Algorithm 2 at each t = T … 1: x_{t−1} = 1/√α_t (x_t − β_t/√(1 − ᾱ_t) ε_θ)
 * + σ_t z, the mean being μ_θ of Eq. 11, σ_t² from the core's sigmaSquared, and z = 0 at t = 1.
 */
export function ancestralUpdates(s: Schedule, sigma2Kind: Sigma2Kind = "betaTilde"): Update[] {
  const updates: Update[] = [];
  for (let t = s.T; t >= 1; t--) {
    const a = 1 / Math.sqrt(s.alpha[t - 1]);
    const b = (-a * s.beta[t - 1]) / s.sqrtOneMinusAlphaBar[t - 1];
    const c = t > 1 ? Math.sqrt(sigmaSquared(s, t, sigma2Kind)) : 0;
    updates.push({t, next: t - 1, a, b, c});
  }
  return updates;
}

/**
 * The timesteps DDIM visits with `steps` model evaluations: evenly spaced from T down to 1 (both
 * included, rounded, duplicates dropped), then 0 (the result).
 */
export function ddimTimesteps(T: number, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be an integer ≥ 1, got ${steps}`);
  const n = Math.min(steps, T);
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? T : Math.round(T - (i * (T - 1)) / (n - 1));
    if (ts[ts.length - 1] !== t) ts.push(t);
  }
  ts.push(0);
  return ts;
}

/**
 * The coefficients of deterministic DDIM (η = 0; Song et al. 2021, Eq. 12), going beyond the DDPM
 * paper: from t to the next visited t′, x̂_0 = (x_t − √(1 − ᾱ_t) ε_θ)/√ᾱ_t (Eq. 4 solved for x_0) and
 * x_{t′} = √ᾱ_{t′} x̂_0 + √(1 − ᾱ_{t′}) ε_θ, with ᾱ_0 = 1 (the last step returns x̂_0).
 */
export function ddimUpdates(s: Schedule, steps: number): Update[] {
  const ts = ddimTimesteps(s.T, steps);
  const updates: Update[] = [];
  for (let i = 0; i + 1 < ts.length; i++) {
    const t = ts[i];
    const next = ts[i + 1];
    const sqrtAb = s.sqrtAlphaBar[t - 1];
    const sqrtAbNext = next === 0 ? 1 : s.sqrtAlphaBar[next - 1];
    const sqrtOneMinusNext = next === 0 ? 0 : s.sqrtOneMinusAlphaBar[next - 1];
    const a = sqrtAbNext / sqrtAb;
    const b = sqrtOneMinusNext - a * s.sqrtOneMinusAlphaBar[t - 1];
    updates.push({t, next, a, b, c: 0});
  }
  return updates;
}

/**
 * A model that runs whole sampling updates on the host, in float32 buffers it owns (the WebAssembly
 * kernel, kernel/sampler.ts): the sampler then keeps x_t there instead of in a tensor, and makes
 * one call per step instead of a handful of tfjs ops. The noise and its order are the same.
 */
export interface HostSampling {
  /** Starts a run of n points (reads the weights now); the run's buffers are its own. */
  beginHostRun(n: number): HostRun;
}

export interface HostRun {
  /** Starts from x_T (2n floats). */
  start(xT: Float32Array): void;
  /** x ← a·x + b·ε_θ(x, t) + c·z, with z (2n values) when c > 0. It may return before the work is done. */
  step(update: Update, z: Float64Array | null): void;
  /** The current x_t (2n floats, a copy), once every step so far is done. */
  read(): Float32Array | Promise<Float32Array>;
  /** Frees what the run holds. */
  end(): void;
}

function hostSampling(model: EpsModel): HostSampling | null {
  const host = model as EpsModel & Partial<HostSampling>;
  return typeof host.beginHostRun === "function" ? (host as HostSampling) : null;
}

/** Runs `updates` from x_T, yielding progress; returns the result. Disposes every tensor it made, also when stopped early. */
async function* run(
  tf: Tf,
  model: EpsModel,
  s: Schedule,
  updates: Update[],
  options: DenoiserSampleOptions
): AsyncGenerator<SampleProgress, SampleResult, void> {
  const {n, seed = 0, keepTrajectory = [], xT, yieldEvery = 10, inspect} = options;
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(yieldEvery) || yieldEvery < 1) throw new Error(`yieldEvery must be an integer ≥ 1, got ${yieldEvery}`);
  if (xT && xT.length !== 2 * n) throw new Error(`xT has ${xT.length} values, expected ${2 * n}`);
  const visited = new Set([s.T, ...updates.map((u) => u.next)]);
  for (const t of keepTrajectory) {
    if (!visited.has(t)) {
      const which = visited.size === s.T + 1 ? `0..${s.T}` : `one of the visited timesteps ${[...visited].join(", ")}`;
      throw new Error(`keepTrajectory holds t = ${t}; it must be ${which}`);
    }
  }
  const wanted = new Set(keepTrajectory);
  const start = performance.now();
  const rng = createRng(seed);
  const host = hostSampling(model);
  if (host) {
    // The same loop with x_t in the model's own buffer: the same noise, drawn in the same order.
    const onHost = host.beginHostRun(n);
    try {
      const first = xT ? Float32Array.from(xT) : Float32Array.from(rng.normals(2 * n));
      const keptHost = new Map<number, Float32Array>();
      if (wanted.has(s.T)) keptHost.set(s.T, first.slice());
      onHost.start(first);
      for (let i = 0; i < updates.length; i++) {
        const u = updates[i];
        onHost.step(u, u.c > 0 ? rng.normals(2 * n) : null);
        if (wanted.has(u.next)) keptHost.set(u.next, await onHost.read());
        if ((i + 1) % yieldEvery === 0 && i + 1 < updates.length) {
          yield {done: i + 1, total: updates.length, t: u.next, x: await onHost.read()};
        }
      }
      const x0 = await onHost.read();
      return {x0, trajectory: keepTrajectory.map((t) => ({t, x: Float32Array.from(keptHost.get(t)!)})), steps: updates.length, ms: performance.now() - start};
    } finally {
      onHost.end();
    }
  }
  const kept = new Map<number, Tensor2D>();
  let x = tf.tensor2d(xT ? Float32Array.from(xT) : Float32Array.from(rng.normals(2 * n)), [n, 2]);
  try {
    if (wanted.has(s.T)) kept.set(s.T, tf.clone(x));
    for (let i = 0; i < updates.length; i++) {
      const {t, next, a, b, c} = updates[i];
      const z = c > 0 ? Float32Array.from(rng.normals(2 * n)) : null;
      let detail: SampleStepDetail | null = null;
      const xNext = tf.tidy(() => {
        const eps = model.predictAt ? model.predictAt(x, t) : model.predict(x, tf.fill([n], t, "int32") as tfTypes.Tensor1D);
        const mean = tf.add(tf.mul(x, a), tf.mul(eps, b));
        const out = (z ? tf.add(mean, tf.mul(tf.tensor2d(z, [n, 2]), c)) : mean) as Tensor2D;
        if (inspect) {
          const read = (tensor: tfTypes.Tensor) => Float32Array.from(tensor.dataSync());
          detail = {t, next, x: read(x), z, eps: read(eps), mean: read(mean), sigma: c, xNext: read(out)};
        }
        return out;
      });
      if (inspect && detail) inspect(detail);
      x.dispose();
      x = xNext;
      if (wanted.has(next)) kept.set(next, tf.clone(x));
      if ((i + 1) % yieldEvery === 0 && i + 1 < updates.length) {
        yield {done: i + 1, total: updates.length, t: next, x: Float32Array.from(await x.data())};
      }
    }
    const x0 = Float32Array.from(await x.data());
    const trajectory: {t: number; x: Float32Array}[] = [];
    for (const t of keepTrajectory) trajectory.push({t, x: Float32Array.from(await kept.get(t)!.data())});
    return {x0, trajectory, steps: updates.length, ms: performance.now() - start};
  } finally {
    x.dispose();
    for (const k of kept.values()) k.dispose();
  }
}

/**
 * Algorithm 2, step by step: x_T ~ N(0, I); for t = T … 1, z ~ N(0, I) if t > 1 else 0,
 * x_{t−1} = 1/√α_t (x_t − β_t/√(1 − ᾱ_t) ε_θ(x_t, t)) + σ_t z. Yields every `yieldEvery` steps;
 * the generator's return value is the result.
 */
export function sampleSteps(tf: Tf, model: EpsModel, schedule: Schedule, options: DenoiserSampleOptions): AsyncGenerator<SampleProgress, SampleResult, void> {
  return run(tf, model, schedule, ancestralUpdates(schedule, options.sigma2Kind ?? "betaTilde"), options);
}

/**
 * Deterministic DDIM sampling (η = 0, Song et al. 2021), step by step: NOT part of the DDPM paper.
 * The same trained ε_θ, visiting `steps` timesteps (ddimTimesteps) instead of all T; all randomness
 * is in x_T.
 */
export function sampleDDIMSteps(tf: Tf, model: EpsModel, schedule: Schedule, options: DdimOptions): AsyncGenerator<SampleProgress, SampleResult, void> {
  return run(tf, model, schedule, ddimUpdates(schedule, options.steps ?? 50), options);
}

/** Drains a sampling generator, passing each progress report to `onProgress`. */
async function drain(
  steps: AsyncGenerator<SampleProgress, SampleResult, void>,
  onProgress?: (p: SampleProgress) => void | Promise<void>
): Promise<SampleResult> {
  for (;;) {
    const r = await steps.next();
    if (r.done) return r.value;
    if (!onProgress) continue;
    try {
      await onProgress(r.value);
    } catch (error) {
      await steps.return(undefined as never); // runs the generator's finally: frees its tensors
      throw error;
    }
  }
}

/** Algorithm 2 run to the end (see sampleSteps). */
export function sample(
  tf: Tf,
  model: EpsModel,
  schedule: Schedule,
  options: DenoiserSampleOptions & {onProgress?: (p: SampleProgress) => void | Promise<void>}
): Promise<SampleResult> {
  return drain(sampleSteps(tf, model, schedule, options), options.onProgress);
}

/** Deterministic DDIM (η = 0) run to the end (see sampleDDIMSteps); beyond the DDPM paper (Song et al. 2021). */
export function sampleDDIM(
  tf: Tf,
  model: EpsModel,
  schedule: Schedule,
  options: DdimOptions & {onProgress?: (p: SampleProgress) => void | Promise<void>}
): Promise<SampleResult> {
  return drain(sampleDDIMSteps(tf, model, schedule, options), options.onProgress);
}
