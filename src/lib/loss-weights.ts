/**
 * The per-t weights of the training objectives (pure math; the trainer in src/model/trainer.ts
 * multiplies each example's ‖ε − ε_θ‖² by its t's weight). Index i ↔ t = i + 1.
 */
import {trueBoundWeight} from "./posterior.js";
import type {Schedule, Sigma2Kind} from "./schedule.js";

/**
 * Which objective:
 *  - "simple": L_simple (Eq. 14), E_t,x_0,ε ‖ε − ε_θ‖², the paper's choice;
 *  - "vlb": the true bound's weighting (Eq. 12), λ_t‖ε − ε_θ‖² with λ_t = β_t²/(2σ_t²α_t(1 − ᾱ_t))
 *    from the core's trueBoundWeight (t = 1 is the decoder L_0's weight), i.e. Σ_t L_{t−1} up to
 *    constants, estimated with uniform t;
 *  - "hybrid": L_simple + c·L_vlb (Nichol & Dhariwal 2021, c = 0.001), L_vlb = Σ_t L_{t−1} = T·E_t[…],
 *    so each example is weighted 1 + c·T·λ_t. (They learn Σ_θ and stop L_vlb's gradient into the
 *    mean; with σ_t fixed here it only reweights the ε error.)
 * The per-example weights of "vlb" and "hybrid" are divided by their mean over t, so that
 * E_t[weight] = 1 as for L_simple and the same learning rate works for all three; the reported
 * loss is on that normalised scale.
 */
export type LossKind = "simple" | "vlb" | "hybrid";

/** λ_t (trueBoundWeight, Eq. 12) for t = 1 … T, index t − 1 (t = 1: the decoder L_0's weight). */
export function lambdaCurve(s: Schedule, kind: Sigma2Kind): Float64Array {
  const out = new Float64Array(s.T);
  for (let t = 1; t <= s.T; t++) out[t - 1] = trueBoundWeight(s, t, kind);
  return out;
}

/**
 * The per-t weights of an objective, normalised to mean 1 over t (see LossKind); index i ↔ t = i + 1.
 */
export function lossWeights(schedule: Schedule, loss: LossKind, sigma2Kind: Sigma2Kind = "betaTilde", hybridWeight = 0.001): Float64Array {
  const T = schedule.T;
  const w = new Float64Array(T);
  if (loss === "simple") return w.fill(1);
  if (loss !== "vlb" && loss !== "hybrid") throw new Error(`loss must be "simple", "vlb" or "hybrid", got ${JSON.stringify(loss)}`);
  const lambda = lambdaCurve(schedule, sigma2Kind); // Eq. 12's weight of ‖ε − ε_θ‖²
  for (let t = 1; t <= T; t++) w[t - 1] = loss === "vlb" ? lambda[t - 1] : 1 + hybridWeight * T * lambda[t - 1];
  let mean = 0;
  for (let i = 0; i < T; i++) mean += w[i] / T;
  for (let i = 0; i < T; i++) w[i] /= mean;
  return w;
}
