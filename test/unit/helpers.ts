// Shared by the unit tests: comparisons and reference formulas written out independently of src/.
import assert from "node:assert/strict";

/** |a − b| ≤ tol·max(1, |b|): absolute near zero, relative for large values. */
export function close(a: number, b: number, tol: number, what = ""): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b} (tol ${tol})`);
}

/** |a − b| ≤ tol, whatever the size of b. */
export function closeAbs(a: number, b: number, tol = 1e-12, what = ""): void {
  assert.ok(Math.abs(a - b) <= tol, `${what ? `${what}: ` : ""}${a} vs ${b}`);
}

/** log N(x; m, v) of one coordinate, written out here rather than taken from the module under test. */
export const logGauss = (x: number, m: number, v: number): number => -0.5 * (Math.log(2 * Math.PI * v) + (x - m) ** 2 / v);

/** The mean of a[from … to). */
export function mean(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s / (to - from);
}
