// The "Why diffusion" page's checks: the high-quality share of exact mixture draws, the mode-share
// KL, the coverage verdict on good and collapsed samplers, and the drift identity of Eq. 11 with ε*.
import {test} from "node:test";
import assert from "node:assert/strict";
import {datasetMixture, sampleDataset} from "../../src/lib/datasets.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {coverageCheck, driftCheck, expectedHighQualityFraction, gridPoints, modeShareKL} from "../../src/lib/checks/why-diffusion.js";

const ring = datasetMixture("ring-8")!;
const schedule = makeSchedule(DEFAULT_SCHEDULE);

test("the high-quality share of a 2D Gaussian within k sd is 1 − e^{−k²/2}, and Monte Carlo agrees", () => {
  assert.ok(Math.abs(expectedHighQualityFraction(3) - 0.988891003461758) < 1e-12);
  assert.ok(Math.abs(expectedHighQualityFraction(1) - (1 - Math.exp(-0.5))) < 1e-15);
  assert.throws(() => expectedHighQualityFraction(0), /k must be/);
  // 200 000 standard 2D normals: the share inside radius 2 is 1 − e^{−2} ≈ 0.8647, binomial SE
  // √(0.8647·0.1353/2e5) ≈ 7.6e-4; 4 SE.
  const rng = createRng(3);
  const n = 200_000;
  let inside = 0;
  for (let i = 0; i < n; i++) if (rng.normal() ** 2 + rng.normal() ** 2 <= 4) inside++;
  assert.ok(Math.abs(inside / n - expectedHighQualityFraction(2)) < 4 * 7.6e-4, `${inside / n}`);
});

test("modeShareKL: 0 for the data's proportions, log K for one mode, NaN for none", () => {
  const w = new Float64Array(8).fill(1 / 8);
  assert.equal(modeShareKL([5, 5, 5, 5, 5, 5, 5, 5], w), 0);
  assert.ok(Math.abs(modeShareKL([40, 0, 0, 0, 0, 0, 0, 0], w) - Math.log(8)) < 1e-15);
  // Two of eight modes, equally: log 4.
  assert.ok(Math.abs(modeShareKL([0, 3, 0, 0, 3, 0, 0, 0], w) - Math.log(4)) < 1e-15);
  assert.ok(Number.isNaN(modeShareKL([0, 0], [0.5, 0.5])));
  assert.throws(() => modeShareKL([1, 2, 3], w), /counts has 3 modes, weights 8/);
});

test("coverageCheck passes on the ring's own draws at many seeds and fails on collapsed or smeared samplers", () => {
  // Exact draws: each seed passes unless |z| > 4 (probability 6e-5 per seed).
  for (let seed = 1; seed <= 20; seed++) {
    const c = coverageCheck(sampleDataset("ring-8", 2000, seed), ring);
    assert.ok(c.pass, `seed ${seed}: ${c.coverage.modesCovered} modes, z = ${c.z}`);
    assert.equal(c.coverage.modes, 8);
    // With 2000 draws the KL of the mode shares is ≈ (K − 1)/(2n) ≈ 0.002 nats; 0.02 is a loose ceiling.
    assert.ok(c.modeKL < 0.02, `KL ${c.modeKL}`);
  }
  // Collapse: keep only the draws nearest to modes 0 and 1. Every kept point is still of high
  // quality, but six modes are missing.
  const data = sampleDataset("ring-8", 4000, 7);
  const kept: number[] = [];
  for (let j = 0; j < data.length / 2; j++) if (data[2 * j] > 0.9 && data[2 * j + 1] > -0.4) kept.push(data[2 * j], data[2 * j + 1]);
  const collapsed = coverageCheck(kept, ring);
  assert.equal(collapsed.pass, false);
  assert.ok(collapsed.coverage.modesCovered <= 2, `${collapsed.coverage.modesCovered}`);
  assert.ok(collapsed.modeKL > 0.5, `${collapsed.modeKL}`);
  // Smeared: every mode covered, but points spread over the whole ring: the share falls far below 0.989.
  const rng = createRng(9);
  const smeared = new Float64Array(4000);
  for (let j = 0; j < 2000; j++) {
    const phi = 2 * Math.PI * rng.uniform();
    smeared[2 * j] = 1.4 * Math.cos(phi);
    smeared[2 * j + 1] = 1.4 * Math.sin(phi);
  }
  const s = coverageCheck(smeared, ring);
  assert.equal(s.coverage.modesCovered, 8);
  assert.equal(s.pass, false);
  assert.ok(s.z < -10, `z = ${s.z}`);
});

test("gridPoints covers the square corner to corner", () => {
  const g = gridPoints(2, 3);
  assert.deepEqual(Array.from(g), [-2, -2, 0, -2, 2, -2, -2, 0, 0, 0, 2, 0, -2, 2, 0, 2, 2, 2]);
  assert.throws(() => gridPoints(2, 1), /m must be/);
});

test("the drift of Eq. 11 with ε* is a step up the score: identity to rounding, first order within O(β_t)", () => {
  const grid = gridPoints(2.5, 9);
  for (const t of [1, 2, 10, 100, 500, 999, 1000]) {
    const c = driftCheck(ring, schedule, t, grid);
    assert.ok(c.pass, `t = ${t}: max diff ${c.maxAbsDiff} at scale ${c.scale}`);
    assert.ok(c.maxAbsDiff < 1e-12, `t = ${t}: ${c.maxAbsDiff}`);
    // Dropping O(β²): 1/√α − 1 = β/2 + 3β²/8 + …, β/√α = β + β²/2 + …, so the relative error is about β_t/2 ≤ 0.01.
    assert.ok(c.firstOrderRelErr < schedule.beta[t - 1], `t = ${t}: ${c.firstOrderRelErr} vs β ${schedule.beta[t - 1]}`);
  }
  // Near a mode at small t the drift points towards the mode's centre (up the density).
  const mu = [ring.means[0], ring.means[1]];
  const x = [mu[0] + 0.05, mu[1] - 0.05];
  const c = driftCheck(ring, schedule, 50, x);
  assert.ok(c.drift[0] < 0 && c.drift[1] > 0, `${c.drift}`);
  assert.throws(() => driftCheck(ring, schedule, 0, x), /outside 1..1000/);
});
