// Algorithm 1: the optimiser, the objectives, learning, reproducibility, memory and the divergence guard.
import {test} from "node:test";
import assert from "node:assert/strict";
import {sampleDataset} from "../../src/lib/datasets.js";
import {createRng} from "../../src/lib/random.js";
import {makeSchedule} from "../../src/lib/schedule.js";
import {createDenoiser, type DenoiserConfig} from "../../src/model/denoiser.js";
import {adamUpdate} from "../../src/model/adam.js";
import {DivergenceError} from "../../src/model/rollback.js";
import {createTrainer, type TrainerOptions} from "../../src/model/trainer.js";
import {allFinite, mean, relError, tf, useCpu} from "./helpers.js";

await useCpu();

const schedule = makeSchedule({kind: "linear", T: 1000});
const ring = sampleDataset("ring-8", 2000, 1);
const tiny: DenoiserConfig = {hidden: [32, 32], timeEmbedding: 16, fourierFeatures: 0, seed: 3};

function setup(options: Partial<TrainerOptions> = {}, config: DenoiserConfig = tiny) {
  const denoiser = createDenoiser(tf, config);
  const trainer = createTrainer(tf, {denoiser, schedule, data: ring, batchSize: 64, seed: 7, ...options});
  return {denoiser, trainer, dispose: () => (trainer.dispose(), denoiser.dispose())};
}

test("adamUpdate takes the same steps as tf.train.adam", () => {
  const P = 50;
  const rng = createRng(1);
  const init = Float32Array.from(rng.normals(P));
  const grads = Array.from({length: 6}, () => Float32Array.from(rng.normals(P), (g) => g * rng.uniform() * 3));
  const hyper = {learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7};
  const ours = {theta: tf.variable(tf.tensor1d(init)), m: tf.variable(tf.zeros([P])), v: tf.variable(tf.zeros([P]))};
  const theirs = tf.variable(tf.tensor1d(init));
  const adam = tf.train.adam(hyper.learningRate, hyper.beta1, hyper.beta2, hyper.epsilon);
  grads.forEach((g, i) => {
    tf.tidy(() => adamUpdate(tf, ours, tf.tensor1d(g), i + 1, hyper));
    tf.tidy(() => adam.applyGradients([{name: theirs.name, tensor: tf.tensor1d(g)}]));
  });
  assert.ok(relError(ours.theta.dataSync(), theirs.dataSync()) < 1e-6);
  adam.dispose();
  tf.dispose([ours.theta, ours.m, ours.v, theirs]);
});

test("training on ring-8 lowers L_simple: mean of the last 50 steps well below the first 50", async () => {
  const {trainer, dispose} = setup({learningRate: 3e-3});
  const losses: number[] = [];
  for (let i = 0; i < 10; i++) losses.push(...(await trainer.steps(50)).losses);
  assert.equal(trainer.stepCount, 500);
  const first = mean(losses, 0, 50);
  const last = mean(losses, 450, 500);
  assert.ok(last < 0.75 * first, `first 50: ${first.toFixed(3)}, last 50: ${last.toFixed(3)}`);
  const r = trainer.report;
  assert.equal(r.step, 500);
  assert.equal(r.loss, losses[499]);
  assert.ok(Number.isFinite(r.lossEma) && r.lossEma < first);
  assert.ok(r.stepsPerSecond > 0 && r.elapsedMs > 0);
  dispose();
});

test("the same seeds give identical losses, also after reset(); another data seed differs", async () => {
  const run = async (seed: number) => {
    const {trainer, dispose} = setup({seed});
    const a = [trainer.step(), trainer.step(), ...(await trainer.steps(8)).losses];
    trainer.reset();
    const b = [...(await trainer.steps(5)).losses, ...(await trainer.steps(5)).losses];
    dispose();
    return {a, b};
  };
  const one = await run(7);
  const two = await run(7);
  assert.deepEqual(one.a, two.a);
  assert.deepEqual(one.a, one.b, "reset() replays the same run");
  assert.notDeepEqual((await run(8)).a, one.a);
});

test("the tensor count stays flat over many steps and returns to baseline after dispose", async () => {
  const baseline = tf.memory().numTensors;
  const {trainer, denoiser, dispose} = setup({loss: "vlb"}, {...tiny, fourierFeatures: 2});
  trainer.step();
  await trainer.steps(3);
  const warm = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) trainer.step();
  for (let i = 0; i < 5; i++) await trainer.steps(7);
  assert.equal(tf.memory().numTensors, warm);
  trainer.reset();
  assert.equal(tf.memory().numTensors, warm, "reset() reuses its tensors");
  trainer.dispose();
  assert.equal(tf.memory().numTensors, baseline + 1, "only the denoiser's θ remains (training builds h_0 on the host)");
  denoiser.dispose();
  assert.equal(tf.memory().numTensors, baseline);
  dispose(); // idempotent
});

test("the divergence guard: a huge learning rate stops with a clear message and finite weights", async () => {
  for (const mode of ["step", "steps"] as const) {
    const {trainer, denoiser, dispose} = setup({learningRate: 1e3});
    const error = await (async () => {
      try {
        if (mode === "step") for (let i = 0; i < 50; i++) trainer.step();
        else await trainer.steps(50);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof DivergenceError, `${mode}: expected a DivergenceError, got ${error}`);
    assert.match(error.message, /learning rate 1000/);
    assert.match(error.message, /lower the learning rate/);
    assert.match(error.message, /restored to step \d+/);
    assert.equal(trainer.stepCount, error.restoredStep);
    assert.ok(error.restoredStep < error.step);
    assert.ok(allFinite(denoiser.getFlat()), "no NaN weights left in use");
    tf.tidy(() => {
      const y = denoiser.predict(tf.tensor2d([0.5, -0.5, 2, 1], [2, 2]), tf.tensor1d([1, 1000], "int32"));
      assert.ok(allFinite(y.dataSync()));
    });
    // The weights restored were certified by a finite loss: after lowering the rate training goes on.
    trainer.setLearningRate(1e-3);
    const r = await trainer.steps(5);
    assert.ok(allFinite(r.losses));
    dispose();
  }
});

test("vlb and hybrid objectives train with finite, falling losses", async () => {
  for (const loss of ["vlb", "hybrid"] as const) {
    const {trainer, dispose} = setup({loss, learningRate: 3e-3, sigma2Kind: "beta"});
    const losses = [...(await trainer.steps(100)).losses, ...(await trainer.steps(100)).losses];
    assert.ok(allFinite(losses));
    assert.ok(mean(losses, 150, 200) < mean(losses, 0, 50), loss);
    dispose();
  }
});

test("misuse is refused with a message", async () => {
  const denoiser = createDenoiser(tf, {...tiny, maxT: 100});
  assert.throws(() => createTrainer(tf, {denoiser, schedule, data: ring}), /maxT = 100/);
  const small = makeSchedule({kind: "linear", T: 100});
  assert.throws(() => createTrainer(tf, {denoiser, schedule: small, data: ring, batchSize: 0}), /batchSize/);
  assert.throws(() => createTrainer(tf, {denoiser, schedule: small, data: new Float64Array(3)}), /2D point/);
  assert.throws(() => createTrainer(tf, {denoiser, schedule: small, data: Float64Array.of(0, NaN)}), /data\[1\] is NaN/);
  assert.throws(() => createTrainer(tf, {denoiser, schedule: small, data: ring, learningRate: -1}), /learningRate/);
  const trainer = createTrainer(tf, {denoiser, schedule: small, data: ring, batchSize: 8});
  const running = trainer.steps(2);
  assert.throws(() => trainer.step(), /already running/); // before any await: the read is still pending
  const second = trainer.steps(2);
  await assert.rejects(second, /already running/);
  await running;
  await assert.rejects(trainer.steps(0), /integer ≥ 1/);
  trainer.dispose();
  assert.throws(() => trainer.step(), /disposed/);
  denoiser.dispose();
});

test("the weights' moving average: used inside withAveragedWeights only, reset and disposed with the trainer", async () => {
  await useCpu();
  const schedule = makeSchedule({kind: "linear", T: 100});
  const before = tf.memory().numTensors;
  const denoiser = createDenoiser(tf, {hidden: [16, 16], timeEmbedding: 8, fourierFeatures: 0, seed: 3, maxT: 100});
  const trainer = createTrainer(tf, {denoiser, schedule, data: sampleDataset("two-moons", 200, 1), batchSize: 32, learningRate: 1e-2, seed: 2, weightAverage: 0.9});
  const initial = denoiser.getFlat();
  for (let i = 0; i < 30; i++) trainer.step();
  const trained = denoiser.getFlat();
  const averaged = await trainer.withAveragedWeights(() => denoiser.getFlat());
  assert.deepEqual(denoiser.getFlat(), trained, "the trained weights are back after withAveragedWeights");
  // Independent recursion on the host: a ← 0.9 a + 0.1 θ_k after every step, from θ_0.
  const replay = createDenoiser(tf, {hidden: [16, 16], timeEmbedding: 8, fourierFeatures: 0, seed: 3, maxT: 100});
  const again = createTrainer(tf, {denoiser: replay, schedule, data: sampleDataset("two-moons", 200, 1), batchSize: 32, learningRate: 1e-2, seed: 2, weightAverage: 0});
  const expected = Float64Array.from(initial);
  for (let i = 0; i < 30; i++) {
    again.step();
    const theta = replay.getFlat();
    for (let j = 0; j < expected.length; j++) expected[j] = 0.9 * expected[j] + 0.1 * theta[j];
  }
  assert.ok(relError(averaged, expected) < 1e-5, `averaged weights differ from the recursion: ${relError(averaged, expected)}`);
  assert.ok(relError(averaged, trained) > 1e-3, "the average is not the last weights");
  trainer.reset();
  assert.deepEqual(await trainer.withAveragedWeights(() => denoiser.getFlat()), denoiser.getFlat());
  trainer.dispose();
  again.dispose();
  replay.dispose();
  denoiser.dispose();
  assert.equal(tf.memory().numTensors, before);
});
