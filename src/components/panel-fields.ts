// The numeric fields the reader types into (the Training panel, the L_simple experiment, the GAN
// panel): each one's label as the reader sees it, its limits and a hint. The check itself, and the
// sentence that refuses a value, are lib's (validate.ts); the fields' words are here.
import type {NumberField} from "../lib/validate.js";

/** The numeric fields of the site's panels, each defined once. */
export const FIELDS = {
  learningRate: {label: "Learning rate", min: 1e-5, max: 1, hint: "1e-3 to 3e-3 works well"},
  batchSize: {label: "Batch", min: 1, max: 8192, integer: true},
  seed: {label: "Seed", min: 0, max: 999999, integer: true},
  lsimpleSteps: {label: "Steps each", min: 10, max: 20000, integer: true},
  ganSteps: {label: "Steps", min: 1, max: 100000, integer: true}
} as const satisfies Record<string, NumberField>;
