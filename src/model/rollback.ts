/**
 * The trainer's guard against divergence: when a loss turns non-finite or explodes, θ, Adam's
 * moments and the step count go back to the last state known to be good, and a DivergenceError
 * says what happened and what to do.
 *
 * The loss of step s is computed with the weights from before step s's update, so a finite loss
 * certifies the weights it saw. `pending` is the state when the current call began; `good` the
 * latest state certified finite. After a call whose losses are all fine, `pending` (certified by
 * the call's first loss) becomes `good`. Divergence at the i-th loss of a call: the weights it saw
 * are bad; roll back to `pending` if i > 0 (certified by the first loss), else to `good`.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import type {AdamState} from "./adam.js";
import type {Tf} from "./backends.js";

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

/**
 * The index of the first of `losses` that is not finite, or that exceeds `factor` × `firstLoss`
 * (when the first loss is finite); −1 when every one is fine.
 */
export function firstDivergent(losses: ArrayLike<number>, firstLoss: number, factor: number): number {
  for (let i = 0; i < losses.length; i++) {
    const value = losses[i];
    if (!Number.isFinite(value) || (Number.isFinite(firstLoss) && value > factor * firstLoss)) return i;
  }
  return -1;
}

/** The error for a divergent loss `value` at step `at`, after the weights went back to `restoredStep`. */
export function divergenceError(value: number, at: number, {firstLoss, factor, learningRate, restoredStep}: {firstLoss: number; factor: number; learningRate: number; restoredStep: number}): DivergenceError {
  const what = Number.isFinite(value)
    ? `loss rose to ${value.toPrecision(3)} at step ${at}, over ${factor}× its first value ${firstLoss.toPrecision(3)}`
    : `loss became ${value} at step ${at}`;
  const rollback = at === 1 ? "the weights were not changed" : `the weights were restored to step ${restoredStep}`;
  const advice = at === 1
    ? "the initial weights or the data give a non-finite loss: check the data for huge values and the saved weights"
    : "lower the learning rate (e.g. by 10×) and continue, or reset";
  return new DivergenceError(`Training diverged: ${what} (learning rate ${learningRate}): ${advice}; ${rollback}.`, at, value, learningRate, restoredStep);
}

/** θ, Adam's moments and the step count at one moment: a rollback point. Clones share storage until θ is reassigned. */
interface Snapshot {
  theta: tfTypes.Tensor;
  m: tfTypes.Tensor;
  v: tfTypes.Tensor;
  step: number;
}

export interface Rollback {
  /** A call begins at step `step`: its starting state becomes `pending`. */
  begin(step: number): void;
  /** The call's losses were all fine: `pending` is certified and becomes `good`. */
  certify(): void;
  /**
   * The call's loss at `index` diverged: θ, m, v (and `average`, restarted at the restored θ, since
   * it may hold the bad weights' values) go back to `pending` if index > 0, else to `good`.
   * Returns the step count of the state restored.
   */
  restore(index: number): number;
  /** Forgets both points; the state now (at `step`) becomes `good`. */
  reset(step: number): void;
  dispose(): void;
}

/** Rollback points for `state` (θ and Adam's moments) and θ's moving average `average`. */
export function createRollback(tf: Tf, state: AdamState, average: tfTypes.Variable, step = 0): Rollback {
  const {theta, m, v} = state;
  const take = (at: number): Snapshot => tf.tidy(() => ({theta: tf.keep(theta.clone()), m: tf.keep(m.clone()), v: tf.keep(v.clone()), step: at}));
  const free = (s: Snapshot | null) => {
    if (s) tf.dispose([s.theta, s.m, s.v]);
  };
  let good: Snapshot | null = take(step);
  let pending: Snapshot | null = null;
  return {
    begin(at) {
      free(pending);
      pending = take(at);
    },
    certify() {
      if (!pending) return;
      free(good);
      good = pending;
      pending = null;
    },
    restore(index) {
      const target = index > 0 ? pending! : good!;
      theta.assign(target.theta as tfTypes.Tensor1D);
      m.assign(target.m as tfTypes.Tensor1D);
      v.assign(target.v as tfTypes.Tensor1D);
      average.assign(target.theta as tfTypes.Tensor1D);
      return target.step;
    },
    reset(at) {
      free(pending);
      pending = null;
      free(good);
      good = take(at);
    },
    dispose() {
      free(good);
      free(pending);
      good = pending = null;
    }
  };
}
