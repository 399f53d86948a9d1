import {test} from "node:test";
import assert from "node:assert/strict";
import {chainSnapshots, forwardSnapshots, qMoments, qSample, qStep, runChain} from "../../src/lib/forward.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule, type Schedule} from "../../src/lib/schedule.js";

const s = makeSchedule(DEFAULT_SCHEDULE);

const N = 4000; // points per Monte Carlo check
const X0 = [1.5, -2]; // one fixed 2D x_0, repeated N times
const x0 = new Float64Array(2 * N).map((_, i) => X0[i % 2]);

/**
 * z-scores of the sample moments of the 2D points `x` against N(m·X0, v I):
 * each mean (SE √(v/N)), each variance (SE v√(2/(N − 1)), Gaussian data) and the covariance (SE v/√N).
 */
function momentZScores(x: Float64Array, meanCoef: number, variance: number): number[] {
  const n = x.length / 2;
  const mean = [0, 0];
  for (let j = 0; j < n; j++) for (let d = 0; d < 2; d++) mean[d] += x[2 * j + d] / n;
  const cov = [0, 0, 0]; // xx, yy, xy
  for (let j = 0; j < n; j++) {
    const dx = x[2 * j] - mean[0];
    const dy = x[2 * j + 1] - mean[1];
    cov[0] += (dx * dx) / (n - 1);
    cov[1] += (dy * dy) / (n - 1);
    cov[2] += (dx * dy) / (n - 1);
  }
  const seMean = Math.sqrt(variance / n);
  const seVar = variance * Math.sqrt(2 / (n - 1));
  const seCov = variance / Math.sqrt(n);
  return [
    (mean[0] - meanCoef * X0[0]) / seMean,
    (mean[1] - meanCoef * X0[1]) / seMean,
    (cov[0] - variance) / seVar,
    (cov[1] - variance) / seVar,
    cov[2] / seCov
  ];
}

function maxAbs(values: number[]): number {
  return Math.max(...values.map(Math.abs));
}

// With N = 4000 each moment is within 4 standard errors with probability ≥ 0.9999 (normal
// approximation, excellent at this N); 5 moments at 5 timesteps make a false alarm ≲ 0.2 %.
const Z = 4;

test("runChain: T steps of q(x_t|x_{t−1}) reproduce the closed form q(x_t|x_0) (mean and covariance)", () => {
  for (const t of [1, 10, 100, 1000]) {
    const xt = runChain(s, x0, t, createRng(100 + t));
    const {meanCoef, variance} = qMoments(s, t);
    const z = momentZScores(xt, meanCoef, variance);
    assert.ok(maxAbs(z) < Z, `t=${t}: z-scores ${z.map((v) => v.toFixed(2))}`);
  }
});

test("the moment check has power: a chain with β doubled fails it at t = 100", () => {
  const doubled = makeSchedule({kind: "custom", beta: Array.from(s.beta, (b) => 2 * b)});
  const xt = runChain(doubled, x0, 100, createRng(3));
  const {meanCoef, variance} = qMoments(s, 100);
  // Variance 1 − ᾱ_100 ≈ 0.10 becomes ≈ 0.19: dozens of standard errors.
  assert.ok(maxAbs(momentZScores(xt, meanCoef, variance)) > 20);
});

test("chainSnapshots follows one set of trajectories and agrees with the closed form at each t", () => {
  const ts = [0, 250, 500];
  const snaps = chainSnapshots(s, x0, ts, createRng(9));
  assert.equal(snaps.length, 3);
  assert.deepEqual(Array.from(snaps[0]), Array.from(x0));
  for (let k = 1; k < ts.length; k++) {
    const {meanCoef, variance} = qMoments(s, ts[k]);
    const z = momentZScores(snaps[k], meanCoef, variance);
    assert.ok(maxAbs(z) < Z, `t=${ts[k]}: ${z.map((v) => v.toFixed(2))}`);
  }
  // Same trajectories: x_500 is x_250 pushed further, so they are correlated (closed-form draws are not).
  // Cov(x_250, x_500) = √(ᾱ_500/ᾱ_250)(1 − ᾱ_250) per coordinate, ≈ 0.49 here.
  let c = 0;
  for (let j = 0; j < N; j++) c += (snaps[1][2 * j] - qMoments(s, 250).meanCoef * X0[0]) * (snaps[2][2 * j] - qMoments(s, 500).meanCoef * X0[0]);
  c /= N;
  const expected = Math.sqrt(s.alphaBar[499] / s.alphaBar[249]) * (1 - s.alphaBar[249]);
  // The product of two unit-ish normals has sd ≲ 1, so the SE of c is ≲ 1/√N ≈ 0.016.
  assert.ok(Math.abs(c - expected) < 4 / Math.sqrt(N), `cov ${c} vs ${expected}`);
});

test("forwardSnapshots: one closed-form draw per requested t, deterministic in the seed", () => {
  const ts = [0, 1, 300, 1000];
  const a = forwardSnapshots(s, x0, ts, createRng(5));
  const b = forwardSnapshots(s, x0, ts, createRng(5));
  assert.deepEqual(a.map((x) => Array.from(x)), b.map((x) => Array.from(x)));
  assert.deepEqual(Array.from(a[0]), Array.from(x0));
  for (let k = 1; k < ts.length; k++) {
    const {meanCoef, variance} = qMoments(s, ts[k]);
    assert.ok(maxAbs(momentZScores(a[k], meanCoef, variance)) < Z, `t=${ts[k]}`);
  }
  assert.throws(() => forwardSnapshots(s, x0, [1001], createRng(1)), /t = 1001 is outside 0\.\.1000/);
});

test("qSample and qStep are the reparameterised Eq. 4 and Eq. 2", () => {
  const x = [0.3, -1.2, 2];
  const e = [1, 0.5, -0.25];
  for (const t of [1, 7, 1000]) {
    const ab = s.alphaBar[t - 1];
    const expected = x.map((v, i) => Math.sqrt(ab) * v + Math.sqrt(1 - ab) * e[i]);
    qSample(s, x, t, e).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12));
    const b = s.beta[t - 1];
    const step = x.map((v, i) => Math.sqrt(1 - b) * v + Math.sqrt(b) * e[i]);
    qStep(s, x, t, e).forEach((v, i) => assert.ok(Math.abs(v - step[i]) < 1e-12));
  }
  assert.throws(() => qSample(s, x, 0, e), /t = 0 is outside 1\.\.1000/);
  assert.throws(() => qSample(s, x, 3, [1, 2]), /x0 has 3 values but eps has 2/);
  assert.throws(() => runChain(s, x, 2000, createRng(1)), /outside 0\.\.1000/);
});

test("qMoments equals the moments of the composed chain (exact recursion, no sampling)", () => {
  // Composing Gaussian steps: m_t = √α_t m_{t−1}, v_t = α_t v_{t−1} + β_t, from m_0 = 1, v_0 = 0.
  function check(sch: Schedule) {
    let m = 1;
    let v = 0;
    for (let t = 1; t <= sch.T; t++) {
      m *= Math.sqrt(1 - sch.beta[t - 1]);
      v = (1 - sch.beta[t - 1]) * v + sch.beta[t - 1];
      const q = qMoments(sch, t);
      assert.ok(Math.abs(q.meanCoef - m) < 1e-12 && Math.abs(q.variance - v) < 1e-12, `t=${t}`);
    }
  }
  check(s);
  check(makeSchedule({kind: "cosine", T: 200}));
  assert.equal(runChain(s, x0, 0, createRng(1)).length, x0.length);
});
