/**
 * The noise predictor ε_θ(x_t, t) of Ho et al. 2020 (Sec. 3.2, Eq. 11) for 2D points: an MLP on
 * h_0 = [x_t, optional Fourier features of x_t, sinusoidal embedding of t]. The paper's U-Net
 * shares its parameters across t through the same Transformer sinusoidal embedding (Sec. 4); for 2D
 * toy data an MLP is the usual stand-in.
 *
 * Three ways to evaluate the same function, for speed (tfjs per-op costs dominate at this size):
 *  - predict(x_t, t): everything on the device (a gather of the embedding table), for any caller;
 *  - features(x_t, t) on the host + predictFeatures(h_0): for training, where x_t and t are drawn in
 *    JavaScript anyway (no gather, no concat on the device; a gather costs ~0.6 ms per 256 rows on wasm);
 *  - predictAt(x_t, t) with one t for all rows: for sampling; the embedding's contribution to the
 *    first layer, emb(t)·W_t + b, becomes that layer's bias.
 *
 * The module receives `tf` (docs/architecture.md §4.2): pages pass the fesm bundle, Node tests the CJS package.
 *
 * Longer than the site's ~350 lines on purpose: the three evaluation paths above share one closure
 * over θ, its layout, the embedding table and the Fourier frequencies, and must stay the same
 * function; split apart, each would take that state as arguments and could drift from the others.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {createRng} from "../lib/random.js";
import {initialParams, mlpApply, mlpForward, mlpLayout, unpackParams, type Activation, type MlpLayout, type TransposeMode} from "./dense.js";
import type {Tf} from "./backends.js";

type Tensor1D = tfTypes.Tensor1D;
type Tensor2D = tfTypes.Tensor2D;

/** The architecture of ε_θ. Everything here is saved with the weights. */
export interface DenoiserConfig {
  /** Hidden layer widths, e.g. [128, 128, 128]. */
  hidden: number[];
  /** Width of the sinusoidal embedding of t (even). */
  timeEmbedding: number;
  /**
   * Fourier features of x_t: this many frequencies per coordinate, each giving a sin and a cos
   * (so 4× this many inputs); 0 = off. Frequencies are geometric from 1 to FOURIER_MAX_FREQUENCY.
   */
  fourierFeatures: number;
  /** Seed of the initial weights (the core's createRng). */
  seed: number;
  /** Hidden nonlinearity; default "relu" (one fused op per layer; SiLU costs three). */
  activation?: Activation;
  /** Largest timestep t the embedding table covers (t = 0 … maxT); default 1000, the paper's T. */
  maxT?: number;
}

/**
 * The default model (≈40k parameters). Fourier features of x_t (4 frequencies) let the small MLP
 * draw sharp modes and edges: with them, and sampling from the weights' moving average, the ring
 * reached the data floor in ~500 steps at batch 512 (~5 s on WASM) instead of several thousand.
 */
export const DEFAULT_DENOISER: Readonly<DenoiserConfig> = Object.freeze({
  hidden: [128, 128, 128],
  timeEmbedding: 32,
  fourierFeatures: 4,
  seed: 0,
  activation: "relu",
  maxT: 1000
});

/** A larger option (≈141k parameters, ~3× the time per step), for sharper fits of the harder sets (grid-25, spirals). */
export const LARGE_DENOISER: Readonly<DenoiserConfig> = Object.freeze({...DEFAULT_DENOISER, hidden: [256, 256, 256]});

/** Highest angular frequency of the Fourier features of x_t (data are standardised to unit variance). */
export const FOURIER_MAX_FREQUENCY = 16;

/** The Fourier features' angular frequencies ω_k, k < F: geometric from 1 to FOURIER_MAX_FREQUENCY. */
export function fourierFrequencies(F: number): Float64Array {
  return Float64Array.from({length: F}, (_, k) => (F === 1 ? 1 : Math.pow(FOURIER_MAX_FREQUENCY, k / (F - 1))));
}

/** Anything that predicts ε from (x_t, t): the denoiser, or an exact ε* in tests (the sampler takes either). */
export interface EpsModel {
  /** ε for each row of x_t (n × 2) at integer paper timesteps t (n, int32; 1 … T). */
  predict(xt: Tensor2D, t: Tensor1D): Tensor2D;
  /** Optional fast path: ε for each row of x_t, all at the same timestep t (no gradients). */
  predictAt?(xt: Tensor2D, t: number): Tensor2D;
}

/** One named parameter tensor in a saved model (row-major values). */
export interface SavedTensor {
  name: string;
  shape: number[];
  values: number[];
}

/** A saved model: JSON-serialisable. */
export interface DenoiserWeights {
  format: "ddpm-live/denoiser@1";
  config: DenoiserConfig;
  tensors: SavedTensor[];
}

export interface Denoiser extends EpsModel {
  readonly config: Readonly<DenoiserConfig>;
  /**
   * The trainable variables: one flat vector θ holding every layer's W and b (see dense.ts for why
   * and for the layout). Created inside tidy, never named (names would collide on re-creation).
   */
  readonly variables: tfTypes.Variable[];
  readonly layout: MlpLayout;
  readonly parameterCount: number;
  /** How the backward pass transposes (dense.ts); "auto" picks by backend. Settable for benchmarks. */
  transpose: TransposeMode;
  /** Width of h_0, the MLP's input. */
  readonly inputWidth: number;
  /**
   * h_0 = [x_t, Fourier features, emb(t)] for n points on the host (n × inputWidth, row-major),
   * written into `out` if given. `xt` is flat [x0, y0, …]; `t` holds n integer timesteps 0 … maxT.
   */
  features(xt: ArrayLike<number>, t: ArrayLike<number>, out?: Float32Array): Float32Array;
  /** ε_θ from precomputed features h_0 (n × inputWidth); differentiable with respect to θ. */
  predictFeatures(h0: Tensor2D): Tensor2D;
  /** ε_θ(x_t, t) with one t for every row: the sampling fast path (no gradients). */
  predictAt(xt: Tensor2D, t: number): Tensor2D;
  /** The weights as plain numbers (a synchronous read of θ: rare, e.g. on "save"). */
  getWeights(): DenoiserWeights;
  /** Replaces the weights; throws if the architecture differs or a value is not finite. */
  setWeights(weights: DenoiserWeights): void;
  /** θ as a flat Float32Array (laid out as in dense.ts). */
  getFlat(): Float32Array;
  /** Sets θ from a flat array laid out as in dense.ts. */
  setFlat(values: ArrayLike<number>): void;
  /** Draws fresh initial weights (default: from config.seed, i.e. the same as a new denoiser). */
  reinitialize(seed?: number): void;
  readonly disposed: boolean;
  /** Frees θ and the fixed embedding tensors. */
  dispose(): void;
}

function checkConfig(c: DenoiserConfig): Required<DenoiserConfig> {
  const full: Required<DenoiserConfig> = {activation: "relu", maxT: 1000, ...c, hidden: [...c.hidden]};
  if (!Array.isArray(full.hidden) || full.hidden.length < 1 || !full.hidden.every((h) => Number.isInteger(h) && h >= 1)) {
    throw new Error(`hidden must list at least one integer width ≥ 1, got ${JSON.stringify(c.hidden)}`);
  }
  if (!Number.isInteger(full.timeEmbedding) || full.timeEmbedding < 2 || full.timeEmbedding % 2 !== 0) {
    throw new Error(`timeEmbedding must be an even integer ≥ 2, got ${full.timeEmbedding}`);
  }
  if (!Number.isInteger(full.fourierFeatures) || full.fourierFeatures < 0) {
    throw new Error(`fourierFeatures must be an integer ≥ 0 (0 = off), got ${full.fourierFeatures}`);
  }
  if (!Number.isInteger(full.maxT) || full.maxT < 1) throw new Error(`maxT must be an integer ≥ 1, got ${full.maxT}`);
  if (full.activation !== "relu" && full.activation !== "silu") {
    throw new Error(`activation must be "relu" or "silu", got ${JSON.stringify(full.activation)}`);
  }
  if (typeof full.seed !== "number" || !Number.isFinite(full.seed)) throw new Error(`seed must be a finite number, got ${full.seed}`);
  return full;
}

/**
 * The Transformer sinusoidal embedding of t (Vaswani et al. 2017, as Ho et al. Sec. 4), tabulated
 * for t = 0 … maxT: row t = [sin(t ω_0) … sin(t ω_{h−1}), cos(t ω_0) … cos(t ω_{h−1})] with
 * ω_i = 10000^(−i/(h−1)), h = dim/2. A table turns the embedding into one gather per step.
 */
export function timeEmbeddingTable(maxT: number, dim: number): Float32Array {
  const half = dim / 2;
  const table = new Float32Array((maxT + 1) * dim);
  for (let t = 0; t <= maxT; t++) {
    for (let i = 0; i < half; i++) {
      const omega = half === 1 ? 1 : Math.pow(10000, -i / (half - 1));
      table[t * dim + i] = Math.sin(t * omega);
      table[t * dim + half + i] = Math.cos(t * omega);
    }
  }
  return table;
}

/**
 * The frequency matrix B (2 × 4F) and phases (4F) of the Fourier features: sin(x·B + phase) gives
 * [sin(ω_k x), sin(ω_k y), cos(ω_k x), cos(ω_k y)] blocks (cos as sin shifted by π/2), so the
 * features cost one fused matMul and one sin.
 */
function fourierMatrix(F: number): {B: Float32Array; phase: Float32Array} {
  const width = 4 * F;
  const B = new Float32Array(2 * width);
  const phase = new Float32Array(width);
  const omegas = fourierFrequencies(F);
  for (let k = 0; k < F; k++) {
    const omega = omegas[k];
    for (let d = 0; d < 2; d++) {
      const sinCol = 2 * k + d;
      const cosCol = 2 * F + 2 * k + d;
      B[d * width + sinCol] = omega;
      B[d * width + cosCol] = omega;
      phase[cosCol] = Math.PI / 2;
    }
  }
  return {B, phase};
}

/** Input width of the MLP for a config: x_t (2), the Fourier features (4 per frequency), the time embedding. */
export function inputWidth(c: DenoiserConfig): number {
  return 2 + 4 * c.fourierFeatures + c.timeEmbedding;
}

/** A new ε_θ with initial weights from config.seed. */
export function createDenoiser(tf: Tf, config: DenoiserConfig = DEFAULT_DENOISER): Denoiser {
  const c = checkConfig(config);
  const width = inputWidth(c);
  const F = c.fourierFeatures;
  const nx = 2 + 4 * F; // columns of h_0 that depend on x_t; the embedding of t follows
  const layout = mlpLayout([width, ...c.hidden, 2]);
  const embTable = timeEmbeddingTable(c.maxT, c.timeEmbedding);
  const fourierHost = F > 0 ? fourierMatrix(F) : null;
  const fourierFreqs = fourierFrequencies(F);
  // Everything is created inside tidy: tf.variable(tensor) outside it leaks the initialiser.
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(initialParams(layout, createRng(c.seed))), true)) as tfTypes.Variable<tfTypes.Rank.R1>;
  // Device copies of the embedding table and Fourier matrix, made on first use by predict/predictAt.
  let table: Tensor2D | null = null;
  let fourier: {B: Tensor2D; phase: Tensor1D} | null = null;
  let disposed = false;
  const frozenConfig: Readonly<DenoiserConfig> = Object.freeze({...c, hidden: Object.freeze([...c.hidden]) as number[]});

  const alive = () => {
    if (disposed) throw new Error("this denoiser has been disposed");
  };
  const mlpOptions = () => ({activation: c.activation, transpose: denoiser.transpose});

  /** [x_t, sin(x_t·B + phase)] on the device (n × nx). */
  const deviceXFeatures = (xt: Tensor2D): Tensor2D => {
    if (!fourierHost) return xt;
    fourier ??= tf.tidy(() => ({B: tf.keep(tf.tensor2d(fourierHost.B, [2, 4 * F])), phase: tf.keep(tf.tensor1d(fourierHost.phase))}));
    return tf.concat([xt, tf.sin(tf.fused.matMul({a: xt, b: fourier.B, bias: fourier.phase})) as Tensor2D], 1);
  };

  const setFlat = (values: ArrayLike<number>) => {
    alive();
    if (values.length !== layout.size) throw new Error(`expected ${layout.size} parameters, got ${values.length}`);
    const flat = Float32Array.from(values);
    for (let i = 0; i < flat.length; i++) {
      if (!Number.isFinite(flat[i])) throw new Error(`parameter ${i} is ${flat[i]}: refusing non-finite weights`);
    }
    tf.tidy(() => theta.assign(tf.tensor1d(flat)));
  };

  const checkEmbeddedT = (t: number) => {
    if (!Number.isInteger(t) || t < 0 || t > c.maxT) throw new Error(`t = ${t} is outside the embedding's 0..${c.maxT}`);
  };

  const denoiser: Denoiser = {
    config: frozenConfig,
    variables: [theta],
    layout,
    parameterCount: layout.size,
    inputWidth: width,
    transpose: "auto",
    get disposed() {
      return disposed;
    },

    features(xt: ArrayLike<number>, t: ArrayLike<number>, out?: Float32Array): Float32Array {
      const n = t.length;
      if (xt.length !== 2 * n) throw new Error(`features: ${xt.length} x_t values for ${n} timesteps`);
      const h = out ?? new Float32Array(n * width);
      if (h.length < n * width) throw new Error(`features: out holds ${h.length} values, needs ${n * width}`);
      const d = c.timeEmbedding;
      for (let j = 0; j < n; j++) {
        const row = j * width;
        const x = xt[2 * j];
        const y = xt[2 * j + 1];
        h[row] = x;
        h[row + 1] = y;
        for (let k = 0; k < F; k++) {
          const w = fourierFreqs[k];
          h[row + 2 + 2 * k] = Math.sin(w * x);
          h[row + 3 + 2 * k] = Math.sin(w * y);
          h[row + 2 + 2 * F + 2 * k] = Math.cos(w * x);
          h[row + 3 + 2 * F + 2 * k] = Math.cos(w * y);
        }
        const tj = t[j];
        checkEmbeddedT(tj);
        h.set(embTable.subarray(tj * d, tj * d + d), row + nx);
      }
      return h;
    },

    predictFeatures(h0: Tensor2D): Tensor2D {
      alive();
      return mlpApply(tf, theta, layout, h0, mlpOptions());
    },

    predict(xt: Tensor2D, t: Tensor1D): Tensor2D {
      alive();
      return tf.tidy(() => {
        table ??= tf.keep(tf.tensor2d(embTable, [c.maxT + 1, c.timeEmbedding]));
        // gather needs int32 indices; the table's row t is the embedding of paper timestep t.
        const tIdx = t.dtype === "int32" ? t : tf.cast(t, "int32");
        const h0 = tf.concat([deviceXFeatures(xt), tf.gather(table, tIdx) as Tensor2D], 1);
        return mlpApply(tf, theta, layout, h0, mlpOptions());
      });
    },

    predictAt(xt: Tensor2D, t: number): Tensor2D {
      alive();
      checkEmbeddedT(t);
      return tf.tidy(() => {
        const params = unpackParams(tf, theta, layout);
        const {W, b} = params[0];
        const h1 = c.hidden[0];
        // h_0·W_0 + b_0 = [x features]·W_x + (emb(t)·W_t + b_0): the second term is the same for
        // every row, so it is computed once, as a 1 × h1 row, and used as the bias.
        const Wx = tf.slice(W, [0, 0], [nx, h1]);
        const Wt = tf.slice(W, [nx, 0], [c.timeEmbedding, h1]);
        const emb = tf.tensor2d(embTable.subarray(t * c.timeEmbedding, (t + 1) * c.timeEmbedding), [1, c.timeEmbedding]);
        // add (not a reshape of a fused result) makes fresh rank-1 data: tfjs-wasm's _FusedMatMul
        // checks the rank stored with the bias's data, so a reshaped [1, h1] bias is refused there.
        const bias = tf.add(b, tf.reshape(tf.matMul(emb, Wt), [h1])) as Tensor1D;
        return mlpForward(tf, [{W: Wx, b: bias}, ...params.slice(1)], deviceXFeatures(xt), 0, c.activation);
      });
    },

    getFlat(): Float32Array {
      alive();
      return Float32Array.from(theta.dataSync());
    },

    setFlat,

    getWeights(): DenoiserWeights {
      const flat = denoiser.getFlat();
      // 9 significant digits round-trip every float32 exactly, at about half the JSON of full doubles.
      const take = (offset: number, length: number) => Array.from(flat.subarray(offset, offset + length), (v) => Number(v.toPrecision(9)));
      const tensors: SavedTensor[] = [];
      layout.layers.forEach((L, l) => {
        tensors.push({name: `dense${l}/kernel`, shape: [L.fanIn, L.fanOut], values: take(L.kernelOffset, L.fanIn * L.fanOut)});
        tensors.push({name: `dense${l}/bias`, shape: [L.fanOut], values: take(L.biasOffset, L.fanOut)});
      });
      return {format: "ddpm-live/denoiser@1", config: {...frozenConfig, hidden: [...frozenConfig.hidden]}, tensors};
    },

    setWeights(weights: DenoiserWeights): void {
      alive();
      const other = checkConfig(weights.config);
      const same =
        JSON.stringify([other.hidden, other.timeEmbedding, other.fourierFeatures, other.activation, other.maxT]) ===
        JSON.stringify([c.hidden, c.timeEmbedding, c.fourierFeatures, c.activation, c.maxT]);
      if (!same) {
        throw new Error(`saved weights are for a different architecture (${describe(other)}) than this denoiser (${describe(c)})`);
      }
      const flat = new Float32Array(layout.size);
      layout.layers.forEach((L, l) => {
        for (const [kind, offset, shape] of [
          ["kernel", L.kernelOffset, [L.fanIn, L.fanOut]],
          ["bias", L.biasOffset, [L.fanOut]]
        ] as const) {
          const name = `dense${l}/${kind}`;
          const saved = weights.tensors.find((s) => s.name === name);
          if (!saved) throw new Error(`saved weights lack ${name}`);
          if (JSON.stringify(saved.shape) !== JSON.stringify(shape)) {
            throw new Error(`${name} has shape [${saved.shape}] in the saved weights, expected [${shape}]`);
          }
          const size = shape.reduce((a: number, b: number) => a * b, 1);
          if (saved.values.length !== size) throw new Error(`${name} has ${saved.values.length} values for shape [${shape}]`);
          flat.set(saved.values, offset);
        }
      });
      setFlat(flat);
    },

    reinitialize(seed = c.seed): void {
      setFlat(initialParams(layout, createRng(seed)));
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      theta.dispose();
      table?.dispose();
      fourier?.B.dispose();
      fourier?.phase.dispose();
      table = fourier = null;
    }
  };
  return denoiser;
}

function describe(c: Required<DenoiserConfig>): string {
  const fourier = c.fourierFeatures > 0 ? `, ${c.fourierFeatures} Fourier frequencies` : "";
  return `hidden [${c.hidden.join(", ")}], ${c.activation}, time embedding ${c.timeEmbedding}${fourier}, maxT ${c.maxT}`;
}

/** A denoiser rebuilt from saved weights (getWeights() output, possibly through JSON). */
export function loadDenoiser(tf: Tf, weights: DenoiserWeights): Denoiser {
  if (weights == null || typeof weights !== "object" || !weights.config || !Array.isArray(weights.tensors)) {
    throw new Error("not a saved denoiser: expected {config, tensors}");
  }
  const denoiser = createDenoiser(tf, weights.config);
  try {
    denoiser.setWeights(weights);
  } catch (error) {
    denoiser.dispose();
    throw error;
  }
  return denoiser;
}
