/**
 * The codelength arithmetic of DDPM Sec. 4.3 (the Results page): bits per dimension as nats per
 * CIFAR-10 image, the entropy of a Gaussian residual rounded to grey levels, and the check that
 * the section's rate plus distortion equals Table 1's codelength of the L_simple model.
 */
import {NATS_PER_BIT} from "./gaussian.js";
import type {ResultsTables} from "./results.js";

/** CIFAR-10 images have 32 × 32 pixels × 3 colours = 3072 dimensions. */
export const CIFAR10_DIMS = 32 * 32 * 3;

/** A codelength in bits per dimension as nats per image of `dims` dimensions: b · D · ln 2. */
export function bitsPerDimToNats(bitsPerDim: number, dims = CIFAR10_DIMS): number {
  return bitsPerDim * dims * NATS_PER_BIT;
}

/**
 * Entropy in bits of N(0, σ²) rounded to integers, Σ_k −P_k log₂ P_k: what it costs to send a
 * Gaussian residual of standard deviation σ grey levels exactly to the grey level. For large σ it
 * approaches ½ log₂(2πeσ²) + log₂(e)/(24σ²) (the continuous entropy plus Sheppard's correction for
 * the bin width). Used to put DDPM's distortion (RMSE 0.95 grey levels) into bits, roughly.
 */
export function discretisedGaussianEntropy(sigma: number): number {
  if (!(sigma > 0)) throw new Error(`sigma must be > 0, got ${sigma}`);
  const K = Math.ceil(12 * sigma) + 2;
  let h = 0;
  for (let k = -K; k <= K; k++) {
    const p = normalCdf((k + 0.5) / sigma) - normalCdf((k - 0.5) / sigma);
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/** Φ(x) via erfc (Numerical Recipes' erfc approximation, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886187 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** DDPM Sec. 4.3, as printed: rate L_1 + … + L_T, distortion L_0 (bits/dim), and the distortion's RMSE on 0…255. */
export const DDPM_RATE_DISTORTION = {rate: 1.78, distortion: 1.97, rmse: 0.95} as const;

/** The Results page's check: the Sec. 4.3 numbers add up to Table 1's. */
export interface CodelengthCheck {
  pass: boolean;
  /** rate + distortion, and Table 1's test NLL bound of the L_simple model. */
  sum: number;
  table: number;
}

/**
 * L = L_0 + (L_1 + … + L_T) (Eq. 5), so Sec. 4.3's rate plus distortion must equal the codelength
 * of the L_simple model in Table 1 (3.75 bits/dim), within the 0.01 that rounding two 2-decimal
 * numbers allows.
 */
export function codelengthCheck(tables: Pick<ResultsTables, "cifar10">): CodelengthCheck {
  const row = tables.cifar10.rows.find((r) => r.model === "Ours (L_simple)");
  if (!row || row.NLLTest === null) throw new Error("Table 1 has no NLL for Ours (L_simple)");
  const sum = DDPM_RATE_DISTORTION.rate + DDPM_RATE_DISTORTION.distortion;
  return {pass: Math.abs(sum - row.NLLTest) <= 0.01 + 1e-12, sum, table: row.NLLTest};
}
