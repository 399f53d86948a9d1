/**
 * Algorithms 1 and 2 of Ho et al. 2020 run one line at a time, for the Training page's stepper.
 * Neither re-implements anything: Algorithm 1's steps are the trainer's own (Trainer.inspectStep,
 * the same step as Trainer.step with its intermediates read back), Algorithm 2's are the sampler's
 * (sampleSteps with `inspect`, one update per generator step). The trainer draws a whole batch
 * and takes its gradient step in one call, and the sampler draws z and updates x_t in one call:
 * the stepper makes that call on the first line of an iteration and reveals its values line by
 * line. The synchronous reads suit the cpu and wasm backends (a small batch, a few points).
 */
import type {Schedule, Sigma2Kind} from "../lib/schedule.js";
import type {Tf} from "./backends.js";
import type {EpsModel} from "./denoiser.js";
import {sampleSteps, type SampleResult, type SampleProgress, type SampleStepDetail} from "./sampler.js";
import type {Trainer, TrainStepDetail} from "./trainer.js";

/** Algorithm 1's lines as the page numbers them: 1 repeat, 2 x_0, 3 t, 4 ε, 5 gradient step, 6 until. */
export const ALGORITHM1_LINES = 6;
/** Algorithm 2's lines: 1 x_T, 2 for t, 3 z, 4 x_{t−1}, 5 end for, 6 return x_0. */
export const ALGORITHM2_LINES = 6;

/** Lets a run to the end give the page a frame now and then; default: a resolved promise. */
export type FrameYield = () => Promise<void>;

export interface Algorithm1State {
  /** The line just executed, 1 … 6 (0 before the first). */
  line: number;
  /** Iterations (gradient steps) taken; the run stops after `iterations`. */
  iteration: number;
  iterations: number;
  /** The latest step's values (null before the first). */
  detail: TrainStepDetail | null;
  /** The loss of every step taken, in order. */
  losses: number[];
  done: boolean;
}

export interface Algorithm1Stepper {
  readonly state: Readonly<Algorithm1State>;
  /** Executes the next line; returns the new state. */
  next(): Algorithm1State;
  /** Takes the remaining iterations at full speed (the last one's values are kept); `frame` is awaited every ~`sliceMs`. */
  runToEnd(options?: {frame?: FrameYield; sliceMs?: number; onSlice?: (state: Algorithm1State) => void}): Promise<Algorithm1State>;
}

/**
 * Algorithm 1 on `trainer` for `iterations` steps. Line 2 takes the trainer's step (drawing x_0, t
 * and ε and stepping θ); lines 3–5 show the rest of its values; line 6 loops back to line 2 until
 * the iterations are spent.
 */
export function createAlgorithm1Stepper(trainer: Trainer, {iterations = 50}: {iterations?: number} = {}): Algorithm1Stepper {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be an integer ≥ 1, got ${iterations}`);
  const state: Algorithm1State = {line: 0, iteration: 0, iterations, detail: null, losses: [], done: false};
  const take = () => {
    state.detail = trainer.inspectStep();
    state.iteration++;
    state.losses.push(state.detail.loss);
  };
  return {
    state,
    next() {
      if (state.done) return state;
      if (state.line === 0) state.line = 1;
      else if (state.line === 1) {
        take();
        state.line = 2;
      } else if (state.line < 6) state.line++;
      else if (state.iteration < iterations) {
        take();
        state.line = 2;
      } else state.done = true;
      return state;
    },
    async runToEnd({frame = () => Promise.resolve(), sliceMs = 12, onSlice} = {}) {
      let sliceStart = performance.now();
      while (state.iteration < iterations) {
        take();
        state.line = 5;
        if (performance.now() - sliceStart > sliceMs) {
          onSlice?.(state);
          await frame();
          sliceStart = performance.now();
        }
      }
      state.line = 6;
      state.done = true;
      return state;
    }
  };
}

export interface Algorithm2State {
  /** The line just executed, 1 … 6 (0 before the first). */
  line: number;
  /** The timestep of the current iteration (x_t), T … 1; 0 once x_0 is returned. */
  t: number;
  /** The latest update's values (null before the first). */
  detail: SampleStepDetail | null;
  /** The points now: x_T after line 1, x_{t−1} after line 4. */
  x: Float32Array | null;
  /** The result once line 6 ran. */
  result: SampleResult | null;
  done: boolean;
}

export interface Algorithm2Stepper {
  readonly state: Readonly<Algorithm2State>;
  next(): Promise<Algorithm2State>;
  runToEnd(options?: {frame?: FrameYield; sliceMs?: number; onSlice?: (state: Algorithm2State) => void}): Promise<Algorithm2State>;
  /** Stops the sampler's generator (frees its tensors). */
  dispose(): Promise<void>;
}

/**
 * Algorithm 2 with `model` on `n` points (seed: x_T and z, as sample()). Line 1 runs the sampler's
 * first update (it draws x_T, then updates t = T) and shows x_T; lines 2–4 show t, z and the
 * update; line 5 runs the next update and goes back to line 2, until t = 1; line 6 returns x_0.
 */
export function createAlgorithm2Stepper(
  tf: Tf,
  model: EpsModel,
  schedule: Schedule,
  {n = 16, seed = 0, sigma2Kind = "betaTilde"}: {n?: number; seed?: number; sigma2Kind?: Sigma2Kind} = {}
): Algorithm2Stepper {
  let latest: SampleStepDetail | null = null;
  const steps: AsyncGenerator<SampleProgress, SampleResult, void> = sampleSteps(tf, model, schedule, {
    n,
    seed,
    sigma2Kind,
    yieldEvery: 1,
    inspect: (d) => {
      latest = d;
    }
  });
  const state: Algorithm2State = {line: 0, t: schedule.T, detail: null, x: null, result: null, done: false};
  /** One update of the sampler; returns whether it was the last. */
  const update = async (): Promise<void> => {
    const r = await steps.next();
    if (!latest) throw new Error("the sampler reported no update");
    state.detail = latest;
    state.t = latest.t;
    if (r.done) state.result = r.value;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    state,
    next: () =>
      serial(async () => {
        if (state.done) return state;
        switch (state.line) {
          case 0:
            await update();
            state.x = state.detail!.x;
            state.line = 1;
            break;
          case 1:
          case 2:
          case 3:
            state.line++;
            if (state.line === 4) state.x = state.detail!.xNext;
            break;
          case 4:
            state.line = 5;
            break;
          case 5:
            if (state.detail!.next === 0) {
              state.line = 6;
              state.t = 0;
              state.done = true;
            } else {
              await update();
              state.line = 2;
            }
            break;
        }
        return state;
      }),
    runToEnd: ({frame = () => Promise.resolve(), sliceMs = 12, onSlice} = {}) =>
      serial(async () => {
        if (state.line === 0) await update();
        let sliceStart = performance.now();
        while (!state.result) {
          await update();
          state.x = state.detail!.xNext;
          state.line = 4;
          if (performance.now() - sliceStart > sliceMs) {
            onSlice?.(state);
            await frame();
            sliceStart = performance.now();
          }
        }
        state.x = state.detail!.xNext;
        state.line = 6;
        state.t = 0;
        state.done = true;
        return state;
      }),
    async dispose() {
      await queue;
      await steps.return(undefined as never);
    }
  };
}
