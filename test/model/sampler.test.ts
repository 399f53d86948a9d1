// Algorithm 2 (and DDIM) with the exact optimal ε* of Gaussian data, where the answer is known.
import {test} from "node:test";
import assert from "node:assert/strict";
import {createRng} from "../../src/lib/random.js";
import {pSampleLoop} from "../../src/lib/sampler.js";
import {makeSchedule, sigmaSquared, type Schedule, type Sigma2Kind} from "../../src/lib/schedule.js";
import {createDenoiser, type EpsModel} from "../../src/model/denoiser.js";
import {ddimTimesteps, sample, sampleDDIM, sampleSteps} from "../../src/model/sampler.js";
import {mean, tf, useCpu} from "./helpers.js";

await useCpu();

const schedule = makeSchedule({kind: "linear", T: 1000});
// Data q(x_0) = N(m, s²I).
const m = [0.7, -0.4];
const s2 = 0.25;

/**
 * ε*(x_t, t) = E[ε|x_t] for Gaussian data. x_t = √ᾱ x_0 + √(1−ᾱ) ε is jointly Gaussian with ε:
 * Cov(ε, x_t) = √(1−ᾱ), Var x_t = ᾱs² + 1 − ᾱ, so E[ε|x_t] = A_t (x_t − √ᾱ_t m) with
 * A_t = √(1−ᾱ_t)/(ᾱ_t s² + 1 − ᾱ_t): linear in x_t.
 */
function gainA(s: Schedule, t: number): number {
  const ab = s.alphaBar[t - 1];
  return s.sqrtOneMinusAlphaBar[t - 1] / (ab * s2 + s.oneMinusAlphaBar[t - 1]);
}

/**
 * ε* as a device model: predict (per-row t, by gathering rows of coefficient tables) and the
 * one-t fast path predictAt. `generic` drops predictAt, so the sampler must use predict.
 */
function epsStarModel(s: Schedule, generic = false): EpsModel & {dispose(): void} {
  const A = new Float32Array(s.T + 1);
  const C = new Float32Array(2 * (s.T + 1));
  for (let t = 1; t <= s.T; t++) {
    A[t] = gainA(s, t);
    for (let d = 0; d < 2; d++) C[2 * t + d] = gainA(s, t) * s.sqrtAlphaBar[t - 1] * m[d];
  }
  const a = tf.tensor2d(A, [s.T + 1, 1]);
  const c = tf.tensor2d(C, [s.T + 1, 2]);
  const model: EpsModel & {dispose(): void} = {
    predict: (xt, t) => tf.tidy(() => tf.sub(tf.mul(xt, tf.gather(a, t)), tf.gather(c, t))),
    predictAt: (xt, t) => tf.tidy(() => tf.sub(tf.mul(xt, A[t]), tf.tensor2d([C[2 * t], C[2 * t + 1]], [1, 2]))),
    dispose: () => tf.dispose([a, c])
  };
  if (generic) delete model.predictAt;
  return model;
}

/** ε* in float64 for the core's reference sampler. */
function epsStarHost(s: Schedule) {
  return (xt: Float64Array, t: number) => {
    const A = gainA(s, t);
    return Float64Array.from(xt, (v, i) => A * (v - s.sqrtAlphaBar[t - 1] * m[i % 2]));
  };
}

/**
 * The exact mean and variance (per coordinate d) of what a sampler outputs with ε*: each update
 * x ↦ a x + b ε*(x) + c z is affine in x, so from x_T ~ N(0, 1) the moments follow exactly.
 */
function exactMoments(updates: {t: number; a: number; b: number; c: number}[], d: number) {
  let mu = 0;
  let v = 1;
  for (const {t, a, b, c} of updates) {
    const A = gainA(schedule, t);
    const slope = a + b * A;
    mu = slope * mu - b * A * schedule.sqrtAlphaBar[t - 1] * m[d];
    v = slope * slope * v + c * c;
  }
  return {mu, v};
}

// Algorithm 2's coefficients, straight from the paper: x_{t−1} = 1/√α_t (x_t − β_t/√(1−ᾱ_t) ε) + σ_t z.
function algorithm2(kind: Sigma2Kind) {
  const u = [];
  for (let t = schedule.T; t >= 1; t--) {
    const a = 1 / Math.sqrt(schedule.alpha[t - 1]);
    u.push({t, a, b: (-a * schedule.beta[t - 1]) / schedule.sqrtOneMinusAlphaBar[t - 1], c: t > 1 ? Math.sqrt(sigmaSquared(schedule, t, kind)) : 0});
  }
  return u;
}

// DDIM η = 0 from t to t′: x_{t′} = √ᾱ_{t′} x̂_0 + √(1 − ᾱ_{t′}) ε, x̂_0 = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.
function ddim(steps: number) {
  const ts = ddimTimesteps(schedule.T, steps);
  return ts.slice(0, -1).map((t, i) => {
    const next = ts[i + 1];
    const abN = next === 0 ? 1 : schedule.alphaBar[next - 1];
    const a = Math.sqrt(abN / schedule.alphaBar[t - 1]);
    return {t, a, b: Math.sqrt(1 - abN) - a * schedule.sqrtOneMinusAlphaBar[t - 1], c: 0};
  });
}

function coordinateStats(x: Float32Array, d: number) {
  const vals = Float64Array.from({length: x.length / 2}, (_, j) => x[2 * j + d]);
  const mu = mean(vals);
  const v = vals.reduce((acc, y) => acc + (y - mu) ** 2, 0) / (vals.length - 1);
  return {mu, v};
}

for (const kind of ["betaTilde", "beta"] as const) {
  test(`Algorithm 2 (σ² = ${kind}) with the exact ε* samples N(m, s²I): mean and variance within Monte Carlo error`, async () => {
    const n = 4000;
    const model = epsStarModel(schedule);
    const before = tf.memory().numTensors;
    const result = await sample(tf, model, schedule, {n, seed: 12, sigma2Kind: kind, yieldEvery: 250});
    assert.equal(tf.memory().numTensors, before, "sampling leaves no tensors behind");
    assert.equal(result.steps, 1000);
    assert.equal(result.x0.length, 2 * n);
    for (let d = 0; d < 2; d++) {
      // What the chain outputs exactly, for this s² = 0.25: the mean m, and a variance 0.3% above
      // s² with σ² = β, 1.5% below with σ² = β̃ (β̃ < β adds less noise per step).
      const exact = exactMoments(algorithm2(kind), d);
      assert.ok(Math.abs(exact.mu - m[d]) < 1e-3, `exact mean ${exact.mu}`);
      assert.ok(Math.abs(exact.v / s2 - 1) < (kind === "beta" ? 0.005 : 0.02), `exact variance ${exact.v}`);
      // The samples match it within Monte Carlo error: with n points, standard errors s/√n for the
      // mean and s²√(2/(n−1)) for the variance; allow 4 of them (the seed is fixed; a correct sampler
      // would fail a check for about 1 seed in 16,000).
      const got = coordinateStats(result.x0, d);
      assert.ok(Math.abs(got.mu - exact.mu) < 4 * Math.sqrt(exact.v / n), `mean ${got.mu} vs ${exact.mu}`);
      assert.ok(Math.abs(got.v - exact.v) < 4 * exact.v * Math.sqrt(2 / (n - 1)), `variance ${got.v} vs ${exact.v}`);
    }
    model.dispose();
  });
}

test("the device sampler agrees with the core's float64 pSampleLoop point by point (same seed, same noise order)", async () => {
  const model = epsStarModel(schedule, true); // predict with per-row t: the generic path
  for (const kind of ["beta", "betaTilde"] as const) {
    const ours = await sample(tf, model, schedule, {n: 300, seed: 5, sigma2Kind: kind, keepTrajectory: [1000, 500, 0]});
    const ref = pSampleLoop(schedule, epsStarHost(schedule), 300, createRng(5), {sigma2Kind: kind, recordAt: [1000, 500, 0]});
    let worst = 0;
    for (let i = 0; i < ref.x0.length; i++) worst = Math.max(worst, Math.abs(ours.x0[i] - ref.x0[i]));
    assert.ok(worst < 1e-4, `max |difference| ${worst}`);
    assert.deepEqual(ours.trajectory.map((p) => p.t), [1000, 500, 0]);
    assert.deepEqual(ours.trajectory[0].x, Float32Array.from(ref.snapshots[0]), "x_T is the seed's first normals");
    assert.deepEqual(ours.trajectory[2].x, ours.x0, "t = 0 is the result");
    for (let i = 0; i < ref.snapshots[1].length; i++) assert.ok(Math.abs(ours.trajectory[1].x[i] - ref.snapshots[1][i]) < 1e-4);
  }
  model.dispose();
});

test("DDIM (η = 0, 50 steps) with ε*: deterministic given the seed, and its moments are the exact ones", async () => {
  const n = 4000;
  const model = epsStarModel(schedule);
  const before = tf.memory().numTensors;
  const a = await sampleDDIM(tf, model, schedule, {n, seed: 3, steps: 50, keepTrajectory: [1000, 0]});
  const b = await sampleDDIM(tf, model, schedule, {n, seed: 3, steps: 50});
  assert.equal(tf.memory().numTensors, before);
  assert.equal(a.steps, 50);
  assert.deepEqual(a.x0, b.x0);
  for (let d = 0; d < 2; d++) {
    // DDIM's exact output for this Gaussian: with 50 steps its variance is 11% below s², the error
    // of the coarse discretisation of the deterministic path; with all 1000 steps it is within 1%.
    // The mean is off by ≈ s·√ᾱ_T·m (x_T ~ N(0, I) ignores q(x_T)'s mean √ᾱ_T m; a deterministic
    // sampler never forgets its start).
    const exact = exactMoments(ddim(50), d);
    assert.ok(Math.abs(exact.mu - m[d]) < 0.005 && exact.v / s2 > 0.85 && exact.v / s2 < 0.92, `exact DDIM-50 output ${exact.mu}, ${exact.v}`);
    const fine = exactMoments(ddim(1000), d);
    assert.ok(Math.abs(fine.mu - m[d]) < 0.005 && Math.abs(fine.v / s2 - 1) < 0.01, `exact DDIM-1000 output ${fine.mu}, ${fine.v}`);
    const got = coordinateStats(a.x0, d);
    assert.ok(Math.abs(got.mu - exact.mu) < 4 * Math.sqrt(exact.v / n), `mean ${got.mu} vs ${exact.mu}`);
    assert.ok(Math.abs(got.v - exact.v) < 4 * exact.v * Math.sqrt(2 / (n - 1)), `variance ${got.v} vs ${exact.v}`);
  }
  assert.deepEqual(ddimTimesteps(1000, 5), [1000, 750, 501, 251, 1, 0]); // T − i(T − 1)/4, rounded
  assert.deepEqual(ddimTimesteps(3, 10), [3, 2, 1, 0]);
  await assert.rejects(sampleDDIM(tf, model, schedule, {n: 4, steps: 5, keepTrajectory: [999]}), /visited timesteps/);
  model.dispose();
});

test("progress every yieldEvery steps; stopping early or a failing callback frees every tensor", async () => {
  const model = epsStarModel(schedule);
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  await sample(tf, model, schedule, {n: 10, seed: 1, yieldEvery: 300, onProgress: (p) => void seen.push(p.done, p.t, p.x.length)});
  assert.deepEqual(seen, [300, 700, 20, 600, 400, 20, 900, 100, 20]);
  for await (const p of sampleSteps(tf, model, schedule, {n: 10, seed: 1, yieldEvery: 100, keepTrajectory: [1000, 950]})) {
    if (p.done === 200) break; // the generator's finally frees x and the kept trajectory
  }
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(
    sample(tf, model, schedule, {n: 10, yieldEvery: 100, onProgress: () => { throw new Error("stop"); }}),
    /stop/
  );
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(sample(tf, model, schedule, {n: 0}), /n must be/);
  await assert.rejects(sample(tf, model, schedule, {n: 2, keepTrajectory: [1001]}), /0\.\.1000/);
  model.dispose();
});

test("a trained-size denoiser plugs in: samples are finite and the x_T start can be given", async () => {
  const small = makeSchedule({kind: "linear", T: 50});
  const d = createDenoiser(tf, {hidden: [16], timeEmbedding: 8, fourierFeatures: 0, seed: 2, maxT: 50});
  const xT = Float32Array.from({length: 20}, (_, i) => i / 10);
  const r = await sample(tf, d, small, {n: 10, xT, keepTrajectory: [50]});
  assert.deepEqual(r.trajectory[0].x, xT);
  assert.ok(r.x0.every(Number.isFinite));
  d.dispose();
});
