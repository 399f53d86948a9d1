// The loss bookkeeping both trainers share: the report after each call, the bias-corrected moving
// average, and a divergent loss rolled back and reported in words.
import {test} from "node:test";
import assert from "node:assert/strict";
import {createLossLog} from "../../src/model/loss-log.ts";
import {DivergenceError} from "../../src/model/rollback.ts";
import type {ResolvedTrainerOptions} from "../../src/model/trainer-options.ts";

const options = (): ResolvedTrainerOptions => ({
  batchSize: 8,
  learningRate: 1e-3,
  loss: "simple",
  seed: 0,
  sigma2Kind: "betaTilde",
  hybridWeight: 0.001,
  emaDecay: 0.9,
  weightAverage: 0,
  divergenceFactor: 10,
  adam: {beta1: 0.9, beta2: 0.999, epsilon: 1e-7}
});
const noRestore = () => assert.fail("nothing diverged, nothing to restore");

test("the report carries the last loss, a bias-corrected EMA of all losses, the steps per second and the time", () => {
  const log = createLossLog(options());
  assert.equal(log.report.step, 0);
  assert.ok(Number.isNaN(log.report.lossEma));
  log.take(Float32Array.of(2, 1), 500, 2, noRestore);
  const report = log.take(Float32Array.of(3), 250, 3, noRestore);
  // EMA with decay 0.9 over 2, 1, 3, divided by 1 − 0.9³: the average of the losses weighted 0.81 : 0.9 : 1.
  const ema = 0.1 * (0.81 * 2 + 0.9 * 1 + 3);
  assert.ok(Math.abs(report.lossEma - ema / (1 - 0.9 ** 3)) < 1e-12);
  assert.deepEqual([report.step, report.loss, report.stepsPerSecond, report.elapsedMs], [3, 3, 4, 750]);
  log.reset();
  assert.equal(log.report.step, 0);
  assert.equal(log.report.elapsedMs, 0);
});

test("a loss over divergenceFactor × the first is not taken: the state is restored and the error says where and what to do", () => {
  const log = createLossLog(options());
  log.take(Float32Array.of(1), 10, 1, noRestore);
  let restoredIndex = -1;
  assert.throws(
    () => log.take(Float32Array.of(2, 50, 3), 10, 4, (index) => ((restoredIndex = index), 2)),
    (error: unknown) => {
      assert.ok(error instanceof DivergenceError);
      assert.deepEqual([error.step, error.loss, error.restoredStep], [3, 50, 2]);
      assert.match(error.message, /loss rose to 50\.0 at step 3, over 10× its first value 1\.00 .*lower the learning rate.*restored to step 2/);
      return true;
    }
  );
  assert.equal(restoredIndex, 1);
  // The report is the one before the divergent call; the loss before the divergent one counts in the EMA.
  assert.equal(log.report.step, 1);
  const after = log.take(Float32Array.of(1), 10, 3, noRestore);
  const ema = 0.1 * (0.81 * 1 + 0.9 * 2 + 1);
  assert.ok(Math.abs(after.lossEma - ema / (1 - 0.9 ** 3)) < 1e-12);
});
