/**
 * The forward (diffusion) process q (Ho et al. 2020, Sec. 2). Points are flat Float64Arrays; since
 * q adds isotropic noise, every function here acts coordinate by coordinate and works for any D.
 * Timesteps t are the paper's 1 … T.
 */
import type {Rng} from "./random.js";
import {checkT, type Schedule} from "./schedule.js";
import {assertSameLength} from "./util.js";

/**
 * A draw from q(x_t|x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) (Eq. 4), reparameterised with given noise:
 * x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. One jump instead of t steps of the chain.
 */
export function qSample(s: Schedule, x0: ArrayLike<number>, t: number, eps: ArrayLike<number>): Float64Array {
  checkT(s, t);
  assertSameLength(x0, "x0", eps, "eps");
  const a = s.sqrtAlphaBar[t - 1];
  const b = s.sqrtOneMinusAlphaBar[t - 1];
  const out = new Float64Array(x0.length);
  for (let i = 0; i < out.length; i++) out[i] = a * x0[i] + b * eps[i];
  return out;
}

/**
 * One step of the chain, a draw from q(x_t|x_{t−1}) = N(√(1 − β_t) x_{t−1}, β_t I) (Eq. 2):
 * x_t = √(1 − β_t) x_{t−1} + √β_t ε.
 */
export function qStep(s: Schedule, xPrev: ArrayLike<number>, t: number, eps: ArrayLike<number>): Float64Array {
  checkT(s, t);
  assertSameLength(xPrev, "xPrev", eps, "eps");
  const a = Math.sqrt(s.alpha[t - 1]);
  const b = Math.sqrt(s.beta[t - 1]);
  const out = new Float64Array(xPrev.length);
  for (let i = 0; i < out.length; i++) out[i] = a * xPrev[i] + b * eps[i];
  return out;
}

/** The moments of q(x_t|x_0) (Eq. 4): mean = meanCoef · x_0 with meanCoef = √ᾱ_t, and variance 1 − ᾱ_t per coordinate. */
export function qMoments(s: Schedule, t: number): {meanCoef: number; variance: number} {
  checkT(s, t);
  return {meanCoef: s.sqrtAlphaBar[t - 1], variance: s.oneMinusAlphaBar[t - 1]};
}

function checkTimestepOrZero(s: Schedule, t: number, name: string): void {
  if (t === 0) return;
  try {
    checkT(s, t);
  } catch {
    throw new Error(`${name} = ${t} is outside 0..${s.T}`);
  }
}

/**
 * Runs the Markov chain q(x_t|x_{t−1}) (Eq. 2) step by step from t = 1 to tEnd, with fresh noise
 * from `rng` at every step (x0.length normals per step, in order), and returns x_tEnd. tEnd = 0
 * returns a copy of x0. Its law equals the closed form q(x_tEnd|x_0) of Eq. 4.
 */
export function runChain(s: Schedule, x0: ArrayLike<number>, tEnd: number, rng: Rng): Float64Array {
  return chainSnapshots(s, x0, [tEnd], rng)[0];
}

/**
 * Runs the chain q(x_t|x_{t−1}) (Eq. 2) once, from t = 1 to max(ts), and returns x_t at every
 * requested t (0 … T; t = 0 is x_0), in the order of `ts`. Point n is the same particle in every
 * snapshot: these are trajectories of the chain, not independent draws.
 */
export function chainSnapshots(s: Schedule, x0: ArrayLike<number>, ts: readonly number[], rng: Rng): Float64Array[] {
  ts.forEach((t) => checkTimestepOrZero(s, t, "t"));
  const tMax = ts.length ? Math.max(...ts) : 0;
  const wanted = new Set(ts);
  const saved = new Map<number, Float64Array>();
  const x = Float64Array.from(x0);
  if (wanted.has(0)) saved.set(0, Float64Array.from(x));
  for (let t = 1; t <= tMax; t++) {
    const a = Math.sqrt(s.alpha[t - 1]);
    const b = Math.sqrt(s.beta[t - 1]);
    for (let i = 0; i < x.length; i++) x[i] = a * x[i] + b * rng.normal();
    if (wanted.has(t)) saved.set(t, Float64Array.from(x));
  }
  return ts.map((t) => Float64Array.from(saved.get(t)!));
}

/**
 * x_t for every requested t (0 … T; t = 0 returns a copy of x0), each drawn independently with the
 * closed form q(x_t|x_0) (Eq. 4) and fresh noise from `rng`, in the order of `ts`.
 */
export function forwardSnapshots(s: Schedule, x0: ArrayLike<number>, ts: readonly number[], rng: Rng): Float64Array[] {
  ts.forEach((t) => checkTimestepOrZero(s, t, "t"));
  return ts.map((t) => (t === 0 ? Float64Array.from(x0) : qSample(s, x0, t, rng.normals(x0.length))));
}
