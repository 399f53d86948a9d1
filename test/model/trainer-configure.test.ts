// configure(): the learning rate, batch size, loss weighting and σ_t² change on a running trainer
// from the next step, and nothing else does (θ, Adam's state, the step count).
import {test} from "node:test";
import assert from "node:assert/strict";
import {sampleDataset} from "../../src/lib/datasets.js";
import {makeSchedule} from "../../src/lib/schedule.js";
import {createDenoiser, type DenoiserConfig} from "../../src/model/denoiser.js";
import {lossWeights} from "../../src/lib/loss-weights.js";
import {createTrainer, type TrainerOptions} from "../../src/model/trainer.js";
import {allFinite, tf, useCpu} from "./helpers.js";

await useCpu();

const schedule = makeSchedule({kind: "linear", T: 1000});
const ring = sampleDataset("ring-8", 2000, 1);
const tiny: DenoiserConfig = {hidden: [32, 32], timeEmbedding: 16, fourierFeatures: 0, seed: 3};

function setup(options: Partial<TrainerOptions> = {}) {
  const denoiser = createDenoiser(tf, tiny);
  const trainer = createTrainer(tf, {denoiser, schedule, data: ring, batchSize: 64, learningRate: 1e-3, seed: 7, ...options});
  return {denoiser, trainer, dispose: () => (trainer.dispose(), denoiser.dispose())};
}

test("a trainer configured at step 0 trains exactly like one created with those settings", async () => {
  const settings = {learningRate: 3e-3, batchSize: 48, loss: "vlb" as const, sigma2Kind: "beta" as const};
  const direct = setup(settings);
  const configured = setup();
  configured.trainer.configure(settings);
  assert.deepEqual(Array.from(configured.trainer.lossWeights), Array.from(lossWeights(schedule, "vlb", "beta")));
  const a = await direct.trainer.steps(5);
  const b = await configured.trainer.steps(5);
  assert.deepEqual(Array.from(b.losses), Array.from(a.losses));
  assert.deepEqual(Array.from(configured.denoiser.variables[0].dataSync()), Array.from(direct.denoiser.variables[0].dataSync()));
  direct.dispose();
  configured.dispose();
});

test("mid-run, configure keeps θ and the step count and applies from the next step", async () => {
  const {trainer, denoiser, dispose} = setup();
  await trainer.steps(10);
  const theta = Array.from(denoiser.variables[0].dataSync());
  trainer.configure({learningRate: 5e-4, batchSize: 128, loss: "hybrid"});
  assert.equal(trainer.stepCount, 10);
  assert.deepEqual(Array.from(denoiser.variables[0].dataSync()), theta);
  assert.equal(trainer.options.learningRate, 5e-4);
  assert.equal(trainer.options.batchSize, 128);
  assert.equal(trainer.options.loss, "hybrid");
  const report = await trainer.steps(3);
  assert.equal(report.step, 13);
  assert.ok(allFinite(report.losses));
  dispose();
});

test("a bad setting is refused and changes nothing", async () => {
  const {trainer, dispose} = setup();
  assert.throws(() => trainer.configure({learningRate: 0}), /learningRate must be a finite number > 0/);
  assert.throws(() => trainer.configure({batchSize: 2.5}), /batchSize must be an integer/);
  assert.throws(() => trainer.configure({loss: "l1" as never}), /loss must be/);
  assert.equal(trainer.options.learningRate, 1e-3);
  assert.equal(trainer.options.batchSize, 64);
  assert.equal(trainer.options.loss, "simple");
  dispose();
});
