/**
 * A small GAN (Goodfellow et al. 2014) on 2D points, for the "Why diffusion" page: a generator
 * G(z) and a discriminator D(x), both MLPs, trained by alternating gradient steps, GAN Lab style.
 * It exists to be measured (mode coverage on the 8-Gaussian ring, docs/architecture.md §6), not to be good.
 *
 * The module receives `tf` (the browser passes tf.fesm.js, the Node tests the CJS package), and
 * reuses the denoiser's fast MLP (one custom-gradient op per network, dense.ts) and Adam (adam.ts).
 *
 * Objective (Goodfellow et al. 2014, Eq. 1), with D(x) = sigmoid(ℓ(x)) for a logit ℓ:
 *   D step: minimise −E_x log D(x) − E_z log(1 − D(G(z)))  = E softplus(−ℓ(x)) + E softplus(ℓ(G(z)))
 *   G step, "nonsaturating" (the paper's practical choice, Sec. 3): minimise −E_z log D(G(z)) = E softplus(−ℓ(G(z)))
 *   G step, "minimax" (the game as written): minimise E_z log(1 − D(G(z))) = −E softplus(ℓ(G(z)))
 * The minimax form's gradient vanishes when D confidently rejects the fakes (softplus(ℓ) → 0 as ℓ → −∞),
 * which is why the paper recommends the other one.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {createRng, type Rng} from "../lib/random.js";
import {initialParams, mlpApply, mlpLayout, type MlpLayout} from "./dense.js";
import {adamUpdate} from "./adam.js";
import type {Tf} from "./backends.js";

type Tensor2D = tfTypes.Tensor2D;
type Tensor1D = tfTypes.Tensor1D;

export type GanLoss = "nonsaturating" | "minimax";

export interface GanConfig {
  /** Width of each hidden layer of G and of D. */
  hidden: number;
  /** Hidden layers in each network. */
  depth: number;
  /** Dimension of the generator's noise z ~ N(0, I). */
  latentDim: number;
  batchSize: number;
  learningRateD: number;
  learningRateG: number;
  /** Adam's β₁; 0.5 as in DCGAN (Radford et al. 2016), the usual choice for GANs. */
  beta1: number;
  /** Discriminator steps per generator step (k of Goodfellow et al.'s Algorithm 1). */
  dSteps: number;
  loss: GanLoss;
  seed: number;
}

export const DEFAULT_GAN: GanConfig = {
  hidden: 64,
  depth: 2,
  latentDim: 2,
  batchSize: 128,
  learningRateD: 1e-3,
  learningRateG: 1e-3,
  beta1: 0.5,
  dSteps: 1,
  loss: "nonsaturating",
  seed: 1
};

export interface GanReport {
  /** Generator steps taken so far. */
  step: number;
  /** The discriminator's loss at the last D step (nats; log 4 ≈ 1.386 when D outputs ½ everywhere). */
  dLoss: number;
  /** The generator's loss at the last G step. */
  gLoss: number;
}

export interface Gan {
  readonly config: GanConfig;
  readonly step: number;
  /** k generator steps (each after `dSteps` discriminator steps); reads the last losses back asynchronously. */
  train(k: number): Promise<GanReport>;
  /** n samples G(z), z from createRng(seed) (flat [x0, y0, …]). */
  sample(n: number, seed: number): Promise<Float32Array>;
  /** D(x) = sigmoid(ℓ(x)) at each point of a flat [x0, y0, …] array. */
  discriminate(points: ArrayLike<number>): Promise<Float32Array>;
  /** Parameters of G and of D (for tests and reproducibility checks). */
  parameterCount: {generator: number; discriminator: number};
  dispose(): void;
}

/** Thrown when a loss turns NaN or infinite: the run is over, and the page says so. */
export class GanDivergenceError extends Error {}

function checkConfig(c: GanConfig): void {
  const ints: (keyof GanConfig)[] = ["hidden", "depth", "latentDim", "batchSize", "dSteps"];
  for (const key of ints) {
    const v = c[key] as number;
    if (!Number.isInteger(v) || v < 1) throw new Error(`${key} must be an integer ≥ 1, got ${v}`);
  }
  for (const key of ["learningRateD", "learningRateG"] as const) {
    if (!(c[key] > 0) || !Number.isFinite(c[key])) throw new Error(`${key} must be > 0, got ${c[key]}`);
  }
  if (!(c.beta1 >= 0 && c.beta1 < 1)) throw new Error(`beta1 must be in [0, 1), got ${c.beta1}`);
  if (c.loss !== "nonsaturating" && c.loss !== "minimax") throw new Error(`loss must be "nonsaturating" or "minimax", got ${c.loss}`);
}

/** A network's flat parameters and Adam's moments, as variables. */
interface Net {
  layout: MlpLayout;
  theta: tfTypes.Variable<tfTypes.Rank.R1>;
  m: tfTypes.Variable<tfTypes.Rank.R1>;
  v: tfTypes.Variable<tfTypes.Rank.R1>;
  k: number;
}

function createNet(tf: Tf, sizes: number[], rng: Rng): Net {
  const layout = mlpLayout(sizes);
  const init = initialParams(layout, rng);
  // Variables made inside tidy: tf.variable(tensor) would otherwise leak the initial tensor (docs/architecture.md §4.7).
  const [theta, m, v] = tf.tidy(() => [
    tf.variable(tf.tensor1d(init)),
    tf.variable(tf.zeros([layout.size]) as Tensor1D),
    tf.variable(tf.zeros([layout.size]) as Tensor1D)
  ]);
  return {layout, theta: theta as Net["theta"], m: m as Net["m"], v: v as Net["v"], k: 0};
}

/**
 * A GAN on `data` (flat 2D points). Everything random (initial weights, minibatches, z) comes from
 * createRng(config.seed), so a seed gives the same run on every backend up to float rounding.
 */
export function createGan(tf: Tf, data: ArrayLike<number>, options: Partial<GanConfig> = {}): Gan {
  const config: GanConfig = {...DEFAULT_GAN, ...options};
  checkConfig(config);
  const dim = 2;
  const n = Math.floor(data.length / dim);
  if (n < 1 || data.length !== n * dim) throw new Error(`data must hold 2D points (an even number of values ≥ 2), got ${data.length}`);
  const rng = createRng(config.seed);
  const hiddens = Array.from({length: config.depth}, () => config.hidden);
  const G = createNet(tf, [config.latentDim, ...hiddens, dim], rng);
  const D = createNet(tf, [dim, ...hiddens, 1], rng);
  const dataTensor = tf.tensor2d(Float32Array.from(data), [n, dim]);
  // Adam's ε from the backend, as the DDPM trainer does: a fixed 1e-7 underflows on float16 WebGL.
  const hyper = (lr: number) => ({learningRate: lr, beta1: config.beta1, beta2: 0.999, epsilon: tf.backend().epsilon()});
  const B = config.batchSize;
  // Labels of a D batch [real; fake]: 1 for the B real rows, 0 for the B fake ones.
  const labels = tf.tidy(() => tf.concat([tf.ones([B, 1]), tf.zeros([B, 1])], 0) as Tensor2D);
  let step = 0;
  let disposed = false;

  const noise = (rows: number, source: Rng = rng) => tf.tensor2d(Float32Array.from(source.normals(rows * config.latentDim)), [rows, config.latentDim]);
  const batchIndices = () => {
    const idx = new Int32Array(B);
    for (let i = 0; i < B; i++) idx[i] = Math.min(n - 1, Math.floor(rng.uniform() * n));
    return tf.tensor1d(idx, "int32");
  };
  const generate = (z: Tensor2D, theta: Tensor1D = G.theta) => mlpApply(tf, theta, G.layout, z);

  /** One discriminator step; returns its loss (a scalar the caller disposes). */
  function discriminatorStep(): tfTypes.Scalar {
    return tf.tidy(() => {
      const real = tf.gather(dataTensor, batchIndices()) as Tensor2D;
      const fake = generate(noise(B)); // no gradient reaches G: only θ_D is differentiated below
      const x = tf.concat([real, fake], 0) as Tensor2D;
      const f = (theta: tfTypes.Tensor) => {
        const logits = mlpApply(tf, theta as Tensor1D, D.layout, x);
        // Binary cross-entropy with logits, softplus(ℓ) − yℓ; the mean over 2B rows, doubled, is the
        // sum of the real and fake means of the objective above.
        return tf.mul(tf.mean(tf.sub(tf.softplus(logits), tf.mul(labels, logits))), 2) as tfTypes.Scalar;
      };
      const {value, grad} = tf.valueAndGrad(f)(D.theta);
      D.k += 1;
      adamUpdate(tf, D, grad, D.k, hyper(config.learningRateD));
      return tf.keep(value);
    });
  }

  /** One generator step through the current D; returns its loss. */
  function generatorStep(): tfTypes.Scalar {
    return tf.tidy(() => {
      const z = noise(B);
      const dTheta = D.theta as Tensor1D;
      const f = (theta: tfTypes.Tensor) => {
        const logits = mlpApply(tf, dTheta, D.layout, generate(z, theta as Tensor1D), {inputGradient: true});
        return (config.loss === "nonsaturating" ? tf.mean(tf.softplus(tf.neg(logits))) : tf.neg(tf.mean(tf.softplus(logits)))) as tfTypes.Scalar;
      };
      const {value, grad} = tf.valueAndGrad(f)(G.theta);
      G.k += 1;
      adamUpdate(tf, G, grad, G.k, hyper(config.learningRateG));
      return tf.keep(value);
    });
  }

  const alive = () => {
    if (disposed) throw new Error("this GAN has been disposed");
  };

  return {
    config,
    get step() {
      return step;
    },
    parameterCount: {generator: G.layout.size, discriminator: D.layout.size},
    async train(k: number): Promise<GanReport> {
      alive();
      if (!Number.isInteger(k) || k < 1) throw new Error(`train(k): k must be an integer ≥ 1, got ${k}`);
      let dLoss: tfTypes.Scalar | null = null;
      let gLoss: tfTypes.Scalar | null = null;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < config.dSteps; j++) {
          dLoss?.dispose();
          dLoss = discriminatorStep();
        }
        gLoss?.dispose();
        gLoss = generatorStep();
        step += 1;
      }
      // One asynchronous read per call (a synchronous read stalls, or crashes, GPU backends: docs/architecture.md §4.6).
      const [d, g] = await Promise.all([dLoss!.data(), gLoss!.data()]);
      dLoss!.dispose();
      gLoss!.dispose();
      const report = {step, dLoss: d[0], gLoss: g[0]};
      if (!Number.isFinite(report.dLoss) || !Number.isFinite(report.gLoss)) {
        throw new GanDivergenceError(`the GAN's losses are no longer finite at step ${step} (D ${report.dLoss}, G ${report.gLoss})`);
      }
      return report;
    },
    async sample(count: number, seed: number): Promise<Float32Array> {
      alive();
      if (!Number.isInteger(count) || count < 1) throw new Error(`sample(n): n must be an integer ≥ 1, got ${count}`);
      const x = tf.tidy(() => generate(noise(count, createRng(seed))));
      const values = (await x.data()) as Float32Array;
      x.dispose();
      return values;
    },
    async discriminate(points: ArrayLike<number>): Promise<Float32Array> {
      alive();
      const rows = Math.floor(points.length / dim);
      if (rows < 1 || points.length !== rows * dim) throw new Error(`discriminate: points must be flat 2D, got ${points.length} values`);
      const p = tf.tidy(() => tf.sigmoid(mlpApply(tf, D.theta, D.layout, tf.tensor2d(Float32Array.from(points), [rows, dim]))));
      const values = (await p.data()) as Float32Array;
      p.dispose();
      return values;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      tf.dispose([G.theta, G.m, G.v, D.theta, D.m, D.v, dataTensor, labels]);
    }
  };
}
