/**
 * Whether a model in training is still worth training, and how fast it is really going: the
 * checks behind the Training panel's messages, pure so that tests can feed them numbers.
 *
 * The trainer's divergence check stops a loss that turns non-finite or jumps 1000× above its first
 * value. A model can fail without either: at a learning rate of 0.1 the loss settles back to
 * finite values while ε_θ has become so wrong at some t that Algorithm 2, which multiplies the
 * error by 1/√α_t a thousand times over, sends samples to 1e12 and beyond. These checks catch that.
 */
import {fmt} from "./format.js";

/**
 * E‖ε‖² for ε ~ N(0, I) in 2D: the L_simple loss of a model that predicts no noise at all. A
 * trained model does far better (≈0.5 on the toy data); a loss persistently above this is worse
 * than doing nothing. The "vlb" and "hybrid" weights are normalised to mean 1 over t, so the same
 * baseline holds for them.
 */
export const ZERO_PREDICTOR_LOSS = 2;

/** Raw losses averaged by lossHealth, and the steps a run gets before it is judged. */
export const LOSS_WINDOW = 50;

/** The toy data sets lie within ±4; samples beyond this are not a poor model but a broken one. */
export const SAMPLE_LIMIT = 1000;

export interface Verdict {
  /** One sentence for the reader: what is wrong and what to do. */
  message: string;
}

/**
 * Judges the mean of the last LOSS_WINDOW raw minibatch losses (not the smoothed loss, which still
 * carries the huge values of a divergence hundreds of steps later): above 1.25× what predicting no
 * noise scores, the model has stopped learning. Returns null while fine or while there are fewer
 * losses than the window.
 */
export function lossHealth(recent: ArrayLike<number>, learningRate: number): Verdict | null {
  if (recent.length < LOSS_WINDOW) return null;
  let sum = 0;
  for (let i = recent.length - LOSS_WINDOW; i < recent.length; i++) sum += recent[i];
  const mean = sum / LOSS_WINDOW;
  const limit = 1.25 * ZERO_PREDICTOR_LOSS;
  if (mean <= limit) return null;
  return {
    message: `the mean loss of the last ${LOSS_WINDOW} steps is ${fmt(mean, 3)}, worse than the ${ZERO_PREDICTOR_LOSS} a model scores by predicting no noise at all: it has stopped learning (learning rate ${fmt(learningRate, 3)}). Lower the learning rate (e.g. by 10×) and continue, or start from scratch.`
  };
}

/** The largest |coordinate| of flat 2D samples, and how many are not finite numbers. */
export function sampleExtent(x0: ArrayLike<number>): {maxAbs: number; nonFinite: number} {
  let maxAbs = 0;
  let nonFinite = 0;
  for (let i = 0; i < x0.length; i++) {
    const v = x0[i];
    if (!Number.isFinite(v)) nonFinite++;
    else maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  return {maxAbs, nonFinite};
}

/** Judges samples of Algorithm 2: null if every coordinate is finite and within ±SAMPLE_LIMIT. */
export function sampleHealth(x0: ArrayLike<number>, learningRate: number): Verdict | null {
  const {maxAbs, nonFinite} = sampleExtent(x0);
  if (nonFinite === 0 && maxAbs <= SAMPLE_LIMIT) return null;
  const what = nonFinite > 0 ? `${nonFinite} of ${x0.length} coordinates are not finite numbers` : `coordinates reach ${fmt(maxAbs, 3)}`;
  return {
    message: `the samples are absurd: ${what}, while the data lie within ±4. The model has diverged even though its loss looks finite (learning rate ${fmt(learningRate, 3)}). Lower the learning rate (e.g. by 10×) and continue, or start from scratch.`
  };
}

/**
 * Steps per second of wall-clock time while training runs: everything the worker does between
 * two steps (previews, the ledger, messages) counts, so the rate is what a reader's stopwatch
 * measures. `mark` is called after each chunk of steps with the total step count and the total
 * milliseconds spent on previews so far; the rate is over the last `windowMs` (from the latest
 * mark at least that old), and between marks it falls as time passes without a step.
 */
export class RateMeter {
  private marks: {t: number; step: number; previewMs: number}[] = [];
  constructor(private readonly windowMs = 5000) {}

  /** Training (re)starts at time t (ms) at this step: paused time is not counted. */
  start(t: number, step: number, previewMs: number): void {
    this.marks = [{t, step, previewMs}];
  }

  mark(t: number, step: number, previewMs: number): void {
    if (!this.marks.length) return this.start(t, step, previewMs);
    this.marks.push({t, step, previewMs});
    while (this.marks.length > 2 && this.marks[1].t <= t - this.windowMs) this.marks.shift();
  }

  /** Steps per second and the share of the time spent on previews, from the anchor mark to `t`. */
  rate(t: number): {stepsPerSecond: number; previewShare: number} {
    if (this.marks.length < 2) return {stepsPerSecond: 0, previewShare: 0};
    const first = this.marks[0];
    const last = this.marks[this.marks.length - 1];
    const span = Math.max(t, last.t) - first.t;
    if (span <= 0) return {stepsPerSecond: 0, previewShare: 0};
    return {stepsPerSecond: (1000 * (last.step - first.step)) / span, previewShare: Math.min(1, (last.previewMs - first.previewMs) / span)};
  }
}
