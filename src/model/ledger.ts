/**
 * The bound's ledger (Eq. 5) of a trained ε_θ, in tfjs: every term L_0, L_1 … L_{T−1}, L_T on
 * held-out data, a Monte Carlo over x_t ~ q(x_t|x_0) (one draw per example and t).
 *
 * Each term is weight_t·E‖ε − ε_θ(x_t, t)‖² + constant_t (the core's termCoefficients: Eq. 12 for
 * t ≥ 2, the Gaussian decoder for L_0), so the GPU/WASM work is only the batched noise error; the
 * weights and constants come from the core in float64. The noise is drawn from the core's seeded
 * RNG in the same order as the core's boundTerms, so with the same seed both see the same x_t.
 */
import {priorTerm, termCoefficients} from "../lib/bound.js";
import {toBitsPerDim} from "../lib/gaussian.js";
import {createRng} from "../lib/random.js";
import type {Schedule, Sigma2Kind} from "../lib/schedule.js";
import type {EpsModel} from "./denoiser.js";
import type {Tf} from "./backends.js";

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
  /** E‖ε − ε_θ(x_t, t)‖² at t = 1 … T (index t − 1): the L_simple integrand of Eq. 14. */
  epsError: Float64Array;
  /** The weight of each term (index t − 1): λ_t for t ≥ 2 (Eq. 12), the decoder's for t = 1. */
  weight: Float64Array;
  /** Σ_k L_k in nats per example, and in bits per dimension. */
  total: number;
  totalBitsPerDim: number;
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
    const errors = tf.tidy(() => {
      const epsTensor = tf.tensor2d(noise, [rows, dim]);
      const pred = model.predict(tf.tensor2d(xt, [rows, dim]), tf.tensor1d(tIndex, "int32"));
      return tf.mean(tf.reshape(tf.sum(tf.square(tf.sub(epsTensor, pred)), 1), [ts, n]), 1);
    });
    const values = await errors.data();
    errors.dispose();
    for (let k = 0; k < ts; k++) {
      const t = start + k;
      const c = termCoefficients(s, t, sigma2Kind, dim);
      epsError[t - 1] = values[k];
      weight[t - 1] = c.weight;
      terms[t - 1] = c.weight * values[k] + c.constant;
    }
    yield {done: start + ts - 1, T};
  }
  const prior = priorTerm(s, x0, dim);
  let sum = 0;
  for (const v of prior) sum += v;
  terms[T] = sum / n;
  let total = 0;
  for (const v of terms) total += v;
  return {terms, epsError, weight, total, totalBitsPerDim: toBitsPerDim(total, dim), sigma2Kind, examples: n};
}

/** The whole ledger at once (see ledgerSteps). */
export async function computeLedger(tf: Tf, model: EpsModel, s: Schedule, options: LedgerOptions): Promise<Ledger> {
  const steps = ledgerSteps(tf, model, s, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}
