// Checks of the kernel against the tfjs path, run where the kernel runs: in the browser (the bench
// page exposes them; test/browser/kernel.test.ts asserts on the numbers) with the build the engine
// chose and the helper thread. They return measurements, not verdicts.
import type * as tfTypes from "@tensorflow/tfjs";
import {sampleDataset} from "../../lib/datasets.js";
import {createRng} from "../../lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../lib/schedule.js";
import {relError} from "../../lib/stats.js";
import {initialParams, mlpApply, weightedSquaredError} from "../dense.js";
import {createDenoiser, DEFAULT_DENOISER} from "../denoiser.js";
import {sample} from "../sampler.js";
import {createTrainer} from "../trainer.js";
import {loadKernel, type KernelFlavour} from "./load.js";
import {MlpKernel} from "./mlp.js";
import {createKernelSampler} from "./sampler.js";
import {KernelHelper} from "./threads.js";
import {createKernelTrainer} from "./trainer.js";

type Tf = typeof tfTypes;

/**
 * The kernel's ∂L/∂θ and L on the default model against tfjs's (mlpApply + weightedSquaredError on
 * the current tfjs backend), for a few batch sizes, plain and weighted: the worst relative errors.
 */
export async function gradientCheck(tf: Tf): Promise<{flavour: KernelFlavour; backend: string; gradient: number; loss: number}> {
  const denoiser = createDenoiser(tf, DEFAULT_DENOISER);
  const layout = denoiser.layout;
  denoiser.dispose();
  const kernel = await loadKernel();
  const mlp = await MlpKernel.create(kernel, layout);
  const rng = createRng(17);
  const theta = initialParams(layout, rng);
  mlp.setTheta(theta);
  let gradient = 0;
  let loss = 0;
  for (const [n, weighted] of [[3, false], [100, true], [512, false]] as const) {
    const h0 = Float32Array.from(rng.normals(n * layout.sizes[0]));
    const target = Float32Array.from(rng.normals(2 * n));
    const weights = Float32Array.from({length: n}, () => (0.5 + rng.uniform()) / n);
    const views = mlp.batchViews(n);
    views.h0.set(h0);
    views.target.set(target);
    views.weights.set(weights);
    const ours = mlp.gradient(n, weighted);
    const ref = tf.tidy(() => {
      const v = tf.variable(tf.tensor1d(theta));
      // The inputs are made outside the differentiated function, whose own tensors are freed after
      // the forward pass (the loss's gradient reads the target and weights again).
      const x = tf.tensor2d(h0, [n, layout.sizes[0]]);
      const e = tf.tensor2d(target, [n, 2]);
      const w = weighted ? tf.tensor2d(weights, [n, 1]) : null;
      const {value, grads} = tf.variableGrads(() => weightedSquaredError(tf, mlpApply(tf, v, layout, x), e, w), [v]);
      const out = {loss: value.dataSync()[0], grad: grads[v.name].dataSync()};
      v.dispose();
      return out;
    });
    gradient = Math.max(gradient, relError(mlp.gradientView(), ref.grad));
    loss = Math.max(loss, Math.abs(ours - ref.loss) / ref.loss);
  }
  return {flavour: kernel.flavour, backend: tf.getBackend(), gradient, loss};
}

let helper: Promise<KernelHelper | null> | null = null;
const startHelper = () => (helper ??= KernelHelper.start());

/**
 * The kernel trainer with its batch split over two threads against one thread and against the tfjs
 * trainer, same seed, batch 512: the largest relative differences of their losses over `steps` steps.
 */
export async function splitTrainingCheck(tf: Tf, steps = 30): Promise<{threads: number; vsOneThread: number; vsTfjs: number; finalLoss: number}> {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const data = sampleDataset("ring-8", 2000, 1);
  const run = async (engine: "split" | "one" | "tfjs") => {
    const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 5});
    const options = {denoiser, schedule, data, batchSize: 512, learningRate: 3e-3, seed: 2};
    const trainer =
      engine === "tfjs" ? createTrainer(tf, options) : await createKernelTrainer(tf, {...options, helper: engine === "split" ? await startHelper() : null});
    const losses = Array.from((await trainer.steps(steps)).losses);
    const threads = "threads" in trainer ? (trainer.threads as number) : 1;
    trainer.dispose();
    denoiser.dispose();
    return {losses, threads};
  };
  const [split, one, tfjs] = [await run("split"), await run("one"), await run("tfjs")];
  const worst = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / b[i]));
  return {threads: split.threads, vsOneThread: worst(split.losses, one.losses), vsTfjs: worst(split.losses, tfjs.losses), finalLoss: split.losses[steps - 1]};
}

/** Per-coordinate means and variances of flat 2D points. */
function moments(x: Float32Array): {mean: number[]; variance: number[]} {
  const n = x.length / 2;
  const mean = [0, 0];
  const variance = [0, 0];
  for (let j = 0; j < n; j++) for (let d = 0; d < 2; d++) mean[d] += x[2 * j + d] / n;
  for (let j = 0; j < n; j++) for (let d = 0; d < 2; d++) variance[d] += (x[2 * j + d] - mean[d]) ** 2 / (n - 1);
  return {mean, variance};
}

/**
 * Algorithm 2 from a briefly trained default model, n points, on the kernel with its helper thread
 * and on tfjs: with the same seed (share of coordinates more than 0.01 apart), and as distributions
 * (the kernel with another seed: moments of both, for a Monte Carlo comparison by the caller).
 */
export async function samplingCheck(tf: Tf, n = 2000): Promise<{threads: number; farShare: number; tfjs: ReturnType<typeof moments>; kernel: ReturnType<typeof moments>; n: number}> {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const denoiser = createDenoiser(tf, {...DEFAULT_DENOISER, seed: 1});
  const trainer = await createKernelTrainer(tf, {denoiser, schedule, data: sampleDataset("ring-8", 4000, 1), batchSize: 512, learningRate: 3e-3, seed: 1});
  await trainer.steps(300);
  trainer.dispose();
  const model = await createKernelSampler(denoiser, {helper: await startHelper()});
  const ref = await sample(tf, denoiser, schedule, {n, seed: 21});
  const same = await sample(tf, model, schedule, {n, seed: 21});
  const other = await sample(tf, model, schedule, {n, seed: 22});
  let far = 0;
  for (let i = 0; i < same.x0.length; i++) if (Math.abs(same.x0[i] - ref.x0[i]) > 1e-2) far++;
  denoiser.dispose();
  return {threads: model.threadsFor(n), farShare: far / same.x0.length, tfjs: moments(ref.x0), kernel: moments(other.x0), n};
}
