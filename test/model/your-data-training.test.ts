// buildTraining on the reader's own data: it trains on the training part of the split and keeps the
// held-out part for the ledger and the quality, refuses a configuration without the points (or with
// points for a built-in dataset) in words, and frees what it allocated.
import {test} from "node:test";
import assert from "node:assert/strict";
import {prepareDataset} from "../../src/lib/custom-data.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {fingerprintPoints, YOUR_DATA, yourDataSplit} from "../../src/lib/your-data-training.js";
import {DEFAULT_TRAINING, type TrainingConfig} from "../../src/model/protocol.js";
import {buildTraining} from "../../src/model/training.js";
import {tf, useCpu} from "./helpers.js";

await useCpu();
const schedule = makeSchedule(DEFAULT_SCHEDULE);

function yourData(n: number) {
  const rng = createRng(3);
  const raw = Float64Array.from({length: 2 * n}, (_, i) => (i % 2 ? 10 : -3) + rng.normal());
  const prepared = prepareDataset(raw, "pasted");
  assert.ok(prepared.ok);
  return {points: prepared.value.points, source: "pasted", fingerprint: fingerprintPoints(prepared.value.points)};
}

test("on your data, buildTraining trains on the training split and holds out the rest; it frees its tensors", () => {
  const custom = yourData(120);
  const config: TrainingConfig = {...DEFAULT_TRAINING, dataset: YOUR_DATA, custom, batchSize: 16};
  const before = tf.memory().numTensors;
  const built = buildTraining(tf, config, schedule);
  const split = yourDataSplit(custom.points);
  assert.deepEqual(Array.from(built.data), Array.from(split.train));
  assert.deepEqual(Array.from(built.heldOut), Array.from(split.heldOut));
  assert.equal(built.heldOut.length / 2, 30);
  const loss = built.trainer.step();
  assert.ok(Number.isFinite(loss), `loss ${loss}`);
  built.trainer.dispose();
  built.denoiser.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("buildTraining refuses your data without points, and points with a built-in dataset, in words", () => {
  assert.throws(() => buildTraining(tf, {...DEFAULT_TRAINING, dataset: YOUR_DATA}, schedule), /dataset "your-data" needs the points themselves/);
  assert.throws(() => buildTraining(tf, {...DEFAULT_TRAINING, custom: yourData(50)}, schedule), /points were given with dataset "ring-8"/);
});
