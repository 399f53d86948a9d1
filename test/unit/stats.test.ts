import {test} from "node:test";
import assert from "node:assert/strict";
import {relError, runningMean} from "../../src/lib/stats.js";

test("runningMean over a gap of k steps equals k one-step updates with the same value", () => {
  let stepwise = 2;
  for (let i = 0; i < 10; i++) stepwise = runningMean(stepwise, 0.5);
  assert.ok(Math.abs(runningMean(2, 0.5, 10) - stepwise) < 1e-12);
  assert.equal(runningMean(null, 0.7), 0.7);
  assert.equal(runningMean(NaN, 0.7), 0.7);
  // A decay of 0.95 keeps 0.95 of the old mean after one step.
  assert.ok(Math.abs(runningMean(1, 0, 1) - 0.95) < 1e-15);
});

test("relError is the largest difference over the largest entry of the reference, and refuses arrays of different lengths", () => {
  assert.equal(relError([1, 2, 4], [1, 2, 4]), 0);
  assert.equal(relError([1, 2.5, 4], [1, 2, 4]), 0.5 / 4);
  assert.equal(relError([-3, 0], [-2, 0]), 1 / 2);
  // An all-zero reference is floored at 1e-12, so a difference still shows as huge, not as NaN.
  assert.equal(relError([1e-12], [0]), 1);
  assert.throws(() => relError([1, 2], [1]), /lengths differ: 2 vs 1/);
});
