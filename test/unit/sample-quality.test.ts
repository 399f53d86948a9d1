import {test} from "node:test";
import assert from "node:assert/strict";
import {heldOutDataset, sampleDataset} from "../../src/lib/datasets.ts";
import {energyDistance, energyFloor} from "../../src/lib/metrics.ts";
import {DATA_RATIO_95, QUALITY_POINTS, comparableQuality} from "../../src/lib/sample-quality.ts";

const heldOut = heldOutDataset("ring-8", 2000, 1);

test("every figure compares QUALITY_POINTS samples with the same held-out points and floor", () => {
  const thousand = sampleDataset("ring-8", 1000, 42);
  const q = comparableQuality(thousand, heldOut, "ring-8");
  assert.equal(q.points, QUALITY_POINTS);
  assert.equal(q.energy, energyDistance(thousand.subarray(0, 2 * QUALITY_POINTS), heldOut.subarray(0, 2 * QUALITY_POINTS)));
  assert.equal(q.energyFloor, energyFloor(heldOut, QUALITY_POINTS, QUALITY_POINTS));
  const other = comparableQuality(sampleDataset("ring-8", 500, 43), heldOut, "ring-8");
  assert.equal(other.energyFloor, q.energyFloor, "one floor for every figure");
  // Data against data: near the floor, all 8 modes.
  assert.ok(q.energy < 3 * q.energyFloor, `${q.energy} vs floor ${q.energyFloor}`);
  assert.equal(q.modesCovered, 8);
});

test("far-off samples score far above the floor; the floor cache returns the same number", () => {
  const floors = new Map();
  const shifted = Float64Array.from(sampleDataset("ring-8", 500, 44), (v) => v + 3);
  const q = comparableQuality(shifted, heldOut, "ring-8", floors);
  assert.ok(q.energy > 100 * q.energyFloor);
  assert.equal(floors.size, 1);
  assert.equal(comparableQuality(shifted, heldOut, "ring-8", floors).energyFloor, q.energyFloor);
  assert.throws(() => comparableQuality(shifted, heldOut.subarray(0, 100), "ring-8"), /needs 500 held-out points/);
});

test("two samples of the data itself score below DATA_RATIO_95 in 95% of draws", () => {
  for (const dataset of ["ring-8", "swiss-roll", "checkerboard"] as const) {
    const held = heldOutDataset(dataset, 2000, 1);
    const floors = new Map();
    const ratios = Array.from({length: 100}, (_, i) => {
      const q = comparableQuality(sampleDataset(dataset, QUALITY_POINTS, 100 + i), held, dataset, floors);
      return q.energy / q.energyFloor;
    }).sort((a, b) => a - b);
    const p95 = ratios[94];
    assert.ok(p95 < DATA_RATIO_95 && p95 > 0.6 * DATA_RATIO_95, `${dataset}: 95th percentile ${p95.toFixed(2)}`);
  }
});
