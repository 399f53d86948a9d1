/**
 * Algorithm 1 on the WebAssembly SIMD kernel: the same Trainer as ../trainer.ts (same options,
 * batches, Adam, weight average, divergence guard and reports), with each step's arithmetic in
 * the kernel (mlp.ts) instead of ~50 tfjs ops. The batches come from the same seeded RNG in the
 * same order and h_0 from the denoiser's own features(), so a seed trains the same way on both,
 * up to float32 rounding.
 *
 * θ, Adam's moments and the moving average live in the kernel's memory. After every call that
 * trains, θ is copied into the denoiser's tfjs variable, so everything that reads the denoiser
 * (the ledger, getWeights, the worker's snapshots) sees the trained weights; withAveragedWeights
 * puts the average there for the duration of its work, as the tfjs trainer does.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {createRng, type Rng} from "../../lib/random.js";
import {lossWeights} from "../../lib/loss-weights.js";
import {createLossLog} from "../loss-log.js";
import type {Trainer, TrainReport} from "../trainer.js";
import {applySettings, checkLearningRate, resolveTrainerOptions, type TrainerOptions, type TrainerSettings} from "../trainer-options.js";
import {kernelSupport, loadKernel, type KernelFlavour, type LoadedKernel} from "./load.js";
import {MlpKernel} from "./mlp.js";
import type {HelperReply, KernelHelper} from "./threads.js";

/** Below this batch size a step stays on one thread (measured: the messages would cost more than they save). */
export const MIN_BATCH_TO_SPLIT = 256;

type Tf = typeof tfTypes;

/** A rollback point: θ, Adam's moments and the step count (host copies). */
interface Snapshot {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
  step: number;
}

export interface KernelTrainer extends Trainer {
  /** Which kernel build runs the steps. */
  readonly flavour: KernelFlavour;
  /** Threads a step of steps() uses (step() always uses one). */
  readonly threads: 1 | 2;
}

/**
 * A trainer whose steps run on the kernel, each batch split over two threads when given a helper
 * (threads.ts) and the batch is large enough. Rejects (saying why) where the kernel cannot run: no
 * WebAssembly SIMD here, or an architecture it does not implement (kernelSupport).
 */
export async function createKernelTrainer(tf: Tf, options: TrainerOptions & {kernel?: LoadedKernel; helper?: KernelHelper | null}): Promise<KernelTrainer> {
  const {denoiser, schedule, data} = options;
  // The kernel computes in float32: tfjs's float32 ε, as the tfjs trainer uses on cpu and wasm.
  const opts = resolveTrainerOptions(options, 1e-7);
  const unsupported = kernelSupport(denoiser.config);
  if (unsupported) throw new Error(unsupported);

  const loaded = options.kernel ?? (await loadKernel());
  const mlp = await MlpKernel.create(loaded, denoiser.layout);
  const helper = options.helper ?? null;
  // The helper's kernel is made whatever the batch size (configure() may raise it past MIN_BATCH_TO_SPLIT).
  const remote = helper?.ok ? await helper.createKernel(loaded.flavour, denoiser.layout.sizes, null) : null;
  const T = schedule.T;
  let B = opts.batchSize;
  const nPoints = data.length / 2;
  let weightTable = lossWeights(schedule, opts.loss, opts.sigma2Kind, opts.hybridWeight);
  let weighted = opts.loss !== "simple";
  const thetaVar = denoiser.variables[0];
  mlp.setTheta(denoiser.getFlat(), {average: true});

  let xtBuf = new Float64Array(2 * B);
  let tBuf = new Int32Array(B);

  let rng: Rng = createRng(opts.seed);
  let stepCount = 0;
  let busy = false;
  let disposed = false;
  const log = createLossLog(opts);
  let good: Snapshot | null = null;
  let pending: Snapshot | null = null;

  const snapshot = (): Snapshot => {
    const {m, v} = mlp.momentViews();
    return {theta: mlp.thetaView().slice(), m: m.slice(), v: v.slice(), step: stepCount};
  };
  good = snapshot();

  /** θ from the kernel into the denoiser's variable (what every tfjs reader of the denoiser sees). */
  const publish = (values: Float32Array = mlp.thetaView()) => {
    tf.tidy(() => thetaVar.assign(tf.tensor1d(values)));
  };

  /** One batch into the kernel's input buffers: x_0 from the data, t ~ U{1..T}, ε ~ N(0, I), x_t by Eq. 4. */
  const drawBatch = () => {
    const {h0, target, weights} = mlp.batchViews(B);
    for (let j = 0; j < B; j++) {
      const idx = Math.min(nPoints - 1, Math.floor(rng.uniform() * nPoints));
      const t = 1 + Math.min(T - 1, Math.floor(rng.uniform() * T));
      const a = schedule.sqrtAlphaBar[t - 1];
      const s = schedule.sqrtOneMinusAlphaBar[t - 1];
      for (let d = 0; d < 2; d++) {
        const e = rng.normal();
        target[2 * j + d] = e;
        xtBuf[2 * j + d] = a * data[2 * idx + d] + s * e; // Eq. 4, in float64
      }
      tBuf[j] = t;
      if (weighted) weights[j] = weightTable[t - 1] / B;
    }
    denoiser.features(xtBuf, tBuf, h0);
  };

  const adamStep = (k: number) => ({k, learningRate: opts.learningRate, ...opts.adam, averageDecay: opts.weightAverage});

  const trainStep = (): number => {
    drawBatch();
    const k = stepCount + 1;
    const loss = mlp.step(B, weighted, adamStep(k));
    stepCount = k;
    return loss;
  };

  /**
   * One step with the batch split: rows [own, B) go to the helper with θ, rows [0, own) are done
   * here meanwhile, then the helper's gradient is added and Adam runs here. Both halves weigh each
   * example by the whole batch's 1/B, so the sum is the whole batch's gradient.
   */
  const trainStepSplit = async (): Promise<number> => {
    drawBatch();
    const k = stepCount + 1;
    const own = Math.floor(B / 2);
    const d0 = denoiser.inputWidth;
    const {h0, target, weights} = mlp.batchViews(B);
    const theta = mlp.thetaView().slice();
    const part = {h0: h0.slice(own * d0, B * d0), target: target.slice(2 * own, 2 * B), weights: weighted ? weights.slice(own, B) : null};
    const reply = helper!.ask<Extract<HelperReply, {type: "gradient"}>>(
      (id) => ({type: "gradient", id, kernel: remote!, theta, ...part, scale: 1 / B}),
      [theta.buffer, part.h0.buffer, part.target.buffer, ...(part.weights ? [part.weights.buffer] : [])]
    );
    let loss = mlp.gradient(own, weighted, 1 / B);
    try {
      const other = await reply;
      mlp.addGradient(other.grad);
      loss += other.loss;
    } catch {
      // The helper stopped: this step (and the rest) on this thread alone.
      loss = mlp.gradient(B, weighted);
    }
    mlp.applyAdam(adamStep(k));
    stepCount = k;
    return loss;
  };
  const split = () => remote !== null && helper!.ok && B >= MIN_BATCH_TO_SPLIT;

  const alive = () => {
    if (disposed) throw new Error("this trainer has been disposed");
    if (denoiser.disposed) throw new Error("the trainer's denoiser has been disposed");
  };

  const begin = () => {
    alive();
    if (busy) throw new Error("the trainer is already running steps(): await it before starting more");
    pending = snapshot();
  };

  const restore = (s: Snapshot) => {
    mlp.setTheta(s.theta, {average: true}); // the average restarts at the restored weights
    const {m, v} = mlp.momentViews();
    m.set(s.m);
    v.set(s.v);
    stepCount = s.step;
  };

  /** As the tfjs trainer's commit: certify `pending`, or roll back and throw DivergenceError. */
  const commit = (losses: Float32Array, ms: number): TrainReport => {
    const report = log.take(losses, ms, stepCount, (bad) => {
      const target = bad > 0 ? pending! : good!;
      restore(target);
      publish();
      return target.step;
    });
    if (losses.length > 0 && pending) {
      good = pending;
      pending = null;
    }
    publish();
    return report;
  };

  const trainer: KernelTrainer = {
    options: opts,
    denoiser,
    get lossWeights() {
      return weightTable;
    },
    flavour: mlp.flavour,
    get threads() {
      return split() ? 2 : 1;
    },
    get stepCount() {
      return stepCount;
    },
    get report() {
      return log.report;
    },

    inspectStep(): never {
      // The kernel runs a whole step (forward, backward, Adam) in one call and keeps no
      // intermediates; the algorithm stepper builds its own tfjs trainer for line-by-line steps.
      throw new Error("inspectStep: the WebAssembly kernel runs a whole step per call; step line by line on a tfjs trainer (buildTraining)");
    },

    step(): number {
      begin();
      const t0 = performance.now();
      const value = Math.fround(trainStep());
      commit(Float32Array.of(value), performance.now() - t0);
      return value;
    },

    async steps(k: number): Promise<TrainReport> {
      if (!Number.isInteger(k) || k < 1) throw new Error(`steps(k): k must be an integer ≥ 1, got ${k}`);
      begin();
      busy = true;
      const t0 = performance.now();
      const values = new Float32Array(k);
      try {
        for (let i = 0; i < k; i++) values[i] = split() ? await trainStepSplit() : trainStep();
        // As the tfjs trainer's one read-back per call: the caller's loop gets a turn here.
        await Promise.resolve();
      } finally {
        busy = false;
      }
      if (disposed || denoiser.disposed) return log.report;
      return commit(values, performance.now() - t0);
    },

    async withAveragedWeights<R>(work: () => R | Promise<R>): Promise<R> {
      alive();
      if (busy) throw new Error("the trainer is running steps(): await it first");
      if (opts.weightAverage === 0 || stepCount === 0) return await work();
      publish(mlp.averageView());
      try {
        return await work();
      } finally {
        if (!disposed && !denoiser.disposed) publish();
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
        tBuf = new Int32Array(B);
      }
    },

    reset(): void {
      alive();
      if (busy) throw new Error("the trainer is running steps(): await it before reset()");
      denoiser.reinitialize();
      mlp.setTheta(denoiser.getFlat(), {average: true});
      mlp.resetMoments();
      rng = createRng(opts.seed);
      stepCount = 0;
      log.reset();
      pending = null;
      good = snapshot();
    },

    dispose(): void {
      if (!disposed && remote !== null) helper!.disposeKernel(remote);
      disposed = true;
      good = pending = null;
    }
  };
  return trainer;
}

