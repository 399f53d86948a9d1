/**
 * The bookkeeping of the losses that both trainers (trainer.ts on tfjs, kernel/trainer.ts on the
 * WebAssembly kernel) share: the run's first loss (the scale of the divergence guard), the
 * bias-corrected moving average of the losses, the time spent training, and the report a UI reads.
 */
import {divergenceError, firstDivergent} from "./rollback.js";
import type {ResolvedTrainerOptions} from "./trainer-options.js";
import type {TrainReport} from "./trainer.js";

export interface LossLog {
  /** The latest report (zeros before the first step). */
  readonly report: TrainReport;
  /**
   * Takes the losses of the steps a call ran (the last of them is step `stepCount`) and the call's
   * milliseconds into the average and the report. A divergent loss (firstDivergent) is not taken:
   * `restore(index)` puts the state back and returns the step restored, and take throws the
   * DivergenceError that says so; the losses before it still count in the average.
   */
  take(losses: Float32Array, ms: number, stepCount: number, restore: (index: number) => number): TrainReport;
  /** Forgets everything: the next step is a run's first. */
  reset(): void;
}

const emptyReport = (): TrainReport => ({step: 0, loss: NaN, lossEma: NaN, losses: new Float32Array(0), stepsPerSecond: 0, elapsedMs: 0});

/** A log that reads the EMA's decay, the guard's factor and the learning rate from `opts` at each call. */
export function createLossLog(opts: Readonly<ResolvedTrainerOptions>): LossLog {
  let firstLoss = NaN;
  let ema = 0;
  let emaSteps = 0;
  let elapsedMs = 0;
  let report = emptyReport();
  return {
    get report() {
      return report;
    },
    take(losses, ms, stepCount, restore) {
      const start = stepCount - losses.length;
      elapsedMs += ms;
      if (start === 0 && losses.length > 0) firstLoss = losses[0];
      const bad = firstDivergent(losses, firstLoss, opts.divergenceFactor);
      for (let i = 0; i < (bad < 0 ? losses.length : bad); i++) {
        emaSteps++;
        ema = opts.emaDecay * ema + (1 - opts.emaDecay) * losses[i];
      }
      if (bad >= 0) {
        const restoredStep = restore(bad);
        throw divergenceError(losses[bad], start + bad + 1, {firstLoss, factor: opts.divergenceFactor, learningRate: opts.learningRate, restoredStep});
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
    },
    reset() {
      firstLoss = NaN;
      ema = 0;
      emaSteps = 0;
      elapsedMs = 0;
      report = emptyReport();
    }
  };
}
