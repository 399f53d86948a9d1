/**
 * One check for every numeric field a reader types into (the Training panel, the L_simple
 * experiment, the GAN panel): the text as typed, not a number the browser has already coerced, so
 * that an empty field, "abc" or "1e6" is refused in words naming the field, the value and what is
 * allowed, and never becomes 0 or the previous value behind the reader's back. The fields themselves
 * (their labels, limits and hints) are the panels' (components/panel-fields.ts).
 */

export interface NumberField {
  /** The field's label, as the reader sees it ("Learning rate"). */
  label: string;
  min: number;
  max: number;
  /** Whole numbers only (a seed, a batch size, a step count). */
  integer?: boolean;
  /** A suggestion added to the error, e.g. "1e-3 to 3e-3 works well". */
  hint?: string;
}

export type Checked = {value: number; error?: undefined} | {error: string; value?: undefined};

/** A plain decimal or scientific number: "12", "-0.5", ".5", "3e-3", "1E+6". */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A bound as a reader would write it: 1e-5, 0.001, 1, 20000, 1e6. */
export function formatBound(x: number): string {
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs < 1e-3 || abs >= 1e6) {
    const [mantissa, exponent] = x.toExponential().split("e");
    return `${mantissa}e${Number(exponent)}`;
  }
  return String(x);
}

/** What a field allows, in words: "a number between 1e-5 and 1", "a whole number from 0 to 999999". */
export function allowed(field: NumberField): string {
  return field.integer
    ? `a whole number from ${formatBound(field.min)} to ${formatBound(field.max)}`
    : `a number between ${formatBound(field.min)} and ${formatBound(field.max)}`;
}

/**
 * Checks what a reader typed into `field`: {value} if it is a number within the field's range
 * (and whole, where the field asks for it), else {error} — one sentence naming the field, what was
 * typed and what is allowed, e.g. "Learning rate: 1e6 is not allowed; choose a number between 1e-5 and 1".
 */
export function checkNumber(raw: string | number, field: NumberField): Checked {
  const text = String(raw).trim();
  const choose = `choose ${allowed(field)}${field.hint ? ` (${field.hint})` : ""}`;
  if (text === "") return {error: `${field.label}: the field is empty; ${choose}`};
  if (!NUMBER.test(text)) return {error: `${field.label}: “${text}” is not a number; ${choose}`};
  const value = Number(text);
  if (!Number.isFinite(value)) return {error: `${field.label}: ${text} is too large to be a number here; ${choose}`};
  if (field.integer && !Number.isInteger(value)) return {error: `${field.label}: ${text} is not a whole number; ${choose}`};
  // 1e-320 parses to a subnormal, not 0: the range check below refuses it like any other small value.
  if (value < field.min || value > field.max) return {error: `${field.label}: ${text} is not allowed; ${choose}`};
  return {value};
}

/**
 * Checks several fields at once: the values of those that pass and the errors of those that do
 * not, in the order given.
 */
export function checkFields<K extends string>(entries: readonly (readonly [K, string | number, NumberField])[]): {values: Partial<Record<K, number>>; errors: {key: K; error: string}[]} {
  const values: Partial<Record<K, number>> = {};
  const errors: {key: K; error: string}[] = [];
  for (const [key, raw, field] of entries) {
    const checked = checkNumber(raw, field);
    if (checked.error !== undefined) errors.push({key, error: checked.error});
    else values[key] = checked.value;
  }
  return {values, errors};
}
