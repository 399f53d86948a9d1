/**
 * Training by Algorithm 1 of Ho et al. 2020: repeat { x_0 ~ q(x_0); t ~ Uniform{1 … T}; ε ~ N(0, I);
 * a gradient step on ‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖² } with Adam.
 *
 * Design for a UI (docs/architecture.md §5): `steps(k)` queues k steps without reading
 * anything back, then reads their k losses in one asynchronous `data()`: call it once per animation
 * frame, then `await tf.nextFrame()` (on cpu/wasm the read resolves at once, so the page paints only
 * if the loop yields), choosing k from report.stepsPerSecond to fill ~10 ms. `step()` is the
 * synchronous single step (tests, a "step" button on cpu/wasm; never in a loop on a GPU backend).
 *
 * Randomness (batch indices, t, ε) comes from the core's seeded RNG and x_t (Eq. 4) is formed in
 * float64 in JavaScript, then uploaded: the same seed gives the same batches on every backend, and
 * the step needs no gather/mul/add ops on the device for Eq. 4.
 *
 * The objective's per-t weights (LossKind) are the core's lossWeights (src/lib/loss-weights.ts);
 * the optimiser is adam.ts; the divergence guard and its rollback are rollback.ts, the loss EMA and
 * the report loss-log.ts (both shared with the kernel's trainer); the options,
 * their defaults and checks (shared with the kernel's trainer) are trainer-options.ts.
 *
 * Longer than the site's ~350 lines on purpose: the Trainer interface both trainers implement is
 * written out here, and createTrainer is one closure over θ, Adam's moments, the batch buffers and
 * the counters that step, steps, inspectStep, configure and reset all share.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {lossWeights} from "../lib/loss-weights.js";
import {createRng, type Rng} from "../lib/random.js";
import {adamUpdate} from "./adam.js";
import type {Tf} from "./backends.js";
import {weightedSquaredError} from "./dense.js";
import type {Denoiser} from "./denoiser.js";
import {createLossLog} from "./loss-log.js";
import {createRollback} from "./rollback.js";
import {applySettings, checkLearningRate, resolveTrainerOptions, type ResolvedTrainerOptions, type TrainerOptions, type TrainerSettings} from "./trainer-options.js";

export type {ResolvedTrainerOptions, TrainerOptions, TrainerSettings} from "./trainer-options.js";

type Scalar = tfTypes.Scalar;
type Tensor = tfTypes.Tensor;

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

/**
 * One step of Algorithm 1 with its intermediates read back (inspectStep): what each line of the
 * algorithm drew or computed, for every example j of the batch.
 */
export interface TrainStepDetail {
  /** The step's number (1 for the first step since creation or reset). */
  step: number;
  /** The batch's loss (the value step() returns). */
  loss: number;
  /** Index into the training data of each example's x_0. */
  index: Int32Array;
  /** x_0 of each example, flat [x, y, …] (line 2). */
  x0: Float64Array;
  /** t of each example (line 3). */
  t: Int32Array;
  /** ε of each example, flat (line 4). */
  eps: Float32Array;
  /** x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, flat (Eq. 4, in float64 as the step forms it). */
  xt: Float64Array;
  /** ε_θ(x_t, t) with θ before the update, flat. */
  epsTheta: Float32Array;
  /** ‖∇_θ loss‖ (Euclidean norm over all parameters). */
  gradNorm: number;
  /** ‖θ_after − θ_before‖: how far the step moved the parameters. */
  paramChange: number;
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
  /**
   * step() with its intermediates read back synchronously (the algorithm stepper; cpu/wasm): the same
   * batch, the same update and the same θ afterwards as step() would give. Throws DivergenceError.
   */
  inspectStep(): TrainStepDetail;
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

/** A trainer for `denoiser` on `data` (Algorithm 1). */
export function createTrainer(tf: Tf, options: TrainerOptions): Trainer {
  const {denoiser, schedule, data} = options;
  // ε defaults to the backend's (1e-7 in float32, 1e-4 in float16), as tf.train.adam: 1e-8
  // would underflow to 0 on float16 WebGL and turn the update into NaN.
  const opts = resolveTrainerOptions(options, tf.backend().epsilon());

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
  // The moving average of θ, started at θ's initial value.
  const thetaAverage = tf.tidy(() => tf.variable(theta.clone(), false));

  // Host-side buffers reused every step (reallocated when configure() changes the batch size).
  let xtBuf = new Float64Array(2 * B);
  let h0Buf = new Float32Array(B * denoiser.inputWidth);
  let epsBuf = new Float32Array(2 * B);
  let tBuf = new Int32Array(B);
  let wBuf = new Float32Array(B);
  let idxBuf = new Int32Array(B);

  let rng: Rng = createRng(opts.seed);
  let stepCount = 0;
  let busy = false;
  let disposed = false;
  const log = createLossLog(opts);
  // Rollback points for the divergence guard (rollback.ts): the state at the start of each call,
  // and the latest state a finite loss certified.
  const rollback = createRollback(tf, {theta, m, v}, thetaAverage);

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
      idxBuf[j] = idx;
      if (weighted) wBuf[j] = weightTable[t - 1] / B; // the 1/B of the batch mean rides on the weight
    }
  };

  /**
   * One step of Algorithm 1; returns the loss as a tensor (not read back). With `probe`, it also
   * reads the step's intermediates into it (synchronous reads, for inspectStep); the step itself
   * is the same either way.
   */
  const trainStep = (probe?: Partial<TrainStepDetail>): Scalar => {
    drawBatch();
    const k = stepCount + 1;
    const loss = tf.tidy(() => {
      // h_0 = [x_t, features of x_t, emb(t)] is built on the host (no gather/concat on the device).
      const h0 = tf.tensor2d(denoiser.features(xtBuf, tBuf, h0Buf), [B, denoiser.inputWidth]);
      const eps = tf.tensor2d(epsBuf, [B, 2]);
      const w = weighted ? tf.tensor2d(wBuf, [B, 1]) : null;
      const before = probe ? theta.clone() : null;
      // L_simple (Eq. 14) or its weighted forms (Eq. 12), as a mean over the batch.
      const {value, grads} = tf.variableGrads(() => {
        const prediction = denoiser.predictFeatures(h0);
        if (probe) probe.epsTheta = Float32Array.from(prediction.dataSync());
        return weightedSquaredError(tf, prediction, eps, w);
      }, [theta]);
      const g = grads[theta.name];
      if (probe) probe.gradNorm = tf.norm(g).dataSync()[0];
      adamUpdate(tf, {theta, m, v}, g, k, {...opts.adam, learningRate: opts.learningRate});
      if (opts.weightAverage > 0) thetaAverage.assign(tf.add(tf.mul(thetaAverage, opts.weightAverage), tf.mul(theta, 1 - opts.weightAverage)));
      if (probe && before) {
        probe.paramChange = tf.norm(tf.sub(theta, before)).dataSync()[0];
        probe.index = idxBuf.slice(0, B);
        probe.t = tBuf.slice(0, B);
        probe.eps = epsBuf.slice(0, 2 * B);
        probe.xt = xtBuf.slice(0, 2 * B);
        probe.x0 = new Float64Array(2 * B);
        for (let j = 0; j < B; j++) for (let d = 0; d < 2; d++) probe.x0[2 * j + d] = data[2 * idxBuf[j] + d];
      }
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
    rollback.begin(stepCount);
  };

  /**
   * Takes the losses of the steps run since the call began into the loss EMA and the report. A
   * divergent loss rolls θ, Adam's moments and the step count back (rollback.ts) and throws.
   */
  const commit = (losses: Float32Array, ms: number): TrainReport => {
    const report = log.take(losses, ms, stepCount, (bad) => (stepCount = rollback.restore(bad)));
    if (losses.length > 0) rollback.certify();
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
      return log.report;
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

    inspectStep(): TrainStepDetail {
      begin();
      const t0 = performance.now();
      const probe: Partial<TrainStepDetail> = {};
      const loss = trainStep(probe);
      const value = loss.dataSync()[0];
      loss.dispose();
      commit(Float32Array.of(value), performance.now() - t0);
      return {...(probe as TrainStepDetail), step: stepCount, loss: value};
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
      if (disposed || denoiser.disposed) return log.report; // disposed while waiting for the read
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
      weightTable = applySettings(opts, changes, schedule);
      weighted = opts.loss !== "simple";
      if (opts.batchSize !== B) {
        B = opts.batchSize;
        xtBuf = new Float64Array(2 * B);
        h0Buf = new Float32Array(B * denoiser.inputWidth);
        epsBuf = new Float32Array(2 * B);
        tBuf = new Int32Array(B);
        wBuf = new Float32Array(B);
        idxBuf = new Int32Array(B);
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
      log.reset();
      rollback.reset(stepCount);
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      m.dispose();
      v.dispose();
      thetaAverage.dispose();
      rollback.dispose();
    }
  };
  return trainer;
}
