// Benchmark, not a test: ms per training step of the default denoiser (3×128, batch 256 and 2048)
// on the tfjs cpu and wasm backends in Node, for this project's trainer against a stock tfjs
// formulation (separate W/b variables, autodiff of matMul + add + relu, tf.train.adam).
// Run: node --import tsx scripts/bench-train.ts [cpu|wasm ...]
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {sampleDataset} from "../src/lib/datasets.js";
import {createRng} from "../src/lib/random.js";
import {makeSchedule} from "../src/lib/schedule.js";
import {setBackendQuietly, type TfjsBackendName} from "../src/model/backends.js";
import {initialParams, mlpApplyStock, mlpLayout, unpackParams} from "../src/model/dense.js";
import {createDenoiser, DEFAULT_DENOISER, timeEmbeddingTable, type DenoiserConfig} from "../src/model/denoiser.js";
import {createTrainer} from "../src/model/trainer.js";

const schedule = makeSchedule({kind: "linear", T: 1000});
const data = sampleDataset("ring-8", 10000, 1);

/** The obvious implementation: per-layer variables, stock ops, autodiff, tf.train.adam. */
function stockTrainer(config: DenoiserConfig, B: number) {
  const layout = mlpLayout([2 + config.timeEmbedding, ...config.hidden, 2]);
  const init = initialParams(layout, createRng(config.seed));
  const vars = tf.tidy(() =>
    layout.layers.flatMap((L) => [
      tf.variable(tf.tensor2d(init.subarray(L.kernelOffset, L.biasOffset), [L.fanIn, L.fanOut])),
      tf.variable(tf.tensor1d(init.subarray(L.biasOffset, L.biasOffset + L.fanOut)))
    ])
  );
  const table = tf.tensor2d(timeEmbeddingTable(1000, config.timeEmbedding), [1001, config.timeEmbedding]);
  const opt = tf.train.adam(1e-3);
  const rng = createRng(1);
  const xt = new Float32Array(2 * B), eps = new Float32Array(2 * B), ts = new Int32Array(B);
  return {
    step() {
      for (let j = 0; j < B; j++) {
        const idx = Math.floor(rng.uniform() * (data.length / 2));
        const t = 1 + Math.floor(rng.uniform() * 1000);
        ts[j] = t;
        for (let d = 0; d < 2; d++) {
          const e = rng.normal();
          eps[2 * j + d] = e;
          xt[2 * j + d] = schedule.sqrtAlphaBar[t - 1] * data[2 * idx + d] + schedule.sqrtOneMinusAlphaBar[t - 1] * e;
        }
      }
      const cost = tf.tidy(() => {
        const x = tf.tensor2d(xt, [B, 2]), e = tf.tensor2d(eps, [B, 2]), t = tf.tensor1d(ts, "int32");
        return opt.minimize(() => {
          let h: tf.Tensor = tf.concat([x, tf.gather(table, t)], 1);
          for (let l = 0; l < vars.length / 2; l++) {
            h = tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1]);
            if (l < vars.length / 2 - 1) h = tf.relu(h);
          }
          return tf.mean(tf.sum(tf.square(tf.sub(e, h)), 1));
        }, true, vars)!;
      });
      const v = cost.dataSync()[0];
      cost.dispose();
      return v;
    },
    dispose() {
      tf.dispose([...vars, table]);
      opt.dispose();
    }
  };
}

type Runner = {step(): number; dispose(): void};

/**
 * Times the variants in interleaved rounds (A B C D A B C D …) and reports each one's fastest
 * round: on a shared 2-core machine other processes slow some rounds down, and interleaving plus
 * the minimum keeps that out of the comparison.
 */
async function compare(title: string, variants: [string, () => Runner][], roundMs: number, rounds = 5) {
  const runners = variants.map(([label, make]) => ({label, runner: make(), best: Infinity, leak: 0}));
  for (const r of runners) for (let i = 0; i < 3; i++) r.runner.step(); // warm-up (first Adam step allocates)
  for (const r of runners) r.leak = tf.memory().numTensors;
  for (let round = 0; round < rounds; round++) {
    for (const r of runners) {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < roundMs || n < 2) {
        r.runner.step();
        n++;
      }
      r.best = Math.min(r.best, (performance.now() - t0) / n);
    }
  }
  const leaked = tf.memory().numTensors - runners[runners.length - 1].leak;
  for (const r of runners) {
    console.log(`${title} ${r.label.padEnd(36)} ${r.best.toFixed(2).padStart(8)} ms/step`);
    r.runner.dispose();
  }
  if (leaked) console.log(`  LEAK: ${leaked} tensors`);
}

const ours = (B: number, transpose: "explicit" | "flags" | "stock"): Runner => {
  const d = createDenoiser(tf, DEFAULT_DENOISER);
  if (transpose === "stock") {
    // The same trainer, but ε_θ evaluated with stock ops on slices of θ: tfjs's own autodiff.
    d.predictFeatures = (h0) => mlpApplyStock(tf, unpackParams(tf, d.variables[0] as tf.Tensor1D, d.layout), h0, "relu");
  } else d.transpose = transpose;
  const tr = createTrainer(tf, {denoiser: d, schedule, data, batchSize: B, seed: 1});
  return {step: () => tr.step(), dispose: () => (tr.dispose(), d.dispose())};
};

const backends = process.argv.slice(2).length ? process.argv.slice(2) : ["cpu", "wasm"];
for (const name of backends) {
  if (name !== "cpu" && name !== "wasm") throw new Error(`backends are "cpu" and "wasm" (the two Node has here); got ${JSON.stringify(name)}`);
}
for (const backend of backends as TfjsBackendName[]) {
  await setBackendQuietly(tf, backend);
  for (const B of [256, 2048]) {
    await compare(`${backend} B=${B}`, [
      ["stock (autodiff, tf.train.adam)", () => stockTrainer(DEFAULT_DENOISER, B)],
      ["ours, stock dense gradients", () => ours(B, "stock")],
      ["ours (customGrad, explicit)", () => ours(B, "explicit")],
      ["ours (customGrad, flags)", () => ours(B, "flags")]
    ], backend === "cpu" ? (B > 256 ? 2500 : 1000) : 400);
  }
}
