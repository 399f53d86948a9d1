// The WebAssembly SIMD kernel (src/model/kernel/) against the tfjs path it replaces: gradients,
// Adam and the weight average, training, sampling statistics, memory, and its refusals. Each check
// runs on every build of the kernel this Node runs: plain SIMD here, and relaxed SIMD (fused
// multiply-add) in a second process started with V8's flag for it (Chromium has it by default).
import {test} from "node:test";
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import "@tensorflow/tfjs-backend-wasm";
import {sampleDataset} from "../../src/lib/datasets.js";
import {createRng} from "../../src/lib/random.js";
import {makeSchedule} from "../../src/lib/schedule.js";
import {initialParams, mlpApply, mlpLayout, weightedSquaredError} from "../../src/model/dense.js";
import {createDenoiser, DEFAULT_DENOISER, fourierFrequencies, LARGE_DENOISER, timeEmbeddingTable} from "../../src/model/denoiser.js";
import {kernelSupport, loadKernel, type KernelExports, type KernelFlavour} from "../../src/model/kernel/load.js";
import {MlpKernel} from "../../src/model/kernel/mlp.js";
import {createKernelSampler} from "../../src/model/kernel/sampler.js";
import {createKernelTrainer} from "../../src/model/kernel/trainer.js";
import {sample, sampleDDIM} from "../../src/model/sampler.js";
import {adamUpdate} from "../../src/model/adam.js";
import {DivergenceError} from "../../src/model/rollback.js";
import {createTrainer} from "../../src/model/trainer.js";
import {allFinite, mean, relError, tf} from "./helpers.js";

const FLAVOUR = (process.env.KERNEL_FLAVOUR ?? "simd") as KernelFlavour;
const kernel = await loadKernel(FLAVOUR);
const label = `kernel (${FLAVOUR})`;
const schedule = makeSchedule({kind: "linear", T: 1000});

async function use(backend: "cpu" | "wasm") {
  const log = console.log;
  console.log = () => {}; // tfjs's "install tfjs-node" banner
  try {
    assert.ok(await tf.setBackend(backend), `the ${backend} backend did not initialise`);
  } finally {
    console.log = log;
  }
}

/** ∂L/∂θ and L by the tfjs path the site trains with (mlpApply + weightedSquaredError). */
function tfjsGradient(theta: Float32Array, layout: ReturnType<typeof mlpLayout>, h0: Float32Array, target: Float32Array, weights: Float32Array | null) {
  const n = target.length / 2;
  return tf.tidy(() => {
    const v = tf.variable(tf.tensor1d(theta));
    const x = tf.tensor2d(h0, [n, layout.sizes[0]]);
    const e = tf.tensor2d(target, [n, 2]);
    const w = weights ? tf.tensor2d(weights, [n, 1]) : null;
    const {value, grads} = tf.variableGrads(() => weightedSquaredError(tf, mlpApply(tf, v, layout, x), e, w), [v]);
    const out = {loss: value.dataSync()[0], grad: Float32Array.from(grads[v.name].dataSync())};
    v.dispose();
    return out;
  });
}

for (const backend of ["cpu", "wasm"] as const) {
  test(`${label}: ∂L/∂θ equals the tfjs ${backend} gradient (default and large model, odd batch sizes, weighted loss)`, async () => {
    await use(backend);
    for (const config of [DEFAULT_DENOISER, LARGE_DENOISER]) {
      const layout = createDenoiser(tf, config).layout;
      const mlp = await MlpKernel.create(kernel, layout);
      const rng = createRng(11);
      const theta = initialParams(layout, rng);
      mlp.setTheta(theta);
      for (const [n, weighted] of [[1, false], [7, true], [65, false], [256, true]] as const) {
        const views = mlp.batchViews(n);
        const h0 = Float32Array.from(rng.normals(n * layout.sizes[0]));
        const target = Float32Array.from(rng.normals(2 * n));
        const weights = Float32Array.from({length: n}, () => (0.5 + rng.uniform()) / n);
        views.h0.set(h0);
        views.target.set(target);
        views.weights.set(weights);
        const loss = mlp.gradient(n, weighted);
        const ref = tfjsGradient(theta, layout, h0, target, weighted ? weights : null);
        const err = relError(mlp.gradientView(), ref.grad);
        // float32 sums of up to 256 products in another order: a few ulps of the largest entry.
        assert.ok(err < 2e-6, `hidden ${config.hidden[0]}, n = ${n}: gradient relative error ${err}`);
        assert.ok(Math.abs(loss - ref.loss) < 1e-5 * ref.loss, `n = ${n}: loss ${loss} vs ${ref.loss}`);
      }
    }
  });
}

test(`${label}: one step = the tfjs adamUpdate and the weights' moving average`, async () => {
  await use("cpu");
  const layout = mlpLayout([50, 128, 128, 128, 2]);
  const mlp = await MlpKernel.create(kernel, layout);
  const rng = createRng(5);
  const theta = initialParams(layout, rng);
  mlp.setTheta(theta, {average: true});
  const hyper = {learningRate: 3e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7};
  const state = {theta: tf.variable(tf.tensor1d(theta)), m: tf.variable(tf.zeros([layout.size])), v: tf.variable(tf.zeros([layout.size]))};
  const average = Float64Array.from(theta);
  for (let k = 1; k <= 4; k++) {
    const n = 64;
    const views = mlp.batchViews(n);
    views.h0.set(rng.normals(n * 50));
    views.target.set(rng.normals(2 * n));
    mlp.gradient(n, false);
    const g = mlp.gradientView().slice();
    // The same gradient through tfjs's Adam, then the step on the kernel (which recomputes it).
    tf.tidy(() => adamUpdate(tf, state, tf.tensor1d(g), k, hyper));
    mlp.step(n, false, {k, ...hyper, averageDecay: 0.9});
    const expected = state.theta.dataSync();
    for (let i = 0; i < average.length; i++) average[i] = 0.9 * average[i] + 0.1 * expected[i];
    assert.ok(relError(mlp.thetaView(), expected) < 1e-6, `step ${k}: θ differs by ${relError(mlp.thetaView(), expected)}`);
    assert.ok(relError(mlp.momentViews().v, state.v.dataSync()) < 1e-6, `step ${k}: Adam's v differs`);
  }
  assert.ok(relError(mlp.averageView(), average) < 1e-6, "the moving average follows a ← 0.9a + 0.1θ");
  tf.dispose([state.theta, state.m, state.v]);
});

test(`${label}: the kernel trainer follows the tfjs trainer step by step (same seed) and reaches the same loss`, async () => {
  await use("wasm");
  const data = sampleDataset("ring-8", 2000, 1);
  const run = async (engine: "tfjs" | "kernel", steps: number) => {
    const d = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 2});
    const options = {denoiser: d, schedule, data, batchSize: 128, learningRate: 3e-3, seed: 4};
    const tr = engine === "kernel" ? await createKernelTrainer(tf, {...options, kernel}) : createTrainer(tf, options);
    const losses: number[] = [];
    while (losses.length < steps) losses.push(...(await tr.steps(50)).losses);
    const sampled = await tr.withAveragedWeights(() => d.getFlat());
    const result = {losses, ema: tr.report.lossEma, theta: d.getFlat(), averaged: sampled};
    tr.dispose();
    d.dispose();
    return result;
  };
  const short = [await run("tfjs", 50), await run("kernel", 50)];
  // The same batches and the same arithmetic: only float32 rounding differs, and it grows slowly.
  for (let i = 0; i < 20; i++) {
    assert.ok(Math.abs(short[0].losses[i] - short[1].losses[i]) < 1e-3 * short[0].losses[i], `step ${i + 1}: ${short[1].losses[i]} vs ${short[0].losses[i]}`);
  }
  const [tfjs, ours] = [await run("tfjs", 600), await run("kernel", 600)];
  assert.ok(mean(ours.losses, 550, 600) < 0.6 * mean(ours.losses, 0, 50), "the kernel trainer learns");
  // Where both end up: the loss over the last 100 steps within 5% of each other (each such mean
  // has a standard error of ~2% from the minibatches).
  const a = mean(tfjs.losses, 500, 600);
  const b = mean(ours.losses, 500, 600);
  assert.ok(Math.abs(b - a) < 0.05 * a, `mean loss of steps 501–600: kernel ${b}, tfjs ${a}`);
  assert.ok(relError(ours.averaged, ours.theta) > 1e-4, "withAveragedWeights shows the average, not θ");
});

test(`${label}: the kernel trainer's divergence guard, misuse messages, reset and memory`, async () => {
  await use("cpu");
  const data = sampleDataset("two-moons", 1000, 1);
  const before = tf.memory().numTensors;
  const d = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 3});
  const tr = await createKernelTrainer(tf, {denoiser: d, schedule, data, batchSize: 64, learningRate: 1e3, seed: 1, kernel});
  const error = await tr.steps(200).then(() => null, (e) => e);
  assert.ok(error instanceof DivergenceError, `expected a DivergenceError, got ${error}`);
  assert.match(error.message, /lower the learning rate/);
  assert.equal(tr.stepCount, error.restoredStep);
  assert.ok(allFinite(d.getFlat()), "the denoiser holds the restored, finite weights");
  tr.setLearningRate(1e-3);
  assert.ok(allFinite((await tr.steps(5)).losses), "training goes on after lowering the rate");
  const warm = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) await tr.steps(10);
  tr.step();
  assert.equal(tf.memory().numTensors, warm, "no tensors accumulate while training");
  tr.reset();
  assert.equal(tr.stepCount, 0);
  const fresh = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 3});
  assert.deepEqual(d.getFlat(), fresh.getFlat(), "reset restores the seed's weights");
  fresh.dispose();
  const running = tr.steps(2);
  assert.throws(() => tr.step(), /already running/);
  await running;
  await assert.rejects(tr.steps(0), /integer ≥ 1/);
  tr.dispose();
  assert.throws(() => tr.step(), /disposed/);
  d.dispose();
  assert.equal(tf.memory().numTensors, before, "nothing left after dispose");
  const odd = createDenoiser(tf, {...DEFAULT_DENOISER, hidden: [100]});
  await assert.rejects(createKernelTrainer(tf, {denoiser: odd, schedule, data}), /multiples of 16, this model has 100/);
  odd.dispose();
  assert.match(kernelSupport({hidden: [128], activation: "silu"}) ?? "", /ReLU only/);
  assert.equal(kernelSupport(DEFAULT_DENOISER), null);
});

test(`${label}: sin and cos of the Fourier features to within 3e-7 of Math.sin/cos for |x| ≤ 200, and in [−1, 1] for any finite x`, async () => {
  const mlp = await MlpKernel.create(kernel, mlpLayout([50, 16, 2]));
  const x = Float32Array.from({length: 40000}, (_, i) => -200 + (400 * i) / 40000 + 1e-3);
  const {sin, cos} = mlp.sinCos(x);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(sin[i] - Math.sin(x[i])), Math.abs(cos[i] - Math.cos(x[i])));
  assert.ok(worst < 3e-7, `largest error ${worst}`);
  // A diverged model sends x_t to 1e20 and beyond: sin and cos stay finite numbers in [−1, 1] there
  // (Math.sin's are), so that the samples stay finite for the Training panel to call absurd.
  const huge = Float32Array.from([1e5, -3e7, 1e20, -1e30, 3e38, 123456.7, -9.9e9, 4e12]);
  const far = mlp.sinCos(huge);
  for (let i = 0; i < huge.length; i++) {
    assert.ok(Math.abs(far.sin[i]) <= 1 && Math.abs(far.cos[i]) <= 1, `x = ${huge[i]}: sin ${far.sin[i]}, cos ${far.cos[i]}`);
  }
});

test(`${label}: the sampler's sparse product (ReLU inputs' zeros skipped) equals the dense one bit for bit`, async () => {
  const {exports} = await WebAssembly.instantiate(kernel.module, {env: {abort: () => {
    throw new Error("the kernel aborted");
  }}});
  const ex = exports as unknown as KernelExports;
  ex.memory.grow(64);
  const rng = createRng(12);
  for (const [M, K, N] of [[37, 128, 128], [2, 64, 48], [1, 16, 16], [64, 256, 256]]) {
    const f32 = (floats: number, at: number) => new Float32Array(ex.memory.buffer, at, floats);
    const [a, b, bias, dense, sparse, vals, rows] = [16, 1 << 18, 1 << 19, 1 << 20, 3 << 19, 1 << 21, (1 << 21) + 8 * K];
    // A as a ReLU leaves it: about half zeros, some rows all zero, some rows with none.
    const A = f32(M * K, a);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) A[i * K + k] = i % 7 === 3 ? 0 : i % 7 === 5 ? 1 + rng.uniform() : Math.max(0, rng.normal());
    f32(K * N, b).set(rng.normals(K * N));
    f32(N, bias).set(rng.normals(N));
    ex.gemm(a, 4 * K, 4, b, N, dense, N, M, K, N, bias, 1, 0, 0);
    ex.gemmSparseA(a, K, b, N, sparse, N, M, K, N, bias, 1, vals, rows);
    assert.deepEqual(f32(M * N, sparse), f32(M * N, dense), `M = ${M}, K = ${K}, N = ${N}`);
  }
});

test(`${label}: sampling's first layer, with emb(t)'s share computed once per step, gives the ε of the full forward pass on h_0 = [x, Fourier features, emb(t)]`, async () => {
  await use("cpu");
  for (const config of [DEFAULT_DENOISER, LARGE_DENOISER]) {
    const d = createDenoiser(tf, config);
    const inputs = {fourierFrequencies: fourierFrequencies(config.fourierFeatures), embeddingTable: timeEmbeddingTable(1000, config.timeEmbedding), embeddingWidth: config.timeEmbedding};
    const mlp = await MlpKernel.create(kernel, d.layout, inputs);
    // Every parameter random, biases included (a fresh model's are 0, which would hide a lost bias).
    const rng = createRng(8);
    mlp.setTheta(Float32Array.from(rng.normals(d.layout.size), (v) => 0.15 * v));
    const n = 37;
    const x = Float32Array.from(rng.normals(2 * n), (v) => 1.5 * v);
    for (const t of [0, 1, 2, 250, 999, 1000]) {
      mlp.pointsView(n).set(x);
      const cached = mlp.predictAt(n, t);
      d.features(x, new Int32Array(n).fill(t), mlp.batchViews(n).h0);
      const full = mlp.predict(n);
      // Only the order of the float32 sums and the kernel's sin/cos (~1e-7) differ.
      const err = relError(cached, full);
      assert.ok(err < 1e-5, `hidden ${config.hidden[0]}, t = ${t}: cached-t ε differs from the full pass by ${err}`);
    }
    d.dispose();
  }
});

/** Per-coordinate means, variances and the covariance of flat 2D points. */
function moments(x: Float32Array) {
  const n = x.length / 2;
  const m = [0, 0];
  for (let j = 0; j < n; j++) for (let d = 0; d < 2; d++) m[d] += x[2 * j + d] / n;
  const c = [0, 0, 0];
  for (let j = 0; j < n; j++) {
    const a = x[2 * j] - m[0];
    const b = x[2 * j + 1] - m[1];
    c[0] += (a * a) / (n - 1);
    c[1] += (b * b) / (n - 1);
    c[2] += (a * b) / (n - 1);
  }
  return {mean: m, var: [c[0], c[1]], cov: c[2]};
}

test(`${label}: sampling — ε_θ equals the denoiser's, the same seed gives the same points, and Algorithm 2's moments match the tfjs sampler's`, async () => {
  await use("wasm");
  // A trained model, so that the samples have structure (the ring's eight modes).
  const d = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 1});
  const tr = createTrainer(tf, {denoiser: d, schedule, data: sampleDataset("ring-8", 4000, 1), batchSize: 256, learningRate: 3e-3, seed: 1});
  await tr.steps(200);
  tr.dispose();
  const model = await createKernelSampler(d, {kernel});

  // One evaluation: the kernel's first layer (Fourier features by its own sin/cos, the embedding
  // folded into the bias) against the denoiser's predictAt on tfjs.
  const probe = await MlpKernel.create(kernel, d.layout, {fourierFrequencies: fourierFrequencies(4), embeddingTable: timeEmbeddingTable(1000, 32), embeddingWidth: 32});
  probe.setTheta(d.getFlat());
  const pts = Float32Array.from(createRng(3).normals(2 * 33), (v) => 2 * v);
  for (const t of [1, 17, 500, 1000]) {
    probe.pointsView(33).set(pts);
    const ours = probe.predictAt(33, t);
    const ref = tf.tidy(() => d.predictAt(tf.tensor2d(pts, [33, 2]), t).dataSync());
    assert.ok(relError(ours, ref) < 1e-5, `t = ${t}: ε_θ differs by ${relError(ours, ref)}`);
  }

  const n = 2000;
  const ref = await sample(tf, d, schedule, {n, seed: 21, keepTrajectory: [1000, 500, 0]});
  const before = tf.memory().numTensors;
  const ours = await sample(tf, model, schedule, {n, seed: 21, keepTrajectory: [1000, 500, 0]});
  assert.equal(tf.memory().numTensors, before, "the kernel sampler makes no tensors");
  assert.deepEqual(ours.trajectory[0].x, ref.trajectory[0].x, "x_T: the same draw");
  // The same noise in the same order: each point follows the same path, up to float32 rounding.
  let far = 0;
  for (let i = 0; i < ours.x0.length; i++) if (Math.abs(ours.x0[i] - ref.x0[i]) > 1e-2) far++;
  assert.ok(far < 0.002 * ours.x0.length, `${far} of ${ours.x0.length} coordinates differ by over 0.01`);
  // And as distributions (another seed for the kernel): means and variances within Monte Carlo
  // error of the tfjs sampler's — two independent samples of n, 4 standard errors of the difference.
  const other = await sample(tf, model, schedule, {n, seed: 22});
  const [a, b] = [moments(ref.x0), moments(other.x0)];
  for (let k = 0; k < 2; k++) {
    const seMean = Math.sqrt((a.var[k] + b.var[k]) / n);
    assert.ok(Math.abs(a.mean[k] - b.mean[k]) < 4 * seMean, `coordinate ${k}: mean ${b.mean[k]} vs ${a.mean[k]}`);
    const seVar = Math.sqrt(2 / (n - 1)) * Math.hypot(a.var[k], b.var[k]) * 1.5; // ×1.5: the ring is not Gaussian (kurtosis below 3 keeps this conservative)
    assert.ok(Math.abs(a.var[k] - b.var[k]) < 4 * seVar, `coordinate ${k}: variance ${b.var[k]} vs ${a.var[k]}`);
  }
  assert.ok(Math.abs(a.cov - b.cov) < 4 * Math.sqrt((a.var[0] * a.var[1] + b.var[0] * b.var[1]) / n), `covariance ${b.cov} vs ${a.cov}`);
  // DDIM goes through the same path, deterministically.
  const ddimRef = await sampleDDIM(tf, d, schedule, {n: 500, seed: 5, steps: 50});
  const ddimOurs = await sampleDDIM(tf, model, schedule, {n: 500, seed: 5, steps: 50});
  assert.ok(relError(ddimOurs.x0, ddimRef.x0) < 1e-3, `DDIM differs by ${relError(ddimOurs.x0, ddimRef.x0)}`);
  // Progress, early stops and one run at a time.
  const seen: number[] = [];
  await sample(tf, model, schedule, {n: 10, seed: 1, yieldEvery: 250, onProgress: (p) => void seen.push(p.done)});
  assert.deepEqual(seen, [250, 500, 750]);
  await assert.rejects(sample(tf, model, schedule, {n: 10, seed: 1, yieldEvery: 100, onProgress: () => {
    throw new Error("stop");
  }}), /stop/);
  assert.ok(allFinite((await sample(tf, model, schedule, {n: 3, seed: 1})).x0), "a run after a stopped one works");
  assert.throws(() => probe.predictAt(3, 1001), /outside the embedding/);
  d.dispose();
});

if (FLAVOUR === "simd" && !process.execArgv.includes("--experimental-wasm-relaxed-simd")) {
  test("the relaxed-SIMD build passes the same tests (in a Node started with --experimental-wasm-relaxed-simd)", () => {
    const child = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", "--test", "--test-reporter=spec", "test/model/kernel.test.ts"], {
      // Without NODE_TEST_CONTEXT, which would make the child report to this runner instead of printing.
      env: {...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_TEST_CONTEXT")), KERNEL_FLAVOUR: "relaxed-simd"},
      encoding: "utf8"
    });
    assert.equal(child.status, 0, `relaxed-SIMD run failed:\n${child.stdout}\n${child.stderr}`);
    assert.match(child.stdout, /ℹ pass 9\b/, `the relaxed-SIMD run should pass 9 tests:\n${child.stdout}`);
  });
}
