/**
 * Numbers written for a reader: the site's few number formats, so that a value reads the same in
 * every table, check and sentence. (Words around the numbers belong to the components and pages.)
 */

/** Whether `value` reads better written out than in scientific notation: 0, or 10⁻³ ≤ |value| < `below`. */
export function isPlainMagnitude(value: number, below = 1e5): boolean {
  return value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < below);
}

/**
 * The site's number for prose and tables: `digits` significant digits (default 4) with trailing zeros
 * dropped (0.0123, 1.5), scientific with digits − 2 decimals when tiny or huge (4.0e-5); non-finite
 * values as JavaScript writes them.
 */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (isPlainMagnitude(value)) return String(Number(value.toPrecision(digits)));
  return value.toExponential(Math.max(0, digits - 2));
}

/**
 * Exactly `digits` significant digits, trailing zeros kept (0.1230): for columns of measured values.
 * Scientific with digits − 1 decimals below 10⁻³ and from 10⁴; 0 as "0".
 */
export function fmtPrecision(value: number, digits: number): string {
  if (value === 0) return "0";
  return isPlainMagnitude(value, 1e4) ? value.toPrecision(digits) : value.toExponential(digits - 1);
}

/** `decimals` decimals (default 3), or scientific with 2 decimals for a nonzero value below 10⁻³: for coordinates. */
export function fmtFixed(value: number, decimals = 3): string {
  return Math.abs(value) < 1e-3 && value !== 0 ? value.toExponential(2) : value.toFixed(decimals);
}

/** A share (0 … 1) as a percentage with `decimals` decimals (default 0): 0.989 → "99%". */
export function fmtPercent(share: number, decimals = 0): string {
  return `${(100 * share).toFixed(decimals)}%`;
}
