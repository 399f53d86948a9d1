/**
 * Algorithm 2 (sampling) run to the end with a given noise predictor: x_T ~ N(0, I), then
 * x_{t−1} = μ_θ(x_t, t) + σ_t z for t = T … 1 (z = 0 at t = 1).
 */
import type {EpsPredictor} from "./bound.js";
import {pSampleStep} from "./posterior.js";
import type {Rng} from "./random.js";
import type {Schedule, Sigma2Kind} from "./schedule.js";
import {checkCount, checkDim} from "./util.js";
import {runSync, type Work} from "./work.js";

/** Options of pSampleLoop and pSampleWork (Algorithm 2 with a float64 ε predictor; the tfjs denoiser's are DenoiserSampleOptions). */
export interface PSampleOptions {
  /** Dimension of a point; default 2. */
  dim?: number;
  /** σ_t² of the reverse process (Sec. 3.2); default "betaTilde". */
  sigma2Kind?: Sigma2Kind;
  /** Start here instead of drawing x_T ~ N(0, I) (n·dim values). */
  xT?: ArrayLike<number>;
  /** Timesteps (0 … T) at which to keep a copy of x_t; t = T is the start, t = 0 the result. */
  recordAt?: readonly number[];
  /** false: z = 0 at every step, i.e. σ_t = 0 (not Algorithm 2; shows why the noise is needed). */
  noise?: boolean;
}

/**
 * n samples by Algorithm 2 with the predictor `eps`, and the states x_t at the requested
 * timesteps (in the order of recordAt). Noise order: x_T (unless given), then z for t = T … 2.
 */
export function pSampleLoop(s: Schedule, eps: EpsPredictor, n: number, rng: Rng, options: PSampleOptions = {}): {x0: Float64Array; snapshots: Float64Array[]} {
  return runSync(pSampleWork(s, eps, n, rng, options));
}

/** pSampleLoop in slices: yields the fraction done after each timestep (see work.ts). */
export function* pSampleWork(
  s: Schedule,
  eps: EpsPredictor,
  n: number,
  rng: Rng,
  {dim = 2, sigma2Kind = "betaTilde", xT, recordAt = [], noise = true}: PSampleOptions = {}
): Work<{x0: Float64Array; snapshots: Float64Array[]}> {
  checkCount(n, "n", 1);
  checkDim(dim);
  for (const t of recordAt) {
    if (!Number.isInteger(t) || t < 0 || t > s.T) throw new Error(`recordAt holds t = ${t}, outside 0..${s.T}`);
  }
  if (xT && xT.length !== n * dim) throw new Error(`xT has ${xT.length} values, expected ${n * dim}`);
  let x = xT ? Float64Array.from(xT) : rng.normals(n * dim);
  const saved = new Map<number, Float64Array>();
  const wanted = new Set(recordAt);
  if (wanted.has(s.T)) saved.set(s.T, Float64Array.from(x));
  for (let t = s.T; t >= 1; t--) {
    const epsPred = eps(x, t);
    if (epsPred.length !== x.length) throw new Error(`the ε predictor returned ${epsPred.length} values for ${x.length} at t = ${t}`);
    const z = t > 1 ? (noise ? rng.normals(x.length) : new Float64Array(x.length)) : null;
    x = pSampleStep(s, x, t, epsPred, z, sigma2Kind);
    if (wanted.has(t - 1)) saved.set(t - 1, Float64Array.from(x));
    yield (s.T - t + 1) / s.T;
  }
  return {x0: x, snapshots: recordAt.map((t) => Float64Array.from(saved.get(t)!))};
}
