// The algorithm stepper of the Training page against the trainer and the sampler it wraps: for the
// same seed, its losses and θ after each step equal Trainer.step's, its x_{t−1} equal sample()'s,
// its intermediates are consistent with the algorithms' formulas, and it leaks no tensor.
import {test} from "node:test";
import assert from "node:assert/strict";
import {DEFAULT_SCHEDULE, makeSchedule, sigmaSquared} from "../../src/lib/schedule.js";
import {createAlgorithm1Stepper, createAlgorithm2Stepper} from "../../src/model/algorithm-stepper.js";
import {DEFAULT_TRAINING, type TrainingConfig} from "../../src/model/protocol.js";
import {sample} from "../../src/model/sampler.js";
import {buildTraining} from "../../src/model/training.js";
import {tf, useCpu} from "./helpers.js";

await useCpu();

const schedule = makeSchedule(DEFAULT_SCHEDULE);
const config: TrainingConfig = {...DEFAULT_TRAINING, dataset: "two-moons", points: 500, batchSize: 8, seed: 7};

test("Algorithm 1 stepped line by line gives the trainer's losses and θ, and its values follow the algorithm", () => {
  const before = tf.memory().numTensors;
  const stepped = buildTraining(tf, config, schedule);
  const plain = buildTraining(tf, config, schedule);
  const stepper = createAlgorithm1Stepper(stepped.trainer, {iterations: 3});
  const seenLines: number[] = [];
  let thetaBefore = stepped.denoiser.getFlat();
  while (!stepper.state.done) {
    const s = stepper.next();
    seenLines.push(s.line);
    if (s.line !== 2) continue;
    // Line 2 took a step: the plain trainer takes the same one.
    const d = s.detail!;
    const loss = plain.trainer.step();
    assert.equal(d.loss, loss, `loss at step ${d.step}`);
    const thetaStepped = stepped.denoiser.getFlat();
    assert.deepEqual(thetaStepped, plain.denoiser.getFlat(), `θ after step ${d.step}`);
    // x_0 from the data, x_t by Eq. 4, the loss as the batch mean of ‖ε − ε_θ‖², ‖Δθ‖ from θ.
    const B = config.batchSize;
    let sum = 0;
    for (let j = 0; j < B; j++) {
      const t = d.t[j];
      assert.ok(t >= 1 && t <= schedule.T);
      for (let k = 0; k < 2; k++) {
        const i = 2 * j + k;
        assert.equal(d.x0[i], stepped.data[2 * d.index[j] + k]);
        const xt = schedule.sqrtAlphaBar[t - 1] * d.x0[i] + schedule.sqrtOneMinusAlphaBar[t - 1] * d.eps[i];
        // The trainer forms x_t from ε in float64 and keeps ε in float32: agreement to float32 rounding.
        assert.ok(Math.abs(d.xt[i] - xt) < 1e-6, `x_t[${i}]: ${d.xt[i]} vs ${xt}`);
        sum += (d.eps[i] - d.epsTheta[i]) ** 2;
      }
    }
    assert.ok(Math.abs(sum / B - d.loss) / d.loss < 1e-5, `loss ${d.loss} vs ${sum / B}`);
    let moved = 0;
    for (let i = 0; i < thetaStepped.length; i++) moved += (thetaStepped[i] - thetaBefore[i]) ** 2;
    assert.ok(Math.abs(Math.sqrt(moved) - d.paramChange) / d.paramChange < 1e-4, `‖Δθ‖ ${d.paramChange} vs ${Math.sqrt(moved)}`);
    assert.ok(d.gradNorm > 0 && Number.isFinite(d.gradNorm));
    thetaBefore = thetaStepped;
  }
  assert.deepEqual(seenLines, [1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 6]);
  assert.equal(stepper.state.iteration, 3);
  assert.equal(stepped.trainer.stepCount, 3);
  for (const t of [stepped, plain]) {
    t.trainer.dispose();
    t.denoiser.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "tensors left after stepping and disposing");
});

test("Algorithm 1's run to the end takes the remaining steps, as the trainer would", async () => {
  const stepped = buildTraining(tf, config, schedule);
  const plain = buildTraining(tf, config, schedule);
  const stepper = createAlgorithm1Stepper(stepped.trainer, {iterations: 20});
  for (let i = 0; i < 4; i++) stepper.next(); // into the first iteration
  const during = tf.memory().numTensors;
  const end = await stepper.runToEnd({sliceMs: 0});
  assert.equal(tf.memory().numTensors, during, "tensor count flat across the run");
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) losses.push(plain.trainer.step());
  assert.deepEqual(end.losses, losses);
  assert.deepEqual(stepped.denoiser.getFlat(), plain.denoiser.getFlat());
  assert.ok(end.done && end.line === 6 && end.iteration === 20);
  for (const t of [stepped, plain]) {
    t.trainer.dispose();
    t.denoiser.dispose();
  }
});

test("Algorithm 2 stepped line by line gives sample()'s x_{t−1} for the same seed, μ_θ + σ_t z at each step", async () => {
  const {denoiser, trainer} = buildTraining(tf, config, schedule);
  for (let i = 0; i < 5; i++) trainer.step(); // any θ will do; a few steps make ε_θ less trivial
  const n = 6;
  const seed = 11;
  const kept = [schedule.T - 1, 500, 1, 0];
  const reference = await sample(tf, denoiser, schedule, {n, seed, keepTrajectory: kept});
  // Counted after the first sampling: the denoiser keeps its Fourier frequencies on the device
  // from its first device-side evaluation on (freed with it).
  const before = tf.memory().numTensors;
  const stepper = createAlgorithm2Stepper(tf, denoiser, schedule, {n, seed});
  const seen = new Map<number, Float32Array>();
  let lines = 0;
  let s = await stepper.next();
  assert.equal(s.line, 1);
  assert.equal(s.t, schedule.T);
  while (!s.done) {
    s = await stepper.next();
    lines++;
    if (s.line === 4) {
      const d = s.detail!;
      assert.equal(s.t, d.t);
      seen.set(d.next, d.xNext);
      assert.deepEqual(s.x, d.xNext);
      const sigma = d.t > 1 ? Math.sqrt(sigmaSquared(schedule, d.t, "betaTilde")) : 0;
      assert.ok(Math.abs(d.sigma - sigma) < 1e-12, `σ_${d.t}`);
      assert.equal(d.z === null, d.t === 1);
      // μ_θ = (x_t − β_t/√(1 − ᾱ_t) ε_θ)/√α_t, and x_{t−1} = μ_θ + σ_t z (float32 on the device).
      for (let i = 0; i < 2 * n; i++) {
        const mu = (d.x[i] - (schedule.beta[d.t - 1] / schedule.sqrtOneMinusAlphaBar[d.t - 1]) * d.eps[i]) / Math.sqrt(schedule.alpha[d.t - 1]);
        assert.ok(Math.abs(d.mean[i] - mu) < 1e-4 * (1 + Math.abs(mu)), `μ at t = ${d.t}: ${d.mean[i]} vs ${mu}`);
        const next = mu + sigma * (d.z ? d.z[i] : 0);
        assert.ok(Math.abs(d.xNext[i] - next) < 1e-4 * (1 + Math.abs(next)), `x_{t−1} at t = ${d.t}`);
      }
    }
  }
  assert.equal(s.line, 6);
  assert.equal(lines, 4 * schedule.T + 1); // lines 2, 3, 4, 5 for each t, then line 6
  for (const {t, x} of reference.trajectory) assert.deepEqual(seen.get(t), x, `x_${t}`);
  assert.deepEqual(s.result!.x0, reference.x0);
  assert.deepEqual(s.x, reference.x0);
  await stepper.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors left after stepping Algorithm 2");

  // Run to the end from part-way gives the same x_0; stopping early frees everything too.
  const fast = createAlgorithm2Stepper(tf, denoiser, schedule, {n, seed});
  for (let i = 0; i < 9; i++) await fast.next();
  const end = await fast.runToEnd({sliceMs: 0});
  assert.deepEqual(end.x, reference.x0);
  assert.ok(end.done && end.line === 6 && end.t === 0);
  await fast.dispose();
  const stopped = createAlgorithm2Stepper(tf, denoiser, schedule, {n, seed});
  for (let i = 0; i < 5; i++) await stopped.next();
  await stopped.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors left after a run to the end and an early stop");
  trainer.dispose();
  denoiser.dispose();
});
