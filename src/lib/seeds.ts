/**
 * The seeds the site fixes, named, each with why it is what it is. A seed that two places must share
 * lives here: the reference models and the live panel draw their samples and ledgers with the same
 * seeds, so that a model shows the same samples and bound wherever it appears, and the two models of
 * the L_simple experiment meet the same x_T and the same ledger noise.
 */

/** Seed of the samples drawn from a trained model (Algorithm 2: x_T and every z). */
export const SAMPLE_SEED = 99;

/**
 * Base of the ledgers' noise seeds: the x_t drawn for each held-out point and t (computeLedger). Each
 * dataset adds its place in DATASET_IDS (ledgerNoiseSeed), so that datasets do not share their
 * Monte Carlo errors.
 */
export const LEDGER_SEED = 5;

/**
 * Held-out data are the training set's dataset drawn with the training seed plus this prime
 * (heldOutDataset), so they are never trained on and every consumer compares against the same points.
 */
export const HELD_OUT_SEED_OFFSET = 7919;

/**
 * The benchmark estimates its energy floor from data drawn with the training seed plus this prime:
 * points independent of both the training and the held-out ones.
 */
export const FLOOR_SEED_OFFSET = 104729;

/**
 * The split of the reader's own points into training and held-out parts (splitDataset). The Forward
 * page, the Training page, its worker and the race all split with it, so a held-out point is held
 * out everywhere.
 */
export const YOUR_DATA_SPLIT_SEED = 1;

/**
 * The seed of the EM fit of a Gaussian mixture to the reader's training points (mixtureAnswer), in
 * the Training worker and the race: the same points always give the same fit.
 */
export const YOUR_DATA_FIT_SEED = 1;

/** The data's entropy (datasetEntropy) is estimated with the training seed plus this. */
export const ENTROPY_SEED_OFFSET = 1;

/**
 * The stride of a page's "run again" seeds: run k of a check with base seed b uses b + k·7919. A prime,
 * so that the reruns of checks with nearby base seeds do not land on each other's seeds.
 */
export const RERUN_SEED_STRIDE = 7919;

/** The seed of run `rerun` (0, 1, 2, …; a button's count) of a page check whose first run uses `base`. */
export function rerunSeed(base: number, rerun: number): number {
  return base + RERUN_SEED_STRIDE * rerun;
}
