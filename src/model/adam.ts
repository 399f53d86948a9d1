/**
 * Adam (Kingma & Ba 2015, Alg. 1) on one flat parameter vector, shared by the DDPM trainer and the
 * GAN of the Why-diffusion page. The module receives `tf` (see backends.ts).
 */
import type * as tfTypes from "@tensorflow/tfjs";
import type {Tf} from "./backends.js";

/** θ and Adam's two moment vectors, as variables of one shape. */
export interface AdamState {
  theta: tfTypes.Variable;
  m: tfTypes.Variable;
  v: tfTypes.Variable;
}

export interface AdamHyper {
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Added unscaled to √v̂; take the backend's (tf.backend().epsilon()): 1e-8 underflows in float16. */
  epsilon: number;
}

/**
 * One Adam step on a flat parameter vector, the k-th (k ≥ 1):
 * θ −= lr/(1−β₁ᵏ) · m / (√(v/(1−β₂ᵏ)) + ε), i.e. tf.train.adam's lr·m̂/(√v̂ + ε) with the first bias
 * correction folded into the step size: ~13 ops for all parameters at once, where tf.train.adam
 * spends ~14 per variable. ε is added unscaled, as tf does, so that the backend's float16 ε (1e-4)
 * stays representable. Call inside tf.tidy.
 */
export function adamUpdate(tf: Tf, state: AdamState, g: tfTypes.Tensor, k: number, hyper: AdamHyper): void {
  const {theta, m, v} = state;
  const {learningRate, beta1, beta2, epsilon} = hyper;
  const stepSize = learningRate / (1 - Math.pow(beta1, k));
  const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  m.assign(mNew);
  v.assign(vNew);
  const denom = tf.add(tf.sqrt(tf.mul(vNew, 1 / (1 - Math.pow(beta2, k)))), epsilon);
  theta.assign(tf.sub(theta, tf.mul(tf.div(mNew, denom), stepSize)));
}
