/**
 * The bound's ledger (Eq. 5) of a trained ε_θ, in tfjs: every term L_0, L_1 … L_{T−1}, L_T on
 * held-out data, a Monte Carlo over x_t ~ q(x_t|x_0) (one draw per example and t).
 *
 * Each term is weight_t·E‖ε − ε_θ(x_t, t)‖² + constant_t (the core's termCoefficients: Eq. 12 for
 * t ≥ 2, the Gaussian decoder for L_0), so the GPU/WASM work is only the batched noise error; the
 * weights and constants come from the core in float64. The noise is drawn from the core's seeded
 * RNG in the same order as the core's boundTerms, so with the same seed both see the same x_t.
 *
 * The standard error: each held-out example gets its own total, the sum over k of its L_k, where
 * every t uses its own draw of noise; the examples are independent (independent x_0, independent
 * noise), so these totals are i.i.d. draws whose mean is the ledger's total, and its standard error
 * is their sample standard deviation over √n — the same estimator as the core's boundTerms.
 */
import {priorTerm, termCoefficients} from "../lib/bound.js";
import {DATASET_IDS, type DatasetId} from "../lib/datasets.js";
import {toBitsPerDim} from "../lib/gaussian.js";
import {createRng} from "../lib/random.js";
import {LEDGER_SEED} from "../lib/seeds.js";
import type {Schedule, Sigma2Kind} from "../lib/schedule.js";
import {estimate} from "../lib/stats.js";
import type {EpsModel} from "./denoiser.js";
import type {Tf} from "./backends.js";

/**
 * The seed of the noise ε that a dataset's ledger draws x_t with: LEDGER_SEED plus the
 * dataset's place in DATASET_IDS. Each dataset gets its own stream (createRng scrambles nearby
 * seeds), so the Monte Carlo errors of different datasets' bounds are independent rather than
 * correlated; one dataset always gets the same stream, so two models trained on it are compared on
 * the same x_t.
 */
export function ledgerNoiseSeed(dataset: DatasetId): number {
  const index = DATASET_IDS.indexOf(dataset);
  if (index < 0) throw new Error(`ledgerNoiseSeed: unknown dataset ${JSON.stringify(dataset)}; expected one of ${DATASET_IDS.join(", ")}`);
  return LEDGER_SEED + index;
}

export interface LedgerOptions {
  /** Held-out x_0, flat [x, y, x, y, …]. */
  x0: Float64Array;
  /** Seed of the noise that draws x_t. */
  seed: number;
  /** σ_t² of p_θ (Sec. 3.2); default β̃_t. */
  sigma2Kind?: Sigma2Kind;
  /** Rows per batch (timesteps × examples); default 4096. */
  batchRows?: number;
}

export interface Ledger {
  /** terms[k] = L_k in nats per example, k = 0 … T. */
  terms: Float64Array;
  /** The standard error of each terms[k] over the examples (NaN with one example). */
  termStdErr: Float64Array;
  /** E‖ε − ε_θ(x_t, t)‖² at t = 1 … T (index t − 1): the L_simple integrand of Eq. 14. */
  epsError: Float64Array;
  /** The weight of each term (index t − 1): λ_t for t ≥ 2 (Eq. 12), the decoder's for t = 1. */
  weight: Float64Array;
  /** Σ_k L_k in nats per example, and in bits per dimension. */
  total: number;
  totalBitsPerDim: number;
  /**
   * The standard error of `total` (nats): the sample standard deviation of the examples' own
   * totals Σ_k L_k(x_0) over √n (NaN with one example).
   */
  totalStdErr: number;
  sigma2Kind: Sigma2Kind;
  examples: number;
}

/** Progress of a ledger computation: timesteps done of T. */
export interface LedgerProgress {
  done: number;
  T: number;
}

/**
 * Computes the ledger in batches of timesteps, yielding after each so that a caller can keep a
 * page responsive or report progress; returns the ledger. Disposes every tensor it makes.
 */
export async function* ledgerSteps(tf: Tf, model: EpsModel, s: Schedule, options: LedgerOptions): AsyncGenerator<LedgerProgress, Ledger, void> {
  const {x0, seed, sigma2Kind = "betaTilde", batchRows = 4096} = options;
  const dim = 2;
  const n = x0.length / dim;
  if (!Number.isInteger(n) || n < 1) throw new Error(`the ledger needs held-out points, got ${x0.length} values`);
  const T = s.T;
  const rng = createRng(seed);
  const perBatch = Math.max(1, Math.floor(batchRows / n));
  const epsError = new Float64Array(T);
  const weight = new Float64Array(T);
  const terms = new Float64Array(T + 1);
  const termStdErr = new Float64Array(T + 1);
  // Each example's own Σ_k L_k, for the standard error of the total.
  const perExample = new Float64Array(n);
  const values = new Float64Array(n);
  /** Adds one term's per-example values: its mean, its standard error, and to each example's total. */
  const addTerm = (k: number) => {
    const e = estimate(values);
    terms[k] = e.value;
    termStdErr[k] = e.stdErr;
    for (let j = 0; j < n; j++) perExample[j] += values[j];
  };
  for (let start = 1; start <= T; start += perBatch) {
    const ts = Math.min(perBatch, T - start + 1);
    const rows = ts * n;
    const noise = new Float32Array(rows * dim);
    const xt = new Float32Array(rows * dim);
    const tIndex = new Int32Array(rows);
    for (let k = 0; k < ts; k++) {
      const t = start + k;
      // Same draws, in the same order, as the core's boundTerms: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Eq. 4).
      const eps = rng.normals(n * dim);
      const a = s.sqrtAlphaBar[t - 1];
      const b = s.sqrtOneMinusAlphaBar[t - 1];
      const offset = k * n * dim;
      for (let i = 0; i < n * dim; i++) {
        noise[offset + i] = eps[i];
        xt[offset + i] = a * x0[i] + b * eps[i];
      }
      tIndex.fill(t, k * n, (k + 1) * n);
    }
    // ‖ε − ε_θ(x_t, t)‖² of every row (timestep k, example j at row k·n + j).
    const errors = tf.tidy(() => {
      const epsTensor = tf.tensor2d(noise, [rows, dim]);
      const pred = model.predict(tf.tensor2d(xt, [rows, dim]), tf.tensor1d(tIndex, "int32"));
      return tf.sum(tf.square(tf.sub(epsTensor, pred)), 1);
    });
    const squared = await errors.data();
    errors.dispose();
    for (let k = 0; k < ts; k++) {
      const t = start + k;
      const c = termCoefficients(s, t, sigma2Kind, dim);
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const e = squared[k * n + j];
        sum += e;
        values[j] = c.weight * e + c.constant;
      }
      epsError[t - 1] = sum / n;
      weight[t - 1] = c.weight;
      addTerm(t - 1);
    }
    yield {done: start + ts - 1, T};
  }
  values.set(priorTerm(s, x0, dim));
  addTerm(T);
  let total = 0;
  for (const v of terms) total += v;
  const totalStdErr = n > 1 ? estimate(perExample).stdErr : NaN;
  return {terms, termStdErr, epsError, weight, total, totalBitsPerDim: toBitsPerDim(total, dim), totalStdErr, sigma2Kind, examples: n};
}

/** The whole ledger at once (see ledgerSteps). */
export async function computeLedger(tf: Tf, model: EpsModel, s: Schedule, options: LedgerOptions): Promise<Ledger> {
  const steps = ledgerSteps(tf, model, s, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}
