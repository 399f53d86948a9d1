import {test} from "node:test";
import assert from "node:assert/strict";
import {prepareDataset, splitDataset} from "../../src/lib/custom-data.js";
import {trainingDatasetLabel} from "../../src/components/dataset-words.js";
import {fittedMixture} from "../../src/components/your-data-words.js";
import {encodeStored} from "../../src/lib/custom-data-keep.js";
import {DATASET_IDS} from "../../src/lib/datasets.js";
import {energyDistance, energyFloor} from "../../src/lib/metrics.js";
import {mixtureLogDensity} from "../../src/lib/mixture.js";
import {createRng} from "../../src/lib/random.js";
import {LEDGER_SEED, YOUR_DATA_SPLIT_SEED} from "../../src/lib/seeds.js";
import {
  checkYourTrainingData,
  fingerprintPoints,
  mixtureBaseline,
  readKeptData,
  sameYourData,
  YOUR_DATA,
  YOUR_DATA_LEDGER_SEED,
  yourDataFit,
  yourDataQuality,
  yourDataSplit,
  type YourTrainingData
} from "../../src/lib/your-data-training.js";

/** n raw points on a noisy ring of radius 3 around (5, −2), in the reader's units. */
function rawRing(n: number, seed = 4): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    const a = 2 * Math.PI * rng.uniform();
    out[2 * j] = 5 + 3 * Math.cos(a) + 0.1 * rng.normal();
    out[2 * j + 1] = -2 + 3 * Math.sin(a) + 0.1 * rng.normal();
  }
  return out;
}

const dataOf = (raw: Float64Array, source = "drawn"): YourTrainingData => {
  const prepared = prepareDataset(raw, source);
  assert.ok(prepared.ok);
  return {points: prepared.value.points, source, fingerprint: fingerprintPoints(prepared.value.points)};
};

test("readKeptData: the kept points standardised, with a fingerprint; nothing, a drawing too small and a damaged store each say why", () => {
  const raw = rawRing(200);
  const kept = readKeptData(encodeStored(raw, "drawn"));
  assert.ok(kept.ok);
  const prepared = prepareDataset(raw, "drawn");
  assert.ok(prepared.ok);
  assert.deepEqual(Array.from(kept.data.points), Array.from(prepared.value.points));
  assert.equal(kept.data.source, "drawn");
  assert.equal(kept.data.fingerprint, fingerprintPoints(prepared.value.points));

  const none = readKeptData(null);
  assert.ok(!none.ok && none.empty);
  assert.match(none.reason, /No points of your own are kept/);
  const cleared = readKeptData(encodeStored([], "drawn"));
  assert.ok(!cleared.ok && cleared.empty);
  // A drawing in progress is kept with fewer points than training needs.
  const small = readKeptData(encodeStored(raw.subarray(0, 2 * 12), "drawn"));
  assert.ok(!small.ok && !small.empty);
  assert.match(small.reason, /cannot be trained on: Only 12 points; at least 40 are needed/);
  const damaged = readKeptData("{not json");
  assert.ok(!damaged.ok && !damaged.empty);
  assert.match(damaged.reason, /not readable/);
});

test("fingerprintPoints and sameYourData tell the same points from others, and no data from some", () => {
  const a = dataOf(rawRing(100));
  const b = dataOf(rawRing(100));
  const c = dataOf(rawRing(100, 5));
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notEqual(a.fingerprint, c.fingerprint);
  assert.match(a.fingerprint, /^100:[0-9a-f]{8}$/);
  // A change in one coordinate's last bit changes it.
  const nudged = Float64Array.from(a.points);
  nudged[17] = nudged[17] + Math.abs(nudged[17]) * Number.EPSILON;
  assert.notEqual(fingerprintPoints(nudged), a.fingerprint);
  assert.ok(sameYourData(a, b));
  assert.ok(!sameYourData(a, c));
  assert.ok(sameYourData(undefined, undefined));
  assert.ok(!sameYourData(a, undefined));
});

test("checkYourTrainingData: your data need their points; built-in data take none; bad points are named", () => {
  const data = dataOf(rawRing(100));
  assert.doesNotThrow(() => checkYourTrainingData(YOUR_DATA, data));
  assert.doesNotThrow(() => checkYourTrainingData("ring-8", undefined));
  assert.throws(() => checkYourTrainingData(YOUR_DATA, undefined), /dataset "your-data" needs the points themselves/);
  assert.throws(() => checkYourTrainingData("ring-8", data), /points were given with dataset "ring-8"/);
  assert.throws(() => checkYourTrainingData(YOUR_DATA, {...data, points: data.points.slice(0, 20)}), /custom\.points: Only 10 points; at least 40/);
  const bad = Float64Array.from(data.points);
  bad[3] = NaN;
  assert.throws(() => checkYourTrainingData(YOUR_DATA, {...data, points: bad}), /custom\.points: .*finite/);
  assert.throws(() => checkYourTrainingData(YOUR_DATA, {...data, points: Array.from(data.points) as unknown as Float64Array}), /a Float64Array/);
});

test("yourDataSplit is the Forward page's split (its named seed): a quarter held out, every point once", () => {
  const data = dataOf(rawRing(203));
  const split = yourDataSplit(data.points);
  const same = splitDataset(data.points, {seed: YOUR_DATA_SPLIT_SEED});
  assert.deepEqual(Array.from(split.train), Array.from(same.train));
  assert.deepEqual(Array.from(split.heldOut), Array.from(same.heldOut));
  assert.equal(split.heldOut.length / 2, Math.round(203 / 4));
  assert.equal((split.train.length + split.heldOut.length) / 2, 203);
  const key = (a: ArrayLike<number>) => Array.from({length: a.length / 2}, (_, j) => `${a[2 * j]},${a[2 * j + 1]}`);
  assert.deepEqual([...key(split.train), ...key(split.heldOut)].sort(), key(data.points).sort());
});

test("yourDataQuality: the energy distance to the whole held-out split beside its floor for these sizes; no modes", () => {
  const data = dataOf(rawRing(400));
  const {train, heldOut} = yourDataSplit(data.points);
  const samples = Float32Array.from(train.subarray(0, 2 * 250));
  const q = yourDataQuality(samples, heldOut, 500);
  assert.equal(q.points, 250);
  assert.equal(q.heldOut, 100);
  assert.ok(Math.abs(q.energy - energyDistance(Array.from(samples), heldOut)) < 1e-12);
  assert.ok(Math.abs(q.energyFloor - energyFloor(heldOut, 250, 100)) < 1e-12);
  assert.equal(q.modes, undefined);
  // Points of the data itself sit near the floor; points far off do not.
  assert.ok(q.energy / q.energyFloor < 4, `data against data: ${q.energy / q.energyFloor}`);
  const far = samples.map((v) => v + 3);
  assert.ok(yourDataQuality(far, heldOut, 500).energy / q.energyFloor > 50);
  assert.throws(() => yourDataQuality(samples, heldOut.subarray(0, 2), 500), /at least 2 held-out points/);
});

test("mixtureBaseline: the fitted mixture's mean −log p on the given held-out points, with its standard error, named as a fit", () => {
  const data = dataOf(rawRing(400));
  const split = yourDataSplit(data.points);
  const fit = yourDataFit(split);
  assert.ok(fit.available);
  const points = split.heldOut.subarray(0, 2 * 60);
  const baseline = mixtureBaseline(fit, points)!;
  const logp = Array.from(mixtureLogDensity(fit.mixture, points));
  const mean = -logp.reduce((s, v) => s + v, 0) / logp.length;
  const sd = Math.sqrt(logp.reduce((s, v) => s + (-v - mean) ** 2, 0) / (logp.length - 1));
  assert.ok(Math.abs(baseline.value - mean) < 1e-12);
  assert.ok(Math.abs(baseline.stdErr - sd / Math.sqrt(60)) < 1e-12);
  assert.equal(baseline.examples, 60);
  assert.equal(baseline.K, 12);
  assert.equal(fittedMixture(baseline.K, "training points"), "a 12-component Gaussian mixture fitted to your training points");
  // Too few points for 12 components: no fit, no baseline, and the reason.
  const few = yourDataFit(yourDataSplit(dataOf(rawRing(60)).points));
  assert.ok(!few.available);
  assert.match(few.reason, /needs at least 60 points/);
  assert.equal(mixtureBaseline(few, points), null);
});

test("your data's ledger seed follows the built-in datasets' and the menu names your data by its size", () => {
  assert.equal(YOUR_DATA_LEDGER_SEED, LEDGER_SEED + DATASET_IDS.length);
  assert.equal(trainingDatasetLabel(YOUR_DATA, dataOf(rawRing(1234))), "Your data (1,234 points)");
  assert.equal(trainingDatasetLabel(YOUR_DATA), "Your data");
  assert.equal(trainingDatasetLabel("ring-8"), "8 Gaussians (ring)");
});
