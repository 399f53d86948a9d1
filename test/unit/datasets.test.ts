import {test} from "node:test";
import assert from "node:assert/strict";
import {DATASETS, DATASET_IDS, datasetEntropy, datasetMixture, sampleDataset, type DatasetId, heldOutDataset, RING8_MODE_STD} from "../../src/lib/datasets.js";
import {mixtureMoments} from "../../src/lib/mixture.js";
import {DATASET_WORDS} from "../../src/components/dataset-words.js";

const N = 20_000;

/** Per-coordinate mean and variance of flat 2D points, with their standard errors. */
function moments(x: Float64Array) {
  const n = x.length / 2;
  return [0, 1].map((d) => {
    let m = 0;
    for (let j = 0; j < n; j++) m += x[2 * j + d] / n;
    let m2 = 0, m4 = 0;
    for (let j = 0; j < n; j++) {
      const c = (x[2 * j + d] - m) ** 2;
      m2 += c / n;
      m4 += (c * c) / n;
    }
    // SE of the mean √(m2/n); SE of the sample variance √((m4 − m2²)/n) (any distribution).
    return {mean: m, variance: m2, seMean: Math.sqrt(m2 / n), seVariance: Math.sqrt((m4 - m2 * m2) / n)};
  });
}

test("every data set: length 2n, finite, centred with unit variance per coordinate (fixed constants)", () => {
  for (const id of DATASET_IDS) {
    const x = sampleDataset(id, N, 1);
    assert.equal(x.length, 2 * N, id);
    assert.ok(x.every(Number.isFinite), `${id}: non-finite value`);
    // The standardising constants are the exact population moments, so each sample moment is
    // within 4 of its standard errors (n = 20,000; 28 such checks, false alarm ≈ 0.2 %).
    for (const [d, m] of moments(x).entries()) {
      assert.ok(Math.abs(m.mean) < 4 * m.seMean, `${id} coordinate ${d}: mean ${m.mean} (SE ${m.seMean})`);
      assert.ok(Math.abs(m.variance - 1) < 4 * m.seVariance, `${id} coordinate ${d}: variance ${m.variance} (SE ${m.seVariance})`);
    }
  }
});

test("same seed → same points; another seed → other points; a prefix does not depend on n", () => {
  for (const id of DATASET_IDS) {
    const a = sampleDataset(id, 500, 42);
    const b = sampleDataset(id, 500, 42);
    const c = sampleDataset(id, 500, 43);
    assert.deepEqual(Array.from(a), Array.from(b), id);
    assert.ok(a.some((v, i) => v !== c[i]), `${id}: seeds 42 and 43 agree`);
    assert.deepEqual(Array.from(sampleDataset(id, 100, 42)), Array.from(a.subarray(0, 200)), `${id} prefix`);
    assert.equal(sampleDataset(id, 0, 1).length, 0);
  }
});

test("mixture data sets are drawn from exactly their mixture", () => {
  for (const id of ["ring-8", "grid-25"] as const) {
    const gm = datasetMixture(id)!;
    assert.ok(gm, id);
    assert.equal(DATASETS[id].mixture, true);
    const K = gm.weights.length;
    assert.equal(K, id === "ring-8" ? 8 : 25);
    // The mixture itself is standardised exactly: mean 0, variance 1 per coordinate.
    const mm = mixtureMoments(gm);
    for (let d = 0; d < 2; d++) {
      assert.ok(Math.abs(mm.mean[d]) < 1e-12 && Math.abs(mm.variance[d] - 1) < 1e-12, `${id}: exact moments`);
    }
    const x = sampleDataset(id, N, 5);
    for (const [d, m] of moments(x).entries()) {
      assert.ok(Math.abs(m.mean - mm.mean[d]) < 4 * m.seMean, `${id} mean ${d}`);
      assert.ok(Math.abs(m.variance - mm.variance[d]) < 4 * m.seVariance, `${id} variance ${d}`);
    }
    // Each point belongs to its nearest mode (modes are ≥ 10 sd apart); counts are Binomial(N, 1/K)
    // and the squared distance to the mode is σ²·χ²₂ (mean 2σ², sd 2σ²).
    const counts = new Array(K).fill(0);
    const sq = new Array(K).fill(0);
    for (let j = 0; j < N; j++) {
      let best = 0, bestD = Infinity;
      for (let k = 0; k < K; k++) {
        const dd = (x[2 * j] - gm.means[2 * k]) ** 2 + (x[2 * j + 1] - gm.means[2 * k + 1]) ** 2;
        if (dd < bestD) [best, bestD] = [k, dd];
      }
      counts[best]++;
      sq[best] += bestD;
    }
    const sigma2 = gm.variances[0];
    for (let k = 0; k < K; k++) {
      const se = Math.sqrt((N * (1 / K) * (1 - 1 / K)));
      assert.ok(Math.abs(counts[k] - N / K) < 4.5 * se, `${id} mode ${k}: ${counts[k]} points`);
      const meanSq = sq[k] / counts[k];
      assert.ok(Math.abs(meanSq - 2 * sigma2) < 4.5 * (2 * sigma2) / Math.sqrt(counts[k]), `${id} mode ${k} spread ${meanSq}`);
    }
  }
});

test("metadata: DATASETS lists every id; only ring-8 and grid-25 are mixtures; unknown ids refused", () => {
  assert.deepEqual(Object.keys(DATASETS).sort(), [...DATASET_IDS].sort());
  assert.deepEqual(Object.keys(DATASET_WORDS).sort(), [...DATASET_IDS].sort());
  for (const id of DATASET_IDS) {
    assert.equal(DATASETS[id].id, id);
    assert.ok(DATASET_WORDS[id].label.length > 0 && DATASET_WORDS[id].description.length > 0);
    assert.equal(DATASETS[id].mixture, datasetMixture(id) !== null, id);
  }
  assert.throws(() => sampleDataset("spiral" as DatasetId, 10, 1), /unknown dataset "spiral"; expected one of swiss-roll/);
  assert.throws(() => sampleDataset("two-moons", -1, 1), /n must be an integer ≥ 0, got -1/);
  assert.throws(() => sampleDataset("two-moons", 2.5, 1), /n must be an integer ≥ 0, got 2\.5/);
  assert.throws(() => sampleDataset("two-moons", 10, NaN), /seed must be a finite number/);
});

test("held-out points are a fresh draw of the same set: reproducible, and none of them a training point", () => {
  const train = sampleDataset("two-moons", 500, 3);
  const held = heldOutDataset("two-moons", 500, 3);
  assert.deepEqual(Array.from(held), Array.from(heldOutDataset("two-moons", 500, 3)));
  const seen = new Set<string>();
  for (let j = 0; j < 500; j++) seen.add(`${train[2 * j]},${train[2 * j + 1]}`);
  for (let j = 0; j < 500; j++) assert.ok(!seen.has(`${held[2 * j]},${held[2 * j + 1]}`), `held-out point ${j} is a training point`);
});

test("datasetEntropy: the ring's entropy is log 8 plus one mode's, (D/2) log(2πe σ²), its modes being far apart; none for other sets", () => {
  const h = datasetEntropy("ring-8", 1)!;
  const expected = Math.log(8) + Math.log(2 * Math.PI * Math.E * RING8_MODE_STD ** 2);
  assert.ok(h.stdErr > 0 && h.stdErr < 0.02, `standard error ${h.stdErr}`);
  assert.ok(Math.abs(h.value - expected) < 4 * h.stdErr, `${h.value} ± ${h.stdErr} against ${expected}`);
  assert.deepEqual(datasetEntropy("ring-8", 1), h, "seeded: the same number everywhere");
  assert.equal(datasetEntropy("swiss-roll", 1), null);
});
