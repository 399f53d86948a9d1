/**
 * Training by Algorithm 1 of Ho et al. 2020: repeat { x_0 ~ q(x_0); t ~ Uniform{1 … T}; ε ~ N(0, I);
 * a gradient step on ‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖² } with Adam.
 *
 * Design for a UI (GUIDE §2, ecosystem notes A3.3): `steps(k)` queues k steps without reading
 * anything back, then reads their k losses in one asynchronous `data()`: call it once per animation
 * frame, then `await tf.nextFrame()` (on cpu/wasm the read resolves at once, so the page paints only
 * if the loop yields), choosing k from report.stepsPerSecond to fill ~10 ms. `step()` is the
 * synchronous single step (tests, a "step" button on cpu/wasm; never in a loop on a GPU backend).
 *
 * Randomness (batch indices, t, ε) comes from the core's seeded RNG and x_t (Eq. 4) is formed in
 * float64 in JavaScript, then uploaded: the same seed gives the same batches on every backend, and
 * the step needs no gather/mul/add ops on the device for Eq. 4.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {lSimpleWeight} from "../lib/posterior.js";
import {createRng, type Rng} from "../lib/random.js";
import type {Schedule, Sigma2Kind} from "../lib/schedule.js";
import {weightedSquaredError} from "./dense.js";
import type {Denoiser} from "./denoiser.js";

type Tf = typeof tfTypes;
type Scalar = tfTypes.Scalar;
type Tensor = tfTypes.Tensor;

/**
 * Which objective:
 *  - "simple": L_simple (Eq. 14), E_t,x_0,ε ‖ε − ε_θ‖², the paper's choice;
 *  - "vlb": the true bound's weighting (Eq. 12), λ_t‖ε − ε_θ‖² with λ_t = β_t²/(2σ_t²α_t(1 − ᾱ_t))
 *    from the core's lSimpleWeight (t = 1 is the decoder L_0's weight), i.e. Σ_t L_{t−1} up to
 *    constants, estimated with uniform t;
 *  - "hybrid": L_simple + c·L_vlb (Nichol & Dhariwal 2021, c = 0.001), L_vlb = Σ_t L_{t−1} = T·E_t[…],
 *    so each example is weighted 1 + c·T·λ_t. (They learn Σ_θ and stop L_vlb's gradient into the
 *    mean; with σ_t fixed here it only reweights the ε error.)
 * The per-example weights of "vlb" and "hybrid" are divided by their mean over t, so that
 * E_t[weight] = 1 as for L_simple and the same learning rate works for all three; the reported
 * loss is on that normalised scale.
 */
export type LossKind = "simple" | "vlb" | "hybrid";

export interface TrainerOptions {
  denoiser: Denoiser;
  schedule: Schedule;
  /** Training points, flat [x0, y0, x1, y1, …]; batches are drawn from them with replacement. */
  data: Float64Array | Float32Array;
  batchSize?: number;
  learningRate?: number;
  loss?: LossKind;
  /** Seed of the batches, t and ε (the core's createRng). Weights come from the denoiser's seed. */
  seed?: number;
  /** σ_t² in λ_t of the "vlb"/"hybrid" weights (Sec. 3.2); default "betaTilde". */
  sigma2Kind?: Sigma2Kind;
  /** c of "hybrid"; default 0.001 (Nichol & Dhariwal 2021). */
  hybridWeight?: number;
  adam?: {beta1?: number; beta2?: number; epsilon?: number};
  /** Decay of the loss EMA reported to the UI (bias-corrected like Adam's moments); default 0.99. */
  emaDecay?: number;
  /**
   * Decay per step of the exponential moving average of the weights that samples and the bound
   * are computed with (0 = off); default 0.99. Ho et al. sample from an EMA of the weights too
   * (decay 0.9999 over 800k steps, Appendix B); for runs of a few thousand steps 0.99 averages
   * out Adam's noise over ~100 steps.
   */
  weightAverage?: number;
  /** Divergence: stop when the loss exceeds this multiple of the first step's loss; default 1e3. */
  divergenceFactor?: number;
}

/** What a UI shows after a call to step/steps. */
export interface TrainReport {
  /** Steps taken since creation or reset. */
  step: number;
  /** The raw loss of the last step (one minibatch: noisy). */
  loss: number;
  /** Bias-corrected exponential moving average of the raw losses. */
  lossEma: number;
  /** The raw losses of the steps this call ran, in order. */
  losses: Float32Array;
  /** Steps per second over this call, read-back included. */
  stepsPerSecond: number;
  /** Milliseconds spent in step()/steps() since creation or reset. */
  elapsedMs: number;
}

/** Thrown when training diverges. The denoiser's weights are restored to the last state known to be good. */
export class DivergenceError extends Error {
  constructor(
    message: string,
    readonly step: number,
    readonly loss: number,
    readonly learningRate: number,
    /** The step count after the rollback (the state the weights were restored to). */
    readonly restoredStep: number
  ) {
    super(message);
    this.name = "DivergenceError";
  }
}

/** What configure() can change on a running trainer. */
export type TrainerSettings = Partial<Pick<ResolvedTrainerOptions, "learningRate" | "batchSize" | "loss" | "sigma2Kind">>;

/** The options in force, defaults filled in. */
export interface ResolvedTrainerOptions {
  batchSize: number;
  learningRate: number;
  loss: LossKind;
  seed: number;
  sigma2Kind: Sigma2Kind;
  hybridWeight: number;
  emaDecay: number;
  weightAverage: number;
  divergenceFactor: number;
  adam: {beta1: number; beta2: number; epsilon: number};
}

export interface Trainer {
  readonly options: Readonly<ResolvedTrainerOptions>;
  readonly denoiser: Denoiser;
  readonly stepCount: number;
  /** The latest report (zeros before the first step). */
  readonly report: TrainReport;
  /** The normalised per-t loss weights in use, index i ↔ t = i + 1 (all 1 for "simple"). */
  readonly lossWeights: Float64Array;
  /**
   * Runs `work` with the denoiser's weights set to their moving average (weightAverage), then puts
   * the trained weights back. Sampling and the bound use it; training never sees the average.
   */
  withAveragedWeights<T>(work: () => T | Promise<T>): Promise<T>;
  /** One step of Algorithm 1 with a synchronous loss read; returns the loss. Throws DivergenceError. */
  step(): number;
  /** k steps, their losses read back once and asynchronously. Rejects with DivergenceError. */
  steps(k: number): Promise<TrainReport>;
  /** Changes Adam's learning rate from the next step on (e.g. after a DivergenceError). */
  setLearningRate(lr: number): void;
  /**
   * Changes the learning rate, the batch size, the loss weighting or σ_t² of its weights from the
   * next step on. θ, its moving average, Adam's moments and the step count stay: a reader can
   * follow "lower the learning rate and continue" without losing the model.
   */
  configure(changes: TrainerSettings): void;
  /** Reinitialises the denoiser's weights (from its config seed), Adam's state, the RNG and the counters. */
  reset(): void;
  /** Frees Adam's moment vectors and the rollback snapshots (not the denoiser: its owner disposes it). */
  dispose(): void;
}

/**
 * The per-t weights of an objective, normalised to mean 1 over t (see LossKind); index i ↔ t = i + 1.
 */
export function lossWeights(schedule: Schedule, loss: LossKind, sigma2Kind: Sigma2Kind = "betaTilde", hybridWeight = 0.001): Float64Array {
  const T = schedule.T;
  const w = new Float64Array(T);
  if (loss === "simple") return w.fill(1);
  if (loss !== "vlb" && loss !== "hybrid") throw new Error(`loss must be "simple", "vlb" or "hybrid", got ${JSON.stringify(loss)}`);
  for (let t = 1; t <= T; t++) {
    const lambda = lSimpleWeight(schedule, t, sigma2Kind); // Eq. 12's weight of ‖ε − ε_θ‖²
    w[t - 1] = loss === "vlb" ? lambda : 1 + hybridWeight * T * lambda;
  }
  let mean = 0;
  for (let i = 0; i < T; i++) mean += w[i] / T;
  for (let i = 0; i < T; i++) w[i] /= mean;
  return w;
}

/**
 * One Adam step (Kingma & Ba 2015, Alg. 1) on a flat parameter vector, the k-th (k ≥ 1):
 * θ −= lr/(1−β₁ᵏ) · m / (√(v/(1−β₂ᵏ)) + ε), i.e. tf.train.adam's lr·m̂/(√v̂ + ε) with the first bias
 * correction folded into the step size: ~13 ops for all parameters at once, where tf.train.adam
 * spends ~14 per variable. ε is added unscaled, as tf does, so that the backend's float16 ε (1e-4)
 * stays representable. Call inside tf.tidy.
 */
export function adamUpdate(
  tf: Tf,
  state: {theta: tfTypes.Variable; m: tfTypes.Variable; v: tfTypes.Variable},
  g: Tensor,
  k: number,
  hyper: {learningRate: number; beta1: number; beta2: number; epsilon: number}
): void {
  const {theta, m, v} = state;
  const {learningRate, beta1, beta2, epsilon} = hyper;
  const stepSize = learningRate / (1 - Math.pow(beta1, k));
  const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  m.assign(mNew);
  v.assign(vNew);
  const denom = tf.add(tf.sqrt(tf.mul(vNew, 1 / (1 - Math.pow(beta2, k)))), epsilon);
  theta.assign(tf.sub(theta, tf.mul(tf.div(mNew, denom), stepSize)));
}

/** θ, Adam's moments and the counters at one moment: a rollback point. Clones share storage until θ is reassigned. */
interface Snapshot {
  theta: Tensor;
  m: Tensor;
  v: Tensor;
  step: number;
}

/** A trainer for `denoiser` on `data` (Algorithm 1). */
export function createTrainer(tf: Tf, options: TrainerOptions): Trainer {
  const {denoiser, schedule, data} = options;
  const opts: ResolvedTrainerOptions = {
    batchSize: options.batchSize ?? 256,
    learningRate: options.learningRate ?? 1e-3,
    loss: options.loss ?? "simple",
    seed: options.seed ?? 0,
    sigma2Kind: options.sigma2Kind ?? "betaTilde",
    hybridWeight: options.hybridWeight ?? 0.001,
    emaDecay: options.emaDecay ?? 0.99,
    weightAverage: options.weightAverage ?? 0.99,
    divergenceFactor: options.divergenceFactor ?? 1e3,
    // ε defaults to the backend's (1e-7 in float32, 1e-4 in float16), as tf.train.adam: 1e-8
    // would underflow to 0 on float16 WebGL and turn the update into NaN.
    adam: {beta1: options.adam?.beta1 ?? 0.9, beta2: options.adam?.beta2 ?? 0.999, epsilon: options.adam?.epsilon ?? tf.backend().epsilon()}
  };
  if (denoiser.disposed) throw new Error("the denoiser has been disposed");
  checkBatchSize(opts.batchSize);
  checkLearningRate(opts.learningRate);
  if (data.length < 2 || data.length % 2 !== 0) throw new Error(`data must hold at least one 2D point, flat [x0, y0, …]; got ${data.length} values`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new Error(`data[${i}] is ${data[i]}`);
  }
  const maxT = denoiser.config.maxT ?? 1000;
  if (schedule.T > maxT) throw new Error(`the schedule has T = ${schedule.T} but the denoiser's time embedding stops at maxT = ${maxT}`);

  const T = schedule.T;
  let B = opts.batchSize;
  const nPoints = data.length / 2;
  let weightTable = lossWeights(schedule, opts.loss, opts.sigma2Kind, opts.hybridWeight);
  let weighted = opts.loss !== "simple";
  const theta = denoiser.variables[0];
  const P = theta.size;
  const newMoment = () => tf.tidy(() => tf.variable(tf.zeros([P]), false));
  const m = newMoment();
  const v = newMoment();
  if (!(opts.weightAverage >= 0 && opts.weightAverage < 1)) throw new Error(`weightAverage must be in [0, 1), got ${opts.weightAverage}`);
  // The moving average of θ, started at θ's initial value.
  const thetaAverage = tf.tidy(() => tf.variable(theta.clone(), false));

  // Host-side buffers reused every step (reallocated when configure() changes the batch size).
  let xtBuf = new Float64Array(2 * B);
  let h0Buf = new Float32Array(B * denoiser.inputWidth);
  let epsBuf = new Float32Array(2 * B);
  let tBuf = new Int32Array(B);
  let wBuf = new Float32Array(B);

  let rng: Rng = createRng(opts.seed);
  let stepCount = 0;
  let firstLoss = NaN;
  let ema = 0;
  let emaSteps = 0;
  let elapsedMs = 0;
  let busy = false;
  let disposed = false;
  let report: TrainReport = {step: 0, loss: NaN, lossEma: NaN, losses: new Float32Array(0), stepsPerSecond: 0, elapsedMs: 0};
  // Rollback points. The loss of step s is computed with the weights from before step s's update,
  // so a finite loss certifies the weights it saw. `pending` is the state when the current call
  // began; `good` the latest state certified finite (see commit/rollback).
  let good: Snapshot | null = null;
  let pending: Snapshot | null = null;

  const snapshot = (): Snapshot => tf.tidy(() => ({theta: tf.keep(theta.clone()), m: tf.keep(m.clone()), v: tf.keep(v.clone()), step: stepCount}));
  const freeSnapshot = (s: Snapshot | null) => {
    if (s) tf.dispose([s.theta, s.m, s.v]);
  };
  good = snapshot();

  /** Fills the host buffers with one batch: x_0 from the data, t ~ U{1..T}, ε ~ N(0, I), x_t by Eq. 4. */
  const drawBatch = () => {
    for (let j = 0; j < B; j++) {
      const idx = Math.min(nPoints - 1, Math.floor(rng.uniform() * nPoints));
      const t = 1 + Math.min(T - 1, Math.floor(rng.uniform() * T));
      const a = schedule.sqrtAlphaBar[t - 1];
      const s = schedule.sqrtOneMinusAlphaBar[t - 1];
      for (let d = 0; d < 2; d++) {
        const e = rng.normal();
        epsBuf[2 * j + d] = e;
        xtBuf[2 * j + d] = a * data[2 * idx + d] + s * e; // Eq. 4: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, in float64
      }
      tBuf[j] = t;
      if (weighted) wBuf[j] = weightTable[t - 1] / B; // the 1/B of the batch mean rides on the weight
    }
  };

  /** One step of Algorithm 1; returns the loss as a tensor (not read back). */
  const trainStep = (): Scalar => {
    drawBatch();
    const k = stepCount + 1;
    const loss = tf.tidy(() => {
      // h_0 = [x_t, features of x_t, emb(t)] is built on the host (no gather/concat on the device).
      const h0 = tf.tensor2d(denoiser.features(xtBuf, tBuf, h0Buf), [B, denoiser.inputWidth]);
      const eps = tf.tensor2d(epsBuf, [B, 2]);
      const w = weighted ? tf.tensor2d(wBuf, [B, 1]) : null;
      // L_simple (Eq. 14) or its weighted forms (Eq. 12), as a mean over the batch.
      const {value, grads} = tf.variableGrads(() => weightedSquaredError(tf, denoiser.predictFeatures(h0), eps, w), [theta]);
      adamUpdate(tf, {theta, m, v}, grads[theta.name], k, {...opts.adam, learningRate: opts.learningRate});
      if (opts.weightAverage > 0) thetaAverage.assign(tf.add(tf.mul(thetaAverage, opts.weightAverage), tf.mul(theta, 1 - opts.weightAverage)));
      return value;
    });
    stepCount = k;
    return loss;
  };

  const alive = () => {
    if (disposed) throw new Error("this trainer has been disposed");
    if (denoiser.disposed) throw new Error("the trainer's denoiser has been disposed");
  };

  const begin = () => {
    alive();
    if (busy) throw new Error("the trainer is already running steps(): await it before starting more");
    freeSnapshot(pending);
    pending = snapshot();
  };

  /** Restores θ, Adam's moments and the step count from a snapshot. */
  const restore = (s: Snapshot) => {
    theta.assign(s.theta as tfTypes.Tensor1D);
    m.assign(s.m as tfTypes.Tensor1D);
    v.assign(s.v as tfTypes.Tensor1D);
    // The average may hold the bad weights' values: restart it at the restored weights.
    thetaAverage.assign(s.theta as tfTypes.Tensor1D);
    stepCount = s.step;
  };

  /**
   * Checks the losses of the steps run since `pending` was taken. All fine: the state at `pending`
   * is certified (its loss was finite) and becomes `good`. Divergence at the i-th loss: the weights
   * it saw are bad; roll back to `pending` if i > 0 (certified by the first loss), else to `good`.
   */
  const commit = (losses: Float32Array, ms: number): TrainReport => {
    const start = stepCount - losses.length;
    elapsedMs += ms;
    if (start === 0 && losses.length > 0) firstLoss = losses[0];
    for (let i = 0; i < losses.length; i++) {
      const value = losses[i];
      const blewUp = Number.isFinite(firstLoss) && value > opts.divergenceFactor * firstLoss;
      if (!Number.isFinite(value) || blewUp) {
        const at = start + i + 1;
        const target = i > 0 ? pending! : good!;
        restore(target);
        const what = Number.isFinite(value)
          ? `loss rose to ${value.toPrecision(3)} at step ${at}, over ${opts.divergenceFactor}× its first value ${firstLoss.toPrecision(3)}`
          : `loss became ${value} at step ${at}`;
        const rollback = at === 1 ? "the weights were not changed" : `the weights were restored to step ${target.step}`;
        const advice = at === 1
          ? "the initial weights or the data give a non-finite loss: check the data for huge values and the saved weights"
          : "lower the learning rate (e.g. by 10×) and continue, or reset";
        throw new DivergenceError(`Training diverged: ${what} (learning rate ${opts.learningRate}): ${advice}; ${rollback}.`, at, value, opts.learningRate, target.step);
      }
      emaSteps++;
      ema = opts.emaDecay * ema + (1 - opts.emaDecay) * value;
    }
    if (losses.length > 0 && pending) {
      freeSnapshot(good);
      good = pending;
      pending = null;
    }
    report = {
      step: stepCount,
      loss: losses.length ? losses[losses.length - 1] : report.loss,
      lossEma: emaSteps ? ema / (1 - Math.pow(opts.emaDecay, emaSteps)) : NaN,
      losses,
      stepsPerSecond: ms > 0 ? (1000 * losses.length) / ms : 0,
      elapsedMs
    };
    return report;
  };

  const trainer: Trainer = {
    options: opts,
    denoiser,
    get lossWeights() {
      return weightTable;
    },
    get stepCount() {
      return stepCount;
    },
    get report() {
      return report;
    },

    step(): number {
      begin();
      const t0 = performance.now();
      const loss = trainStep();
      const value = loss.dataSync()[0]; // a synchronous read: fine on cpu/wasm; use steps() on GPUs
      loss.dispose();
      commit(Float32Array.of(value), performance.now() - t0);
      return value;
    },

    async steps(k: number): Promise<TrainReport> {
      if (!Number.isInteger(k) || k < 1) throw new Error(`steps(k): k must be an integer ≥ 1, got ${k}`);
      begin();
      busy = true;
      const t0 = performance.now();
      let values: Float32Array;
      try {
        const losses: Scalar[] = [];
        let stacked: Tensor;
        try {
          for (let i = 0; i < k; i++) losses.push(trainStep());
          stacked = tf.tidy(() => tf.stack(losses));
        } finally {
          tf.dispose(losses);
        }
        try {
          values = Float32Array.from(await stacked.data()); // the one read-back of this call
        } finally {
          stacked.dispose();
        }
      } finally {
        busy = false;
      }
      if (disposed || denoiser.disposed) return report; // disposed while waiting for the read
      return commit(values, performance.now() - t0);
    },

    async withAveragedWeights<T>(work: () => T | Promise<T>): Promise<T> {
      alive();
      if (busy) throw new Error("the trainer is running steps(): await it first");
      if (opts.weightAverage === 0 || stepCount === 0) return await work();
      const trained = tf.tidy(() => tf.keep(theta.clone()));
      theta.assign(thetaAverage);
      try {
        return await work();
      } finally {
        theta.assign(trained);
        trained.dispose();
      }
    },

    setLearningRate(lr: number): void {
      checkLearningRate(lr);
      opts.learningRate = lr;
    },

    configure(changes: TrainerSettings): void {
      alive();
      if (busy) throw new Error("the trainer is running steps(): await it before configure()");
      const next = {...opts, ...changes};
      checkLearningRate(next.learningRate);
      checkBatchSize(next.batchSize);
      const table = lossWeights(schedule, next.loss, next.sigma2Kind, next.hybridWeight); // throws on an unknown loss
      Object.assign(opts, {learningRate: next.learningRate, batchSize: next.batchSize, loss: next.loss, sigma2Kind: next.sigma2Kind});
      weightTable = table;
      weighted = opts.loss !== "simple";
      if (opts.batchSize !== B) {
        B = opts.batchSize;
        xtBuf = new Float64Array(2 * B);
        h0Buf = new Float32Array(B * denoiser.inputWidth);
        epsBuf = new Float32Array(2 * B);
        tBuf = new Int32Array(B);
        wBuf = new Float32Array(B);
      }
    },

    reset(): void {
      alive();
      if (busy) throw new Error("the trainer is running steps(): await it before reset()");
      denoiser.reinitialize();
      tf.tidy(() => {
        m.assign(tf.zeros([P]));
        v.assign(tf.zeros([P]));
      });
      thetaAverage.assign(theta);
      rng = createRng(opts.seed);
      stepCount = 0;
      firstLoss = NaN;
      ema = 0;
      emaSteps = 0;
      elapsedMs = 0;
      report = {step: 0, loss: NaN, lossEma: NaN, losses: new Float32Array(0), stepsPerSecond: 0, elapsedMs: 0};
      freeSnapshot(pending);
      pending = null;
      freeSnapshot(good);
      good = snapshot();
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      m.dispose();
      v.dispose();
      thetaAverage.dispose();
      freeSnapshot(good);
      freeSnapshot(pending);
      good = pending = null;
    }
  };
  return trainer;
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be an integer ≥ 1, got ${batchSize}`);
}

function checkLearningRate(lr: number): void {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) throw new Error(`learningRate must be a finite number > 0, got ${lr}`);
}
