// Kernel-only timing in Node: sampling 2048 points x 1000 steps (Algorithm 2 via sample()), and ms per step at 256/2048.
import * as tf from "@tensorflow/tfjs";
import {makeSchedule} from "../src/lib/schedule.js";
import {DEFAULT_SCHEDULE} from "../src/lib/schedule.js";
import {createDenoiser, DEFAULT_DENOISER} from "../src/model/denoiser.js";
import {loadKernel} from "../src/model/kernel/load.js";
import {createKernelSampler} from "../src/model/kernel/sampler.js";
import {createKernelTrainer} from "../src/model/kernel/trainer.js";
import {sample} from "../src/model/sampler.js";
import {sampleDataset} from "../src/lib/datasets.js";
const log = console.log; console.log = () => {}; await tf.setBackend("cpu"); console.log = log;
const flavour = (process.env.KERNEL_FLAVOUR ?? "auto") as any;
const kernel = await loadKernel(flavour);
const schedule = makeSchedule(DEFAULT_SCHEDULE);
const d = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 1});
const what = process.argv[2] ?? "all";
if (what !== "steps") {
  const model = await createKernelSampler(d, {kernel});
  for (let r = 0; r < 3; r++) {
    const res = await sample(tf, model, schedule, {n: 2048, seed: 1});
    console.log(`${kernel.flavour} sampling 2048x1000: ${(res.ms / 1000).toFixed(2)} s`);
  }
}
if (what !== "sample") {
  const data = sampleDataset("ring-8", 4000, 1);
  for (const B of [256, 2048]) {
    const tr = await createKernelTrainer(tf, {denoiser: d, schedule, data, batchSize: B, learningRate: 1e-3, seed: 1, kernel});
    await tr.steps(5);
    const k = B === 256 ? 200 : 30;
    const t0 = performance.now(); await tr.steps(k); const ms = (performance.now() - t0) / k;
    console.log(`${kernel.flavour} step batch ${B}: ${ms.toFixed(2)} ms`);
    tr.dispose();
  }
}
