import {test} from "node:test";
import assert from "node:assert/strict";
import {
  NATS_PER_BIT,
  klDiagGaussian,
  klDiagGaussianPerPoint,
  logNormalDensity,
  logNormalDensityPerPoint,
  toBitsPerDim
} from "../../src/lib/gaussian.js";
import {createRng} from "../../src/lib/random.js";
import {logGauss} from "./helpers.ts";


test("KL of diagonal Gaussians matches a Monte Carlo estimate of E_1[log N1 − log N2]", () => {
  const mu1 = [0.5, -1, 2];
  const var1 = [0.5, 2, 1.5];
  const mu2 = [0, 0, 1];
  const var2 = [1, 1.5, 3];
  const exact = klDiagGaussian(mu1, var1, mu2, var2);
  const rng = createRng(21);
  const n = 100_000;
  let sum = 0, sumSq = 0;
  for (let j = 0; j < n; j++) {
    let r = 0;
    for (let d = 0; d < 3; d++) {
      const x = mu1[d] + Math.sqrt(var1[d]) * rng.normal();
      r += logGauss(x, mu1[d], var1[d]) - logGauss(x, mu2[d], var2[d]);
    }
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / n;
  const se = Math.sqrt((sumSq / n - mean * mean) / (n - 1));
  // 4 standard errors of the mean of n = 100,000 log-ratios (SE ≈ 0.004 here).
  assert.ok(Math.abs(exact - mean) < 4 * se, `KL ${exact} vs MC ${mean} ± ${se}`);
  assert.ok(exact > 0);
});

test("KL: zero for identical Gaussians, isotropic number = constant array, per-point sums", () => {
  assert.equal(klDiagGaussian([1, 2], 0.7, [1, 2], 0.7), 0);
  const a = klDiagGaussian([0.1, 0.2, 0.3], 0.5, [0, 1, -1], 2);
  const b = klDiagGaussian([0.1, 0.2, 0.3], [0.5, 0.5, 0.5], [0, 1, -1], [2, 2, 2]);
  assert.ok(Math.abs(a - b) < 1e-15);
  // Scalar closed form, written out: ½[log(v2/v1) + (v1 + (m1 − m2)²)/v2 − 1].
  const scalar = 0.5 * (Math.log(2 / 0.5) + (0.5 + 0.01) / 2 - 1);
  assert.ok(Math.abs(klDiagGaussian([0.1], 0.5, [0], 2) - scalar) < 1e-15);
  const per = klDiagGaussianPerPoint([0.1, 0.2, 0.3, 0.4], 0.5, [0, 0, 1, 1], 2, 2);
  assert.equal(per.length, 2);
  assert.ok(Math.abs(per[0] - klDiagGaussian([0.1, 0.2], 0.5, [0, 0], 2)) < 1e-15);
  assert.ok(Math.abs(per[1] - klDiagGaussian([0.3, 0.4], 0.5, [1, 1], 2)) < 1e-15);
});

test("log density integrates to 1 on a grid (2-D, per-coordinate variances) and matches the formula", () => {
  const mu = [0.3, -0.5];
  const variance = [0.4, 1.3];
  // ±10 sd in each direction, step sd/20: the Riemann sum of a Gaussian is exact to ~1e-12 here.
  const m = 400;
  const sd = variance.map(Math.sqrt);
  const h = sd.map((v) => (20 * v) / m);
  const grid = new Float64Array(2 * (m + 1) * (m + 1));
  const means = new Float64Array(grid.length);
  let p = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= m; j++) {
      grid[p] = mu[0] - 10 * sd[0] + i * h[0];
      grid[p + 1] = mu[1] - 10 * sd[1] + j * h[1];
      means[p] = mu[0];
      means[p + 1] = mu[1];
      p += 2;
    }
  }
  const perCoordinate = new Float64Array(grid.length).map((_, i) => variance[i % 2]);
  const logp = logNormalDensityPerPoint(grid, means, perCoordinate, 2);
  let integral = 0;
  for (const l of logp) integral += Math.exp(l) * h[0] * h[1];
  assert.ok(Math.abs(integral - 1) < 1e-9, `∫ = ${integral}`);
  const x = [1.1, 0.2];
  const expected = logGauss(x[0], mu[0], variance[0]) + logGauss(x[1], mu[1], variance[1]);
  assert.ok(Math.abs(logNormalDensity(x, mu, variance) - expected) < 1e-14);
  // Isotropic, 1-D.
  let oneD = 0;
  for (let i = -4000; i <= 4000; i++) oneD += Math.exp(logNormalDensity([i * 0.005], [0.2], 0.64)) * 0.005;
  assert.ok(Math.abs(oneD - 1) < 1e-9, `1-D ∫ = ${oneD}`);
});

test("bits per dimension and input checks", () => {
  assert.equal(NATS_PER_BIT, Math.LN2);
  assert.ok(Math.abs(toBitsPerDim(2 * Math.LN2, 2) - 1) < 1e-15);
  assert.ok(Math.abs(toBitsPerDim(3072 * Math.LN2 * 3.7, 3072) - 3.7) < 1e-12);
  assert.throws(() => klDiagGaussian([0, 0], 0, [0, 0], 1), /var1 = 0 must be finite and > 0/);
  assert.throws(() => klDiagGaussian([0, 0], [1, -1], [0, 0], 1), /var1\[1\] = -1 must be finite and > 0/);
  assert.throws(() => klDiagGaussian([0, 0], 1, [0], 1), /mu1 has 2 values but mu2 has 1/);
  assert.throws(() => logNormalDensity([0, 0], [0, 0], [1]), /variance has 1 values but the means have 2/);
  assert.throws(() => klDiagGaussianPerPoint([0, 0, 0], 1, [0, 0, 0], 1, 2), /not a whole number of 2-D points/);
});
