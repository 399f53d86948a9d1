// The words the pages use for the reader's own data (drawn or pasted on the Forward page): what a
// fitted mixture is, an exact quantity of it, and how the points were standardised. The numbers
// are computed in lib (mixture-fit.ts, your-data-training.ts, custom-data.ts); the words are here.
import {formatNumber} from "../lib/format.js";
import type {Transform} from "../lib/custom-data.js";
import type {MixtureAnswer} from "../lib/mixture-fit.js";

/** What a fitted mixture's numbers are of: "a 12-component Gaussian mixture fitted to your points" (or "… your training points"). */
export function fittedMixture(K: number, fittedTo: "points" | "training points" = "points"): string {
  return `a ${K}-component Gaussian mixture fitted to your ${fittedTo}`;
}

/** The words for one exact quantity on the reader's data: "ε* of a 12-component Gaussian mixture fitted to your points", or "ε* is not available for your data: …". */
export function exactLabel(quantity: string, answer: MixtureAnswer): string {
  return answer.available ? `${quantity} of ${fittedMixture(answer.K)}` : `${quantity} is not available for your data: ${answer.reason}`;
}

/** The transform in words: "centred by subtracting (0.31, −1.2) and scaled by 1/2.4 to unit variance". */
export function describeTransform({mean, scale}: Transform): string {
  return `centred by subtracting (${formatNumber(mean[0])}, ${formatNumber(mean[1])}) and scaled by 1/${formatNumber(scale)} to unit variance`;
}
