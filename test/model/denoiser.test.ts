// ε_θ: shapes, the time embedding, save/load, and tensor bookkeeping.
import {test} from "node:test";
import assert from "node:assert/strict";
import {createRng} from "../../src/lib/random.js";
import {createDenoiser, inputWidth, loadDenoiser, timeEmbeddingTable, DEFAULT_DENOISER, type DenoiserConfig} from "../../src/model/denoiser.js";
import {tf, useCpu} from "./helpers.js";

await useCpu();

const small: DenoiserConfig = {hidden: [16, 16], timeEmbedding: 8, fourierFeatures: 0, seed: 1};

function inputs(n: number, seed: number) {
  const rng = createRng(seed);
  const xt = tf.tensor2d(Float32Array.from(rng.normals(2 * n)), [n, 2]);
  const t = tf.tensor1d(Int32Array.from({length: n}, () => 1 + Math.floor(rng.uniform() * 1000)), "int32");
  return {xt, t};
}

test("predict maps (n × 2, n) to n × 2, for every architecture option", () => {
  for (const config of [small, {...small, fourierFeatures: 3}, {...small, activation: "silu" as const}, DEFAULT_DENOISER]) {
    const d = createDenoiser(tf, config);
    tf.tidy(() => void d.predict(tf.zeros([1, 2]), tf.tensor1d([5], "int32"))); // the first call uploads the embedding table
    const before = tf.memory().numTensors;
    const {xt, t} = inputs(13, 2);
    const y = d.predict(xt, t);
    assert.deepEqual(y.shape, [13, 2]);
    assert.ok(y.dataSync().every(Number.isFinite));
    tf.dispose([xt, t, y]);
    assert.equal(tf.memory().numTensors, before, "predict keeps nothing but its output");
    assert.equal(d.layout.sizes[0], inputWidth(config));
    d.dispose();
  }
});

test("predict, features + predictFeatures, and predictAt (one t for all rows) compute the same ε_θ", () => {
  for (const config of [small, {...small, fourierFeatures: 3, activation: "silu" as const}]) {
    const d = createDenoiser(tf, config);
    d.setFlat(Float32Array.from(createRng(4).normals(d.parameterCount), (v) => 0.4 * v)); // biases far from 0 too
    const n = 21;
    const rng = createRng(8);
    const x = Float32Array.from(rng.normals(2 * n), (v) => 1.5 * v);
    for (const tValue of [1, 437, 1000]) {
      const t = new Int32Array(n).fill(tValue);
      tf.tidy(() => {
        const xt = tf.tensor2d(x, [n, 2]);
        const a = d.predict(xt, tf.tensor1d(t, "int32")).dataSync();
        const b = d.predictFeatures(tf.tensor2d(d.features(x, t), [n, d.inputWidth])).dataSync();
        const c = d.predictAt(xt, tValue).dataSync();
        for (let i = 0; i < a.length; i++) {
          assert.ok(Math.abs(a[i] - b[i]) < 1e-4 * (1 + Math.abs(a[i])), `features path at t = ${tValue}: ${a[i]} vs ${b[i]}`);
          assert.ok(Math.abs(a[i] - c[i]) < 1e-4 * (1 + Math.abs(a[i])), `predictAt at t = ${tValue}: ${a[i]} vs ${c[i]}`);
        }
      });
    }
    tf.tidy(() => assert.throws(() => d.predictAt(tf.zeros([1, 2]), 1001), /outside the embedding's 0..1000/));
    assert.throws(() => d.features([0, 0], [1.5]), /outside/);
    d.dispose();
  }
});

test("the default model: x_t, 4 Fourier frequencies, a 32-wide time embedding, 3 hidden layers of 128", () => {
  const d = createDenoiser(tf);
  // Inputs: x_t (2) + sin and cos of 4 frequencies per coordinate (16) + the embedding of t (32).
  assert.deepEqual(d.layout.sizes, [50, 128, 128, 128, 2]);
  assert.equal(d.parameterCount, 50 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 2 + 2);
  d.dispose();
});

test("the prediction depends on t through the embedding, and float32 t is accepted", () => {
  const d = createDenoiser(tf, small);
  tf.tidy(() => {
    const xt = tf.tensor2d([0.3, -0.2, 0.3, -0.2], [2, 2]);
    const y = d.predict(xt, tf.tensor1d([1, 900], "int32")).arraySync();
    assert.notDeepEqual(y[0], y[1]);
    const yFloat = d.predict(xt, tf.tensor1d([1, 900], "float32")).arraySync();
    assert.deepEqual(yFloat, y);
  });
  d.dispose();
});

test("timeEmbeddingTable: sin/cos of t·ω_i with ω_0 = 1 and ω_{h−1} = 1/10000", () => {
  const table = timeEmbeddingTable(10, 8);
  assert.equal(table.length, 11 * 8);
  const t = 7;
  assert.ok(Math.abs(table[t * 8 + 0] - Math.sin(7)) < 1e-6);
  assert.ok(Math.abs(table[t * 8 + 3] - Math.sin(7e-4)) < 1e-6);
  assert.ok(Math.abs(table[t * 8 + 4] - Math.cos(7)) < 1e-6);
});

test("the same seed gives the same weights; different seeds differ; no variable-name clashes", () => {
  const a = createDenoiser(tf, small);
  const b = createDenoiser(tf, small); // would throw if variables had fixed names
  const c = createDenoiser(tf, {...small, seed: 2});
  assert.deepEqual(a.getFlat(), b.getFlat());
  assert.notDeepEqual(a.getFlat(), c.getFlat());
  [a, b, c].forEach((d) => d.dispose());
});

test("getWeights → JSON → loadDenoiser gives identical predictions", () => {
  const d = createDenoiser(tf, {...small, fourierFeatures: 2, activation: "silu"});
  d.setFlat(Float32Array.from(createRng(9).normals(d.parameterCount), (v) => 0.3 * v)); // not the initial weights
  const json = JSON.parse(JSON.stringify(d.getWeights()));
  assert.equal(json.tensors.length, 6);
  assert.deepEqual(json.tensors[0].shape, [2 + 8 + 8, 16]); // x_t, 2 frequencies × 4, embedding
  const e = loadDenoiser(tf, json);
  assert.deepEqual(e.config, d.config);
  assert.deepEqual(e.getFlat(), d.getFlat());
  tf.tidy(() => {
    const {xt, t} = inputs(50, 4);
    assert.deepEqual(e.predict(xt, t).dataSync(), d.predict(xt, t).dataSync());
  });
  [d, e].forEach((m) => m.dispose());
});

test("setWeights refuses another architecture, missing or misshapen tensors, and non-finite values", () => {
  const d = createDenoiser(tf, small);
  const saved = d.getWeights();
  const other = createDenoiser(tf, {...small, hidden: [16, 8]});
  assert.throws(() => other.setWeights(saved), /different architecture/);
  assert.throws(() => d.setWeights({...saved, tensors: saved.tensors.slice(1)}), /lack dense0\/kernel/);
  const bad = structuredClone(saved);
  bad.tensors[1].values[0] = NaN;
  assert.throws(() => d.setWeights(bad), /non-finite/);
  assert.throws(() => loadDenoiser(tf, {} as never), /not a saved denoiser/);
  assert.deepEqual(d.getFlat(), Float32Array.from(saved.tensors.flatMap((s) => s.values)), "unchanged after the refusals");
  [d, other].forEach((m) => m.dispose());
});

test("reinitialize restores the seed's weights; dispose frees every tensor and later use throws", () => {
  const before = tf.memory().numTensors;
  const d = createDenoiser(tf, {...small, fourierFeatures: 2});
  const initial = d.getFlat();
  d.setFlat(new Float32Array(d.parameterCount));
  d.reinitialize();
  assert.deepEqual(d.getFlat(), initial);
  tf.tidy(() => void [d.predict(tf.zeros([2, 2]), tf.tensor1d([1, 2], "int32")), d.predictAt(tf.zeros([2, 2]), 3)]); // device tables made
  d.dispose();
  d.dispose(); // twice is harmless
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => d.getFlat(), /disposed/);
});

test("invalid configs are refused with a message", () => {
  assert.throws(() => createDenoiser(tf, {...small, timeEmbedding: 7}), /even integer/);
  assert.throws(() => createDenoiser(tf, {...small, hidden: []}), /hidden/);
  assert.throws(() => createDenoiser(tf, {...small, fourierFeatures: -1}), /fourierFeatures/);
});
