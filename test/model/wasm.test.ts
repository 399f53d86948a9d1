// The same model code on tfjs's WASM backend, which the site prefers on machines without a fast GPU:
// it takes different paths there (explicit transposes) and its kernels have their own limits
// (e.g. _FusedMatMul refuses a bias whose storage came from a reshape), which cpu tests cannot see.
// node:test runs each file in its own process, so switching the backend here touches no other file.
import {test} from "node:test";
import assert from "node:assert/strict";
import "@tensorflow/tfjs-backend-wasm";
import {sampleDataset} from "../../src/lib/datasets.js";
import {createRng} from "../../src/lib/random.js";
import {pSampleLoop} from "../../src/lib/sampler.js";
import {makeSchedule} from "../../src/lib/schedule.js";
import {initialParams, mlpApply, mlpApplyStock, mlpLayout, unpackParams} from "../../src/model/dense.js";
import {setBackendQuietly} from "../../src/model/backends.js";
import {createDenoiser, type EpsModel} from "../../src/model/denoiser.js";
import {sample} from "../../src/model/sampler.js";
import {createTrainer} from "../../src/model/trainer.js";
import {relError, tf} from "./helpers.js";

async function use(backend: "cpu" | "wasm") {
  await setBackendQuietly(tf, backend);
}

const schedule = makeSchedule({kind: "linear", T: 1000});
const config = {hidden: [32, 32], timeEmbedding: 16, fourierFeatures: 2, seed: 4};

test("wasm: the hand-written MLP gradient (explicit transposes) equals autodiff of the stock ops", async () => {
  await use("wasm");
  const layout = mlpLayout([10, 32, 32, 2]);
  const rng = createRng(2);
  const theta = initialParams(layout, rng);
  const h0 = Float32Array.from(rng.normals(64 * 10));
  tf.tidy(() => {
    const th = tf.tensor1d(theta);
    const x = tf.tensor2d(h0, [64, 10]);
    const loss = (y: import("@tensorflow/tfjs").Tensor) => tf.sum(tf.square(tf.sub(y, 0.3)));
    const ours = tf.grad((t: any) => loss(mlpApply(tf, t, layout, x)))(th);
    const stock = tf.grad((t: any) => loss(mlpApplyStock(tf, unpackParams(tf, t, layout), x)))(th);
    assert.ok(relError(ours.dataSync(), stock.dataSync()) < 1e-5);
  });
});

test("wasm: predict, features + predictFeatures and predictAt agree", async () => {
  await use("wasm");
  const d = createDenoiser(tf, config);
  const x = Float32Array.from(createRng(3).normals(2 * 9));
  const t = new Int32Array(9).fill(321);
  tf.tidy(() => {
    const xt = tf.tensor2d(x, [9, 2]);
    const a = d.predict(xt, tf.tensor1d(t, "int32")).dataSync();
    const b = d.predictFeatures(tf.tensor2d(d.features(x, t), [9, d.inputWidth])).dataSync();
    const c = d.predictAt(xt, 321).dataSync();
    assert.ok(relError(b, a) < 1e-4 && relError(c, a) < 1e-4);
  });
  d.dispose();
});

test("wasm: training is reproducible, flat in memory, and matches the cpu backend's losses", async () => {
  const data = sampleDataset("two-moons", 1000, 1);
  const run = async (backend: "cpu" | "wasm") => {
    await use(backend);
    const d = createDenoiser(tf, config);
    const tr = createTrainer(tf, {denoiser: d, schedule, data, batchSize: 32, seed: 9});
    const losses = [...(await tr.steps(3)).losses];
    const warm = tf.memory().numTensors;
    losses.push(...(await tr.steps(20)).losses, tr.step());
    assert.equal(tf.memory().numTensors, warm);
    tr.dispose();
    d.dispose();
    return losses;
  };
  const wasm = await run("wasm");
  assert.deepEqual(await run("wasm"), wasm, "same seed, same losses");
  // The batches come from the core's seeded RNG, so another backend sees the same data; only
  // float32 rounding differs (summation order in matMul), and it grows slowly over the steps.
  const cpu = await run("cpu");
  for (let i = 0; i < wasm.length; i++) assert.ok(Math.abs(wasm[i] - cpu[i]) < 1e-3 * (1 + cpu[i]), `step ${i + 1}: ${wasm[i]} vs ${cpu[i]}`);
});

test("wasm: Algorithm 2 with an exact linear ε agrees with the core's float64 pSampleLoop", async () => {
  await use("wasm");
  // ε*(x_t, t) for data N(0, s²I): A_t x_t with A_t = √(1−ᾱ_t)/(ᾱ_t s² + 1 − ᾱ_t) (see sampler.test.ts).
  const s2 = 0.3;
  const A = (t: number) => schedule.sqrtOneMinusAlphaBar[t - 1] / (schedule.alphaBar[t - 1] * s2 + schedule.oneMinusAlphaBar[t - 1]);
  const model: EpsModel = {
    predict: () => {
      throw new Error("the sampler should use predictAt");
    },
    predictAt: (xt, t) => tf.mul(xt, A(t))
  };
  const before = tf.memory().numTensors;
  const ours = await sample(tf, model, schedule, {n: 200, seed: 8});
  assert.equal(tf.memory().numTensors, before);
  const ref = pSampleLoop(schedule, (xt, t) => Float64Array.from(xt, (v) => A(t) * v), 200, createRng(8));
  assert.ok(relError(ours.x0, ref.x0) < 1e-4);
});
