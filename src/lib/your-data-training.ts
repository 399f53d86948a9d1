/**
 * Training on the reader's own dataset (drawn or pasted on the Forward page, kept by
 * custom-data-keep.ts): what the Training page, its worker and the race need beyond the built-in
 * data. Pure functions, no DOM.
 *
 * - The data travel as standardised points with a fingerprint (YourTrainingData); the worker
 *   splits them with YOUR_DATA_SPLIT_SEED (splitDataset), trains on the training part only, and
 *   measures the bound and the samples on the held-out part.
 * - Sample quality is the energy distance to the held-out split beside the split's own floor.
 *   Modes are not known for drawn data, so modes covered and the high-quality share are not given.
 * - The data's entropy is not known either (a drawing has no density). What can honestly stand
 *   beside the bound is another model's exact score on the same held-out points: a K-component
 *   Gaussian mixture fitted to the training part (mixtureAnswer), its mean −log p there. It is an
 *   upper bound on the data's entropy, not that entropy, and every label says so.
 */
import {prepareDataset, problemsText, splitDataset, type Split} from "./custom-data.js";
import {decodeStored} from "./custom-data-keep.js";
import {DATASET_IDS, type DatasetId} from "./datasets.js";
import {energyDistance, energyFloor, type Quality} from "./metrics.js";
import {mixtureLogDensity} from "./mixture.js";
import {DEFAULT_COMPONENTS, mixtureAnswer, type MixtureAnswer} from "./mixture-fit.js";
import {LEDGER_SEED, YOUR_DATA_FIT_SEED, YOUR_DATA_SPLIT_SEED} from "./seeds.js";

/** The dataset id of the reader's own data in a training configuration and a dataset menu. */
export const YOUR_DATA = "your-data" as const;
/** A dataset the Training page can train on: a built-in one, or the reader's own. */
export type TrainingDataset = DatasetId | typeof YOUR_DATA;

/** The reader's points as the worker receives them. */
export interface YourTrainingData {
  /** All the points, standardised (custom-data's prepareDataset); the worker splits them. */
  points: Float64Array;
  /** Where they came from, in words ("drawn", "pasted", "points.csv"). */
  source: string;
  /** fingerprintPoints(points): equal points, equal fingerprint. */
  fingerprint: string;
}

/**
 * The seed of the ledger's noise on the reader's data: the place after the built-in datasets'
 * (ledgerNoiseSeed gives LEDGER_SEED + their index), so no dataset shares its Monte Carlo errors.
 */
export const YOUR_DATA_LEDGER_SEED = LEDGER_SEED + DATASET_IDS.length;

/** FNV-1a (32 bits) over the float64 bits of the points, and their count: "n:hex". */
export function fingerprintPoints(points: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float64Array.from(points).buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${points.length / 2}:${h.toString(16).padStart(8, "0")}`;
}

/** What the browser's storage holds for the Training page: data to train on, or why there are none. */
export type KeptData = {ok: true; data: YourTrainingData} | {ok: false; empty: boolean; reason: string};

/**
 * Reads the kept dataset (the text stored under custom-data-keep's STORAGE_KEY, or null) and
 * checks it as training data: a drawing in progress may be kept with fewer than MIN_POINTS points,
 * and storage may be edited; each case gets its reason in words.
 */
export function readKeptData(stored: string | null): KeptData {
  if (stored === null) return {ok: false, empty: true, reason: "No points of your own are kept in this browser yet."};
  const decoded = decodeStored(stored);
  if (!decoded.ok) return {ok: false, empty: false, reason: `Your kept data cannot be used: ${problemsText(decoded.problems)}`};
  if (decoded.value.raw.length === 0) return {ok: false, empty: true, reason: "No points of your own are kept in this browser yet."};
  const prepared = prepareDataset(decoded.value.raw, decoded.value.source);
  if (!prepared.ok) return {ok: false, empty: false, reason: `Your kept data cannot be trained on: ${problemsText(prepared.problems)}`};
  const points = prepared.value.points;
  return {ok: true, data: {points, source: prepared.value.source, fingerprint: fingerprintPoints(points)}};
}

/**
 * Checks data the worker is asked to train on, and throws in words if they are not usable: the
 * configuration names your data but carries none, or the points are not a whole number of finite
 * 2D points, at least MIN_POINTS of them.
 */
export function checkYourTrainingData(dataset: TrainingDataset, data: YourTrainingData | undefined): void {
  if (dataset !== YOUR_DATA) {
    if (data !== undefined) throw new Error(`custom: points were given with dataset "${dataset}"; they are used only with dataset "${YOUR_DATA}"`);
    return;
  }
  if (!data || !(data.points instanceof Float64Array)) throw new Error(`custom: dataset "${YOUR_DATA}" needs the points themselves (custom.points, a Float64Array of x, y pairs); none were given`);
  const prepared = prepareDataset(data.points, data.source);
  if (!prepared.ok) throw new Error(`custom.points: ${problemsText(prepared.problems)}`);
}

/** The training and held-out parts of the reader's points (splitDataset with YOUR_DATA_SPLIT_SEED). */
export function yourDataSplit(points: ArrayLike<number>): Split {
  return splitDataset(points, {seed: YOUR_DATA_SPLIT_SEED});
}

/** Whether two configurations train on the same data (your data: the same points, by fingerprint). */
export function sameYourData(a: YourTrainingData | undefined, b: YourTrainingData | undefined): boolean {
  return (a?.fingerprint ?? null) === (b?.fingerprint ?? null);
}

/**
 * The quality of `samples` (the first `points` of them) against the whole held-out split: the
 * energy distance (V-statistic) and its floor for these sample sizes, from the held-out points'
 * own mean distance. No modes: they are not known for drawn data.
 */
export function yourDataQuality(samples: ArrayLike<number>, heldOut: ArrayLike<number>, points: number): Quality & {points: number; heldOut: number} {
  const n = Math.min(points, Math.floor(samples.length / 2));
  if (n < 1) throw new Error("yourDataQuality needs at least one sample");
  const m = heldOut.length / 2;
  if (m < 2) throw new Error(`yourDataQuality needs at least 2 held-out points, got ${m}`);
  const x = Array.prototype.slice.call(samples, 0, 2 * n) as number[];
  return {energy: energyDistance(x, heldOut), energyFloor: energyFloor(heldOut, n, m), points: n, heldOut: m};
}

/** A mixture's exact score on held-out points, to stand beside the bound on the same points. */
export interface MixtureBaseline {
  /** Components of the mixture fitted to the training part. */
  K: number;
  /** Mean −log p_fit (nats per point) over the held-out points, and its standard error. */
  value: number;
  stdErr: number;
  examples: number;
}

/**
 * The fit of the Training page (DEFAULT_COMPONENTS components to the training part, seeded with
 * YOUR_DATA_FIT_SEED), or the reason there is none.
 */
export function yourDataFit(split: Split, K = DEFAULT_COMPONENTS): MixtureAnswer {
  return mixtureAnswer(split.train, {K, seed: YOUR_DATA_FIT_SEED});
}

/**
 * The fitted mixture's mean −log p over `heldOut` (the ledger's own held-out points), with its
 * standard error over the points; null when there is no fit.
 */
export function mixtureBaseline(fit: MixtureAnswer, heldOut: ArrayLike<number>): MixtureBaseline | null {
  if (!fit.available) return null;
  const logp = mixtureLogDensity(fit.mixture, heldOut);
  const n = logp.length;
  let mean = 0;
  for (let j = 0; j < n; j++) mean -= logp[j] / n;
  let ss = 0;
  for (let j = 0; j < n; j++) ss += (-logp[j] - mean) ** 2;
  const stdErr = n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN;
  return {K: fit.K, value: mean, stdErr, examples: n};
}
