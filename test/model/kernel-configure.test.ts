// configure() on the WebAssembly kernel's trainer: new settings take effect from the next step,
// keep θ, Adam's state and the step count, match what the tfjs trainer does with the same
// settings, and bad values are refused with the tfjs trainer's messages, changing nothing.
import {test} from "node:test";
import assert from "node:assert/strict";
import {sampleDataset} from "../../src/lib/datasets.js";
import {makeSchedule} from "../../src/lib/schedule.js";
import {lossWeights} from "../../src/lib/loss-weights.js";
import {createDenoiser, type DenoiserConfig} from "../../src/model/denoiser.js";
import {loadKernel} from "../../src/model/kernel/load.js";
import {createKernelTrainer} from "../../src/model/kernel/trainer.js";
import {createTrainer, type Trainer} from "../../src/model/trainer.js";
import type {TrainerOptions, TrainerSettings} from "../../src/model/trainer-options.js";
import {allFinite, relError, tf, useCpu} from "./helpers.js";

await useCpu();
const kernel = await loadKernel("simd");

const schedule = makeSchedule({kind: "linear", T: 1000});
const ring = sampleDataset("ring-8", 2000, 1);
const tiny: DenoiserConfig = {hidden: [32, 32], timeEmbedding: 16, fourierFeatures: 2, seed: 3};

async function setup(engine: "kernel" | "tfjs", options: Partial<TrainerOptions> = {}) {
  const denoiser = createDenoiser(tf, tiny);
  const base = {denoiser, schedule, data: ring, batchSize: 64, learningRate: 1e-3, seed: 7, ...options};
  const trainer: Trainer = engine === "kernel" ? await createKernelTrainer(tf, {...base, kernel}) : createTrainer(tf, base);
  return {denoiser, trainer, dispose: () => (trainer.dispose(), denoiser.dispose())};
}

test("kernel trainer: configured at step 0 it trains exactly like one created with those settings", async () => {
  const settings = {learningRate: 3e-3, batchSize: 48, loss: "vlb" as const, sigma2Kind: "beta" as const};
  const direct = await setup("kernel", settings);
  const configured = await setup("kernel");
  configured.trainer.configure(settings);
  assert.deepEqual(Array.from(configured.trainer.lossWeights), Array.from(lossWeights(schedule, "vlb", "beta")));
  const a = await direct.trainer.steps(5);
  const b = await configured.trainer.steps(5);
  assert.deepEqual(Array.from(b.losses), Array.from(a.losses));
  assert.deepEqual(configured.denoiser.getFlat(), direct.denoiser.getFlat());
  direct.dispose();
  configured.dispose();
});

test("kernel trainer: a new learning rate applies from the next step, keeping θ, Adam's state and the step count", async () => {
  // Two identical trainers; after 10 steps one of them gets 10× the learning rate. Step 11 sees the
  // same θ, batch, gradient and moments in both, so Adam's update differs by exactly that factor.
  const fast = await setup("kernel");
  const slow = await setup("kernel");
  await fast.trainer.steps(10);
  await slow.trainer.steps(10);
  const theta = fast.denoiser.getFlat();
  fast.trainer.configure({learningRate: 1e-2});
  assert.equal(fast.trainer.stepCount, 10);
  assert.equal(fast.trainer.options.learningRate, 1e-2);
  assert.deepEqual(fast.denoiser.getFlat(), theta, "configure leaves θ alone");
  const a = await fast.trainer.steps(1);
  const b = await slow.trainer.steps(1);
  assert.equal(a.step, 11);
  assert.equal(a.losses[0], b.losses[0], "step 11 computes the same loss on the same batch");
  const after = [fast.denoiser.getFlat(), slow.denoiser.getFlat()];
  const dFast = after[0].map((v, i) => v - theta[i]);
  const dSlow = after[1].map((v, i) => 10 * (v - theta[i]));
  assert.ok(relError(dFast, dSlow) < 1e-3, `the update is not 10× as large: relative error ${relError(dFast, dSlow)}`);
  fast.dispose();
  slow.dispose();
});

test("kernel trainer: a new batch size and loss mid-run follow the tfjs trainer configured the same way", async () => {
  // The same seed draws the same batches on both trainers, so their losses agree step by step up to
  // float32 rounding, but only if both draw batches of the new size and weigh them the new way.
  const ours = await setup("kernel");
  const ref = await setup("tfjs");
  const before = [await ours.trainer.steps(5), await ref.trainer.steps(5)];
  const change: TrainerSettings = {batchSize: 300, loss: "hybrid", learningRate: 2e-3};
  ours.trainer.configure(change);
  ref.trainer.configure(change);
  assert.deepEqual(Array.from(ours.trainer.lossWeights), Array.from(ref.trainer.lossWeights));
  const after = [await ours.trainer.steps(5), await ref.trainer.steps(5)];
  assert.equal(after[0].step, 10);
  for (const [label, [a, b]] of [["before", before], ["after", after]] as const) {
    for (let i = 0; i < 5; i++) {
      const [x, y] = [a.losses[i], b.losses[i]];
      assert.ok(Math.abs(x - y) < 1e-3 * y, `${label} configure, step ${i + 1}: kernel ${x}, tfjs ${y}`);
    }
  }
  // And back down to a smaller batch (the kernel keeps its larger buffers).
  ours.trainer.configure({batchSize: 32, loss: "simple"});
  ref.trainer.configure({batchSize: 32, loss: "simple"});
  const [c, d] = [await ours.trainer.steps(3), await ref.trainer.steps(3)];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(c.losses[i] - d.losses[i]) < 1e-3 * d.losses[i], `batch 32, step ${i + 1}: kernel ${c.losses[i]}, tfjs ${d.losses[i]}`);
  ours.dispose();
  ref.dispose();
});

test("kernel trainer: bad settings are refused with the tfjs trainer's messages and change nothing", async () => {
  const ours = await setup("kernel");
  const ref = await setup("tfjs");
  const twin = await setup("kernel");
  await ours.trainer.steps(3);
  await twin.trainer.steps(3);
  const bad: TrainerSettings[] = [
    {learningRate: 0},
    {learningRate: Number.NaN},
    {learningRate: -1e-3},
    {batchSize: 2.5},
    {batchSize: 0},
    {loss: "l1" as never},
    {sigma2Kind: "gamma" as never, loss: "vlb"},
    {learningRate: 1e-2, batchSize: -4} // one bad field refuses the whole change
  ];
  for (const changes of bad) {
    const expected = (() => {
      try {
        ref.trainer.configure(changes);
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    })();
    assert.ok(expected, `the tfjs trainer accepts ${JSON.stringify(changes)}`);
    assert.throws(() => ours.trainer.configure(changes), (error: Error) => error.message === expected, `${JSON.stringify(changes)}: expected "${expected}"`);
  }
  assert.equal(ours.trainer.options.learningRate, 1e-3);
  assert.equal(ours.trainer.options.batchSize, 64);
  assert.equal(ours.trainer.options.loss, "simple");
  assert.equal(ours.trainer.stepCount, 3);
  // Training goes on exactly as if nothing had been asked.
  const [a, b] = [await ours.trainer.steps(3), await twin.trainer.steps(3)];
  assert.deepEqual(Array.from(a.losses), Array.from(b.losses));
  assert.ok(allFinite(a.losses));
  // Not while steps() runs (the step in flight would mix the old and new settings).
  const running = ours.trainer.steps(2);
  assert.throws(() => ours.trainer.configure({learningRate: 1e-2}), /running steps\(\)/);
  await running;
  ours.dispose();
  ref.dispose();
  twin.dispose();
  assert.throws(() => ours.trainer.configure({learningRate: 1e-2}), /disposed/);
});
