/**
 * Small checks shared by the math core's modules. Vectors are flat arrays of numbers; a batch of n
 * points of dimension D is interleaved as [x0_1 … x0_D, x1_1 … x1_D, …] (length n·D).
 */

/** Throws unless `a` and `b` hold the same number of values, naming both in the message. */
export function assertSameLength(a: ArrayLike<number>, nameA: string, b: ArrayLike<number>, nameB: string): void {
  if (a.length !== b.length) throw new Error(`${nameA} has ${a.length} values but ${nameB} has ${b.length}`);
}

/** Throws unless `dim` is an integer ≥ 1. */
export function checkDim(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`dim must be an integer ≥ 1, got ${dim}`);
}

/** The number of points in a flat batch `x` of dimension `dim`; throws if the length does not divide. */
export function pointCount(x: ArrayLike<number>, dim: number, name = "x"): number {
  checkDim(dim);
  if (x.length % dim !== 0) throw new Error(`${name} has ${x.length} values, not a whole number of ${dim}-D points`);
  return x.length / dim;
}

/** Throws unless n is an integer ≥ min (default 1). */
export function checkCount(n: number, name = "n", min = 1): void {
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${n}`);
}
