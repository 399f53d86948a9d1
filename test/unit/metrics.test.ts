import {test} from "node:test";
import assert from "node:assert/strict";
import {datasetMixture, sampleDataset} from "../../src/lib/datasets.js";
import {energyDistance, energyFloor, modeCoverage, sampleQuality} from "../../src/lib/metrics.js";
import {sampleMixture} from "../../src/lib/mixture.js";
import {createRng} from "../../src/lib/random.js";
import {closeAbs as close} from "./helpers.ts";


test("energy distance on hand-computed 1-D examples (V- and U-statistics)", () => {
  close(energyDistance([0], [1], 1), 2); // 2·1 − 0 − 0
  // a = {0, 2}, b = {1}: cross mean 1; within a over all 4 pairs (V) = (0 + 2 + 2 + 0)/4 = 1.
  close(energyDistance([0, 2], [1], 1), 1);
  // b = {1, 1}: within b = 0; within a over the 2 ordered pairs i ≠ j (U) = 2.
  close(energyDistance([0, 2], [1, 1], 1, "U"), 0);
  close(energyDistance([0, 2], [1, 1], 1, "V"), 1);
  // 2-D: a = {(0, 0)}, b = {(3, 4)}: 2·5.
  close(energyDistance([0, 0], [3, 4]), 10);
  assert.throws(() => energyDistance([0, 2], [1], 1, "U"), /needs at least 2 points in each sample, got 2 and 1/);
  assert.throws(() => energyDistance([0, 1, 2], [1, 2]), /a has 3 values, not a whole number of 2-D points/);
});

test("energy distance matches its population value for disjoint uniforms: 2δ − 2/3", () => {
  // X ~ U(0, 1), Y ~ U(δ, δ + 1) with δ = 2: E|X − Y| = δ, E|X − X′| = E|Y − Y′| = 1/3.
  const n = 1000;
  const rng = createRng(12);
  const a = Float64Array.from({length: n}, () => rng.uniform());
  const b = Float64Array.from({length: n}, () => 2 + rng.uniform());
  const u = energyDistance(a, b, 1, "U");
  // SE: the cross term is exactly ȳ − x̄ (all y > x), SE 2√(2/(12n)) ≈ 0.026 after doubling; each
  // within-sample U-statistic has SE √(4 Var(u² − u)/n) = √(4/(180 n)) ≈ 0.005. Total ≈ 0.027; 4 SE.
  assert.ok(Math.abs(u - (4 - 2 / 3)) < 4 * 0.027, `${u}`);
  // The V-statistic adds the within-sample means divided by n and m (checked exactly below): larger.
  const v = energyDistance(a, b, 1, "V");
  assert.ok(v > u);
});

test("two samples of one distribution are near 0; a shifted one is far; the V floor is E‖X − X′‖(1/n + 1/m)", () => {
  const n = 1000;
  const a = sampleDataset("ring-8", n, 1);
  const b = sampleDataset("ring-8", n, 2);
  const u = energyDistance(a, b, 2, "U");
  const v = energyDistance(a, b, 2, "V");
  // Under the null the U-statistic is degenerate: its sd is of order E‖X − X′‖/n ≈ 0.0018 (E‖X − X′‖ ≈ 1.8
  // for ring-8); 0.01 is more than 5 of those.
  assert.ok(Math.abs(u) < 0.01, `U = ${u}`);
  // V = U + (mean within-a distance)/n + (mean within-b distance)/m, an exact identity.
  let withinA = 0, withinB = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      withinA += Math.hypot(a[2 * i] - a[2 * j], a[2 * i + 1] - a[2 * j + 1]) / (n * (n - 1));
      withinB += Math.hypot(b[2 * i] - b[2 * j], b[2 * i + 1] - b[2 * j + 1]) / (n * (n - 1));
    }
  }
  close(v, u + withinA / n + withinB / n, 1e-10);
  assert.ok(withinA > 1.6 && withinA < 2); // E‖X − X′‖ for ring-8
  // Shifting one sample by 0.5 along x: ≈ 0.13–0.17 (measured), > 10× the null bound above.
  const shifted = b.map((x, i) => (i % 2 === 0 ? x + 0.5 : x));
  assert.ok(energyDistance(a, shifted, 2, "U") > 0.1);
  assert.ok(energyDistance(a, shifted) > v);
});

test("mode coverage: the mixture's own samples cover all modes with ≈ 1 − e^{−9/2} high quality", () => {
  const ring = datasetMixture("ring-8")!;
  const n = 4000;
  const cov = modeCoverage(sampleMixture(ring, n, createRng(3)), ring);
  assert.equal(cov.modes, 8);
  assert.equal(cov.modesCovered, 8);
  assert.equal(cov.counts.reduce((x, y) => x + y, 0), Math.round(cov.highQualityFraction * n));
  // ‖x − μ_k‖²/σ² ~ χ²₂, so P(within 3σ) = 1 − e^{−4.5} = 0.98889; binomial SE √(p(1 − p)/n) ≈ 0.0017; 4 SE.
  const p = 1 - Math.exp(-4.5);
  assert.ok(Math.abs(cov.highQualityFraction - p) < 4 * Math.sqrt((p * (1 - p)) / n), `${cov.highQualityFraction}`);
  const p1 = 1 - Math.exp(-0.5);
  const one = modeCoverage(sampleMixture(ring, n, createRng(4)), ring, {k: 1});
  assert.ok(Math.abs(one.highQualityFraction - p1) < 4 * Math.sqrt((p1 * (1 - p1)) / n), `k=1: ${one.highQualityFraction}`);
});

test("mode coverage counts collapsed and off-mode samples", () => {
  const grid = datasetMixture("grid-25")!;
  // 10 points at each of modes 0, 7, 24 (collapse onto 3 modes), plus 5 far away.
  const pts: number[] = [];
  for (const k of [0, 7, 24]) for (let i = 0; i < 10; i++) pts.push(grid.means[2 * k] + 0.01, grid.means[2 * k + 1]);
  for (let i = 0; i < 5; i++) pts.push(10, 10);
  const cov = modeCoverage(pts, grid);
  assert.equal(cov.modes, 25);
  assert.equal(cov.modesCovered, 3);
  assert.equal(cov.highQualityFraction, 30 / 35);
  assert.deepEqual([cov.counts[0], cov.counts[7], cov.counts[24], cov.counts[1]], [10, 10, 10, 0]);
  assert.equal(modeCoverage(pts, grid, {minCount: 11}).modesCovered, 0);
  // Between two modes (half the spacing ≈ 7σ from each): not high quality.
  const mid = [(grid.means[0] + grid.means[2]) / 2, (grid.means[1] + grid.means[3]) / 2];
  assert.equal(modeCoverage(mid, grid).highQualityFraction, 0);
  assert.throws(() => modeCoverage(pts, grid, {k: 0}), /k must be > 0/);
});

test("energyFloor is the mean energy distance between independent data samples of those sizes", () => {
  const draw = sampleDataset;
  const n = 200;
  const values: number[] = [];
  for (let k = 0; k < 60; k++) values.push(energyDistance(draw("ring-8", n, 1000 + 2 * k), draw("ring-8", n, 1001 + 2 * k)));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  const floor = energyFloor(draw("ring-8", 3000, 7), n, n);
  // 60 independent pairs: the mean's standard error is sd/√60; allow 4 of them.
  assert.ok(Math.abs(mean - floor) < 4 * sd / Math.sqrt(values.length), `mean ${mean} ± ${sd / Math.sqrt(60)} vs floor ${floor}`);
  // One draw scatters widely: this is why the floor is an expectation.
  assert.ok(Math.max(...values) / Math.min(...values) > 2);
  assert.throws(() => energyFloor(new Float64Array(2), 10), /at least 2/);
});

test("sampleQuality: the energy to the first reference points, the floor from all held-out points, modes on mixtures only", () => {
  const ring = datasetMixture("ring-8")!;
  const heldOut = sampleDataset("ring-8", 400, 3);
  const samples = sampleMixture(ring, 150, createRng(4));
  const q = sampleQuality(samples, heldOut, {mixture: ring, referencePoints: 100});
  assert.equal(q.energy, energyDistance(samples, heldOut.subarray(0, 200)));
  assert.equal(q.energyFloor, energyFloor(heldOut, 150, 100));
  const coverage = modeCoverage(samples, ring);
  assert.deepEqual([q.modesCovered, q.modes, q.highQualityFraction], [coverage.modesCovered, coverage.modes, coverage.highQualityFraction]);
  // All held-out points by default; a floor passed in is used as it is; no mixture, no mode fields.
  const plain = sampleQuality(samples, heldOut, {floor: 0.5});
  assert.equal(plain.energy, energyDistance(samples, heldOut));
  assert.equal(plain.energyFloor, 0.5);
  assert.deepEqual(Object.keys(plain), ["energy", "energyFloor"]);
  assert.throws(() => sampleQuality([1, 2, 3], heldOut), /samples has 3 values/);
});
