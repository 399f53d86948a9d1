/**
 * The reader's own 2D dataset: parsing pasted or dropped text, checking it, standardising it like
 * the built-in sets, a deterministic train / held-out split, quality against the held-out split and
 * its forward diffusion (its storage, share link and CSV are in custom-data-keep.ts). Pure
 * functions, no DOM.
 *
 * Points are flat [x0, y0, x1, y1, …] as everywhere in the core. "Raw" points are what the reader
 * drew or pasted, in their own units; "points" are the standardised ones a model sees.
 *
 * Every check returns a `Checked` value: the result, or the problems in words (with the line of
 * the text where there is one), so that a page can show them and keep what it had.
 *
 * ## For the Training page and its worker
 *
 * A page holds a `CustomDataset` (the DataDrawer component's value). To train and measure on it:
 *
 *   const split = splitDataset(dataset.points, {seed});        // train on split.train only
 *   trainer data        ← split.train   (standardised, as sampleDataset's points)
 *   ledger x0           ← split.heldOut (the bound on points never trained on)
 *   sample quality      ← heldOutQuality(samples, split.heldOut)
 *                          = {energy, energyFloor}, the fields of the worker's Quality
 *   ε*, entropy         ← mixtureAnswer(split.train, {heldOut: split.heldOut}) from mixture-fit.ts:
 *                          a fitted mixture (say "of a K-component mixture fitted to your points",
 *                          components/your-data-words.ts has the words) or {available: false, reason}
 *
 * All of these are plain data (typed arrays, numbers, strings) and cross postMessage as they are.
 * The split is a pure function of (points, seed), so the page and the worker compute the same one.
 */
import {chainSnapshots} from "./forward.js";
import {energyDistance, energyFloor} from "./metrics.js";
import {createRng} from "./random.js";
import type {Schedule} from "./schedule.js";

/**
 * The fewest points a dataset may have: a quarter are held out (HELD_OUT_FRACTION), and the
 * held-out split must be large enough for an energy distance and its floor (the floor averages the
 * 45 distances between 10 held-out points) to mean something.
 */
export const MIN_POINTS = 40;
/**
 * The most points a dataset may have: the Forward page runs the 1,000-step chain on every point in
 * the page (5,000 points: 10 million normal draws, well under a second), the energy distance is
 * quadratic in the points, and the training sets of the built-in data are 4,000 points.
 */
export const MAX_POINTS = 5000;
/** The longest text accepted from a paste or a file (5,000 lines of x,y need about 200 kB). */
export const MAX_TEXT_CHARS = 1_000_000;
/** How many problems a message lists before "and N more". */
export const MAX_LISTED_PROBLEMS = 5;
/** The share of points held out of training, to measure samples and the bound against. */
export const HELD_OUT_FRACTION = 0.25;

/** A problem with the reader's data, in words; `line` is the 1-based line of the text, if any. */
export interface DataProblem {
  line?: number;
  message: string;
}

/** A checked result: the value, or the problems that stopped it. */
export type Checked<T> = {ok: true; value: T} | {ok: false; problems: DataProblem[]};

const fail = <T>(...problems: DataProblem[]): Checked<T> => ({ok: false, problems});
const count = (n: number) => n.toLocaleString("en");

/** The problems of a Checked result as one message, listing at most MAX_LISTED_PROBLEMS. */
export function problemsText(problems: readonly DataProblem[]): string {
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => p.message);
  const more = problems.length - shown.length;
  if (more > 0) shown.push(`… and ${count(more)} more ${more === 1 ? "problem" : "problems"}.`);
  return shown.join(" ");
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** A decimal number as people write one: 12, −0.5, .5, 3., 1e−3 (ASCII or Unicode minus). */
const NUMBER = /^[+\-\u2212]?(\d+\.?\d*|\.\d+)([eE][+\-\u2212]?\d+)?$/;
const NOT_A_NUMBER = /^[+\-]?nan$/i;
const INFINITE = /^[+\-\u2212]?(inf|infinity|∞)$/i;
/** A column name of a header line: starts with a letter, no digits-only names. */
const NAME = /^["']?[A-Za-z_][\w .()\-]*["']?$/;

function splitFields(line: string): string[] {
  if (/[,;\t]/.test(line)) return line.split(/[,;\t]/).map((f) => f.trim());
  return line.trim().split(/\s+/);
}

function fieldValue(field: string, axis: "x" | "y", line: number): number | DataProblem {
  if (field === "") return {line, message: `Line ${line}: ${axis} is missing.`};
  const shown = field.length > 24 ? `${field.slice(0, 24)}…` : field;
  if (NOT_A_NUMBER.test(field)) return {line, message: `Line ${line}: ${axis} is NaN; every value must be a finite number.`};
  if (INFINITE.test(field)) return {line, message: `Line ${line}: ${axis} is infinite (${shown}); every value must be a finite number.`};
  if (!NUMBER.test(field)) return {line, message: `Line ${line}: ${axis} = "${shown}" is not a number.`};
  const value = Number(field.replace(/\u2212/g, "-"));
  if (!Number.isFinite(value)) return {line, message: `Line ${line}: ${axis} = ${shown} is too large to be a finite number.`};
  return value;
}

/** What parsePointsText read: the raw points and whether a first line of column names was skipped. */
export interface ParsedText {
  raw: Float64Array;
  header: string | null;
}

/**
 * Reads x,y pairs, one point a line. Fields are separated by a comma, semicolon, tab or spaces;
 * blank lines and lines starting with # are skipped, and so is a first line of two column names
 * (such as "x,y"). Any other line must hold exactly two finite numbers. The count must be within
 * MIN_POINTS … MAX_POINTS. Problems name their line.
 */
export function parsePointsText(text: string): Checked<ParsedText> {
  if (typeof text !== "string") return fail({message: "The data must be text."});
  if (text.length > MAX_TEXT_CHARS) {
    return fail({message: `The text is ${count(text.length)} characters long; at most ${count(MAX_TEXT_CHARS)} are read (${count(MAX_POINTS)} points of x,y fit in far fewer).`});
  }
  const lines = text.split(/\r\n|\n|\r/);
  const values: number[] = [];
  const problems: DataProblem[] = [];
  let header: string | null = null;
  let seenData = false;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const trimmed = lines[i].replace(/^\uFEFF/, "").trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const fields = splitFields(trimmed);
    if (!seenData && fields.length === 2 && fields.every((f) => NAME.test(f) && !NOT_A_NUMBER.test(f) && !INFINITE.test(f))) {
      seenData = true;
      header = trimmed;
      continue;
    }
    seenData = true;
    if (fields.length !== 2) {
      const what = fields.length === 1 ? `one value ("${fields[0].slice(0, 24)}")` : `${fields.length} values`;
      problems.push({line, message: `Line ${line} has ${what}; each line needs exactly two, x and y, separated by a comma.`});
      continue;
    }
    const x = fieldValue(fields[0], "x", line);
    const y = fieldValue(fields[1], "y", line);
    if (typeof x !== "number") problems.push(x);
    if (typeof y !== "number") problems.push(y);
    if (typeof x === "number" && typeof y === "number") values.push(x, y);
  }
  if (problems.length) return fail(...problems);
  const checked = validatePoints(values);
  return checked.ok ? {ok: true, value: {raw: checked.value, header}} : checked;
}

/**
 * Checks raw points from any source (drawing, text, storage, link): an even number of values, all
 * finite, MIN_POINTS … MAX_POINTS points, and not all at one place (they could not be scaled to
 * unit variance). Returns a copy as a Float64Array. `partial` accepts a drawing in progress: any
 * count from 0 to MAX_POINTS, finite, without the spread check.
 */
export function validatePoints(raw: ArrayLike<number>, {partial = false}: {partial?: boolean} = {}): Checked<Float64Array> {
  if (raw.length % 2 !== 0) return fail({message: `The data hold ${count(raw.length)} numbers, not a whole number of x,y pairs.`});
  const n = raw.length / 2;
  if (n === 0 && !partial) return fail({message: `There are no points. Draw, paste or load at least ${MIN_POINTS} points (lines of x,y such as 0.5,-1.2).`});
  if (n < MIN_POINTS && !partial) {
    return fail({message: `Only ${count(n)} ${n === 1 ? "point" : "points"}; at least ${MIN_POINTS} are needed (a quarter of them are held out to measure the model against).`});
  }
  if (n > MAX_POINTS) return fail({message: `${count(n)} points is more than the limit of ${count(MAX_POINTS)}; thin the data or keep a part of it.`});
  const out = Float64Array.from(raw);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      return fail({message: `Point ${count(Math.floor(i / 2) + 1)}: ${i % 2 ? "y" : "x"} is ${out[i]}; every value must be a finite number.`});
    }
  }
  if (partial) return {ok: true, value: out};
  const {scale, mean} = transformOf(out);
  if (!(scale > 1e-9 * (1 + Math.hypot(mean[0], mean[1])))) {
    return fail({message: "All the points are at the same place, so they cannot be scaled to unit variance; spread them out."});
  }
  return {ok: true, value: out};
}

// ---------------------------------------------------------------------------------------------
// Standardisation

/**
 * The standardisation of a dataset: points = (raw − mean) / scale. One scale for both coordinates,
 * so the shape the reader drew is kept (as the paper scales every pixel by the same constant);
 * it is chosen so that the variance averaged over x and y is 1, which the built-in sets (each
 * coordinate at variance 1) also satisfy.
 */
export interface Transform {
  mean: [number, number];
  scale: number;
}

function transformOf(raw: ArrayLike<number>): Transform {
  const n = raw.length / 2;
  let mx = 0;
  let my = 0;
  for (let j = 0; j < n; j++) {
    mx += raw[2 * j];
    my += raw[2 * j + 1];
  }
  mx /= n;
  my /= n;
  let ss = 0;
  for (let j = 0; j < n; j++) ss += (raw[2 * j] - mx) ** 2 + (raw[2 * j + 1] - my) ** 2;
  return {mean: [mx, my], scale: Math.sqrt(ss / (2 * n))};
}

/** Applies a transform: (raw − mean) / scale. */
export function applyTransform(raw: ArrayLike<number>, {mean, scale}: Transform): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = (raw[i] - mean[i % 2]) / scale;
  return out;
}

/** Undoes a transform: mean + scale · points (the reader's units again). */
export function invertTransform(points: ArrayLike<number>, {mean, scale}: Transform): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) out[i] = mean[i % 2] + scale * points[i];
  return out;
}

/**
 * Centres and scales raw points: mean 0 in each coordinate, and the variance (population, divided
 * by n) averaged over x and y exactly 1. Returns the points, the transform, and the resulting
 * variance of each coordinate (they differ when the shape is wider than it is tall).
 */
export function standardise(raw: ArrayLike<number>): {points: Float64Array; transform: Transform; variances: [number, number]} {
  const transform = transformOf(raw);
  const points = applyTransform(raw, transform);
  const n = points.length / 2;
  let vx = 0;
  let vy = 0;
  for (let j = 0; j < n; j++) {
    vx += points[2 * j] ** 2 / n;
    vy += points[2 * j + 1] ** 2 / n;
  }
  return {points, transform, variances: [vx, vy]};
}

/** A dataset of the reader's, ready for the pages: its raw points, the standardised ones and the transform. */
export interface CustomDataset {
  /** What the reader drew or pasted, in their units. */
  raw: Float64Array;
  /** (raw − mean) / scale: what the forward process and a model see. */
  points: Float64Array;
  transform: Transform;
  /** Variance of x and of y after the transform (their average is 1). */
  variances: [number, number];
  n: number;
  /** Where it came from, in words ("drawn", "pasted", "points.csv", "a shared link", "Two moons, edited"). */
  source: string;
}

/** Checks raw points (validatePoints) and standardises them into a CustomDataset. */
export function prepareDataset(raw: ArrayLike<number>, source: string): Checked<CustomDataset> {
  const checked = validatePoints(raw);
  if (!checked.ok) return checked;
  const {points, transform, variances} = standardise(checked.value);
  return {ok: true, value: {raw: checked.value, points, transform, variances, n: points.length / 2, source}};
}

// ---------------------------------------------------------------------------------------------
// Split and quality

/** A dataset split into the points a model trains on and those it is measured against. */
export interface Split {
  train: Float64Array;
  heldOut: Float64Array;
}

/**
 * A deterministic split: the points in an order shuffled with createRng(seed) (Fisher–Yates), the
 * first round(n · heldOutFraction) (at least 2) held out, the rest for training (at least 1).
 * The same (points, seed, fraction) always gives the same split.
 */
export function splitDataset(points: ArrayLike<number>, {seed = 1, heldOutFraction = HELD_OUT_FRACTION}: {seed?: number; heldOutFraction?: number} = {}): Split {
  if (points.length % 2 !== 0) throw new Error(`points has ${points.length} values, not a whole number of 2-D points`);
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new Error(`heldOutFraction = ${heldOutFraction} is outside (0, 1)`);
  const n = points.length / 2;
  if (n < 3) throw new Error(`a split needs at least 3 points, got ${n}`);
  const order = Int32Array.from({length: n}, (_, j) => j);
  const rng = createRng(seed);
  for (let j = n - 1; j > 0; j--) {
    const k = Math.floor(rng.uniform() * (j + 1));
    [order[j], order[k]] = [order[k], order[j]];
  }
  const held = Math.min(n - 1, Math.max(2, Math.round(n * heldOutFraction)));
  const pick = (from: number, to: number) => {
    const out = new Float64Array(2 * (to - from));
    for (let j = from; j < to; j++) {
      out[2 * (j - from)] = points[2 * order[j]];
      out[2 * (j - from) + 1] = points[2 * order[j] + 1];
    }
    return out;
  };
  return {heldOut: pick(0, held), train: pick(held, n)};
}

/**
 * Sample quality against the held-out split, as the worker reports it for built-in data: the
 * energy distance (V-statistic) between the samples and the held-out points, and its floor, the
 * expected distance between two independent samples of these sizes from the data, estimated from
 * the held-out points' own mean pairwise distance (energyFloor).
 */
export function heldOutQuality(samples: ArrayLike<number>, heldOut: ArrayLike<number>): {energy: number; energyFloor: number} {
  const n = samples.length / 2;
  const m = heldOut.length / 2;
  return {energy: energyDistance(samples, heldOut), energyFloor: energyFloor(heldOut, n, m)};
}

// ---------------------------------------------------------------------------------------------
// The forward diffusion of a dataset

/**
 * The chain q(x_t|x_{t−1}) (Eq. 2) run from the standardised points, saved at `timesteps`, with
 * noise from createRng(seed): the shape of a precomputed forward diffusion (diffusion-format.ts),
 * so a page draws both alike.
 */
export function diffuseDataset(schedule: Schedule, points: ArrayLike<number>, timesteps: readonly number[], seed = 2): {timesteps: number[]; points: number; dim: number; snapshots: Float32Array[]} {
  const snapshots = chainSnapshots(schedule, points, timesteps, createRng(seed)).map((s) => Float32Array.from(s));
  return {timesteps: [...timesteps], points: points.length / 2, dim: 2, snapshots};
}

// ---------------------------------------------------------------------------------------------
// Files

/**
 * The text of a file the reader dropped or chose, or the reason it is not a text file: a declared
 * type that is not text (CSV is sometimes declared as application/vnd.ms-excel), more than
 * MAX_TEXT_CHARS bytes, bytes that are not UTF-8, or control characters (a binary file).
 */
export function decodeTextFile(bytes: Uint8Array, {name = "the file", type = ""}: {name?: string; type?: string} = {}): Checked<string> {
  const textual = type === "" || type.startsWith("text/") || /^application\/(csv|vnd\.ms-excel|octet-stream)$/.test(type);
  if (!textual) return fail({message: `${name} is not a text file (its type is ${type}); give a CSV or text file of x,y lines.`});
  if (bytes.length > MAX_TEXT_CHARS) return fail({message: `${name} is ${count(bytes.length)} bytes; at most ${count(MAX_TEXT_CHARS)} are read.`});
  let text: string;
  try {
    text = new TextDecoder("utf-8", {fatal: true}).decode(bytes);
  } catch {
    return fail({message: `${name} is not a text file (it is not valid UTF-8 text); give a CSV or text file of x,y lines.`});
  }
  // Control characters other than tab, newline and carriage return mark binary data.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) {
    return fail({message: `${name} is not a text file (it holds binary data); give a CSV or text file of x,y lines.`});
  }
  return {ok: true, value: text};
}
