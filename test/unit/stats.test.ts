import {test} from "node:test";
import assert from "node:assert/strict";
import {runningMean} from "../../src/lib/stats.js";

test("runningMean over a gap of k steps equals k one-step updates with the same value", () => {
  let stepwise = 2;
  for (let i = 0; i < 10; i++) stepwise = runningMean(stepwise, 0.5);
  assert.ok(Math.abs(runningMean(2, 0.5, 10) - stepwise) < 1e-12);
  assert.equal(runningMean(null, 0.7), 0.7);
  assert.equal(runningMean(NaN, 0.7), 0.7);
  // A decay of 0.95 keeps 0.95 of the old mean after one step.
  assert.ok(Math.abs(runningMean(1, 0, 1) - 0.95) < 1e-15);
});
