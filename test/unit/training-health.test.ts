import {test} from "node:test";
import assert from "node:assert/strict";
import {LOSS_WINDOW, lossHealth, RateMeter, sampleHealth, ZERO_PREDICTOR_LOSS} from "../../src/lib/training-health.ts";
import {createRng} from "../../src/lib/random.ts";

test("the zero predictor's loss is E‖ε‖² = 2 in 2D (Monte Carlo)", () => {
  const eps = createRng(3).normals(200_000);
  let sum = 0;
  for (const e of eps) sum += e * e;
  assert.ok(Math.abs(sum / 100_000 - ZERO_PREDICTOR_LOSS) < 0.02);
});

test("a loss that stays worse than predicting no noise is flagged; a learning one is not", () => {
  const stuck = new Array(LOSS_WINDOW + 10).fill(3);
  const verdict = lossHealth(stuck, 0.1);
  assert.ok(verdict);
  assert.match(verdict.message, /mean loss of the last 50 steps is 3, worse than the 2 .*\(learning rate 0\.1\)/);
  // A run that is learning: losses falling from 2.2 to 0.5.
  const learning = Array.from({length: 200}, (_, i) => 2.2 - (1.7 * i) / 199);
  assert.equal(lossHealth(learning, 3e-3), null);
  // Too few steps to judge: even a bad start is not flagged.
  assert.equal(lossHealth(new Array(LOSS_WINDOW - 1).fill(100), 0.1), null);
  // Only the recent window counts: early huge losses (a divergence long ago) do not.
  assert.equal(lossHealth([...new Array(100).fill(5000), ...new Array(LOSS_WINDOW).fill(0.6)], 0.1), null);
});

test("samples far outside the data, or not finite, are flagged, numbers in the site's exponent form", () => {
  const ring = createRng(1).normals(2000);
  assert.equal(sampleHealth(ring, 3e-3), null);
  const blown = Float32Array.from(ring);
  blown[7] = 2.54e12;
  const verdict = sampleHealth(blown, 0.1);
  assert.ok(verdict);
  assert.match(verdict.message, /coordinates reach 2\.5e\+12/);
  const nan = Float32Array.from(ring);
  nan[0] = NaN;
  nan[1] = Infinity;
  assert.match(sampleHealth(nan, 0.1)!.message, /2 of 2000 coordinates are not finite/);
});

test("the rate meter counts wall-clock time, previews included, and forgets paused time", () => {
  const meter = new RateMeter(5000);
  meter.start(0, 100, 0);
  // 10 chunks of 10 steps every 100 ms, then a 1 s preview, then 10 more chunks.
  let t = 0;
  let step = 100;
  let preview = 0;
  for (let i = 0; i < 10; i++) meter.mark((t += 100), (step += 10), preview);
  preview += 1000;
  t += 1000;
  for (let i = 0; i < 10; i++) meter.mark((t += 100), (step += 10), preview);
  const {stepsPerSecond, previewShare} = meter.rate(t);
  // 200 steps in 3 s of wall clock: 66.7 steps/s, not the 100 steps/s of the chunks alone.
  assert.ok(Math.abs(stepsPerSecond - 200 / 3) < 1e-9, String(stepsPerSecond));
  assert.ok(Math.abs(previewShare - 1 / 3) < 1e-9, String(previewShare));
  // A step that takes 15 s: the rate falls while it runs.
  const slow = new RateMeter(5000);
  slow.start(0, 0, 0);
  slow.mark(15_000, 1, 0);
  slow.mark(30_000, 2, 0);
  slow.mark(45_000, 3, 0);
  assert.ok(Math.abs(slow.rate(45_000).stepsPerSecond - 1 / 15) < 1e-9);
  assert.ok(slow.rate(60_000).stepsPerSecond < 1 / 15);
  // A restart forgets what came before.
  slow.start(100_000, 3, 0);
  assert.equal(slow.rate(100_500).stepsPerSecond, 0);
});
