// The hand-written backward passes of dense.ts against tfjs's own autodiff of the stock ops.
import {test} from "node:test";
import assert from "node:assert/strict";
import {createRng} from "../../src/lib/random.js";
import {initialParams, mlpApply, mlpApplyStock, mlpLayout, unpackParams, weightedSquaredError, type Activation, type TransposeMode} from "../../src/model/dense.js";
import {relError, tf, useCpu} from "./helpers.js";

await useCpu();

test("mlpLayout places each kernel then its bias, end to end", () => {
  const layout = mlpLayout([5, 7, 3]);
  assert.deepEqual(layout.layers, [
    {fanIn: 5, fanOut: 7, kernelOffset: 0, biasOffset: 35},
    {fanIn: 7, fanOut: 3, kernelOffset: 42, biasOffset: 63}
  ]);
  assert.equal(layout.size, 66);
  assert.throws(() => mlpLayout([4]), /at least an input and an output/);
  assert.throws(() => mlpLayout([4, 0, 2]), /integers ≥ 1/);
});

test("initialParams is seeded and bounded by 1/√fanIn per layer", () => {
  const layout = mlpLayout([16, 8, 2]);
  const a = initialParams(layout, createRng(3));
  assert.deepEqual(a, initialParams(layout, createRng(3)));
  assert.notDeepEqual(a, initialParams(layout, createRng(4)));
  for (const L of layout.layers) {
    const bound = 1 / Math.sqrt(L.fanIn);
    for (let i = L.kernelOffset; i < L.biasOffset + L.fanOut; i++) assert.ok(Math.abs(a[i]) <= bound);
  }
});

// A loss that weights every output differently, so a wrong row/column in a gradient shows.
function probeLoss(y: import("@tensorflow/tfjs").Tensor2D, probe: import("@tensorflow/tfjs").Tensor2D) {
  return tf.sum(tf.mul(tf.square(y), probe));
}

for (const activation of ["relu", "silu"] as Activation[]) {
  for (const transpose of ["explicit", "flags"] as TransposeMode[]) {
    test(`mlpApply (${activation}, ${transpose} transposes): value and ∂/∂θ, ∂/∂h0 equal the stock ops' to 1e-5`, () => {
      const layout = mlpLayout([6, 16, 16, 16, 2]);
      const batch = 37;
      const rng = createRng(11);
      const thetaValues = initialParams(layout, rng);
      const h0Values = Float32Array.from(rng.normals(batch * 6));
      const probeValues = Float32Array.from({length: batch * 2}, () => rng.uniform());
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const theta = tf.tensor1d(thetaValues);
        const h0 = tf.tensor2d(h0Values, [batch, 6]);
        const probe = tf.tensor2d(probeValues, [batch, 2]);
        const custom = tf.grads((th: any, x: any) => probeLoss(mlpApply(tf, th, layout, x, {activation, transpose, inputGradient: true}), probe))([theta, h0]);
        // The stock reference takes W, b as separate tensors; its θ-gradient is assembled in θ's layout.
        const parts = unpackParams(tf, theta, layout);
        const flat = parts.flatMap((p) => [p.W, p.b]);
        const stock = tf.grads((...ts: any[]) => {
          const params = layout.layers.map((_, l) => ({W: ts[2 * l], b: ts[2 * l + 1]}));
          return probeLoss(mlpApplyStock(tf, params, ts[ts.length - 1], activation), probe);
        })([...flat, h0]);
        const stockTheta = tf.concat(stock.slice(0, -1).map((g) => tf.reshape(g, [-1])));
        assert.ok(relError(custom[0].dataSync(), stockTheta.dataSync()) < 1e-5, "∂/∂θ");
        assert.ok(relError(custom[1].dataSync(), stock[stock.length - 1].dataSync()) < 1e-5, "∂/∂h0");
        const yCustom = mlpApply(tf, theta, layout, h0, {activation, transpose});
        const yStock = mlpApplyStock(tf, parts, h0, activation);
        assert.ok(relError(yCustom.dataSync(), yStock.dataSync()) < 1e-6, "forward");
        // Without inputGradient, ∂/∂θ is the same.
        const onlyTheta = tf.grad((th: any) => probeLoss(mlpApply(tf, th, layout, h0, {activation, transpose}), probe))(theta);
        assert.ok(relError(onlyTheta.dataSync(), stockTheta.dataSync()) < 1e-5, "∂/∂θ without input gradient");
      });
      assert.equal(tf.memory().numTensors, before, "no tensors left behind");
    });
  }
}

test("weightedSquaredError: value and gradient equal the stock ops', weighted and not", () => {
  const rng = createRng(5);
  const n = 19;
  tf.tidy(() => {
    const pred = tf.tensor2d(Float32Array.from(rng.normals(2 * n)), [n, 2]);
    const target = tf.tensor2d(Float32Array.from(rng.normals(2 * n)), [n, 2]);
    const w = tf.tensor2d(Float32Array.from({length: n}, () => rng.uniform() / n), [n, 1]);
    for (const weights of [null, w]) {
      const stockF = (p: any) => {
        const perExample = tf.sum(tf.square(tf.sub(target, p)), 1, true);
        return weights ? tf.sum(tf.mul(perExample, weights)) : tf.mean(perExample);
      };
      const customF = (p: any) => weightedSquaredError(tf, p, target, weights);
      const [vs, gs] = [stockF(pred), tf.grad(stockF)(pred)];
      const [vc, gc] = [customF(pred), tf.grad(customF)(pred)];
      assert.ok(relError(vc.dataSync(), vs.dataSync()) < 1e-6);
      assert.ok(relError(gc.dataSync(), gs.dataSync()) < 1e-6);
    }
  });
});
