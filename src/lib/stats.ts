/** Monte Carlo summaries used across the math core. */

/** A Monte Carlo estimate: the sample mean of n draws and its standard error sd/√n. */
export interface Estimate {
  value: number;
  stdErr: number;
  n: number;
}

/** Mean and standard error (sample sd with n − 1, divided by √n) of `values`. */
export function estimate(values: ArrayLike<number>): Estimate {
  const n = values.length;
  if (n === 0) throw new Error("cannot estimate from 0 values");
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const stdErr = n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN;
  return {value: mean, stdErr, n};
}

/** The arithmetic mean of `values`. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error("mean of 0 values");
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * max |a_i − b_i| / max |b_i| (the scale floored at 1e-12): an error relative to the largest entry,
 * for comparing two computations of the same gradient or weights.
 */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relError: lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/**
 * One update of a running mean that keeps `decay` of itself per step, over a gap of `steps` steps
 * (≥ 1): a loss curve stored at every 10th step decays as if each step had been seen. Starts at the
 * first value (previous = null).
 */
export function runningMean(previous: number | null, value: number, steps = 1, decay = 0.95): number {
  if (previous === null || !Number.isFinite(previous)) return value;
  const keep = decay ** Math.max(1, steps);
  return keep * previous + (1 - keep) * value;
}
