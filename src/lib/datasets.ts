/**
 * The 2D toy data sets. Each is standardised with FIXED constants derived from its generating
 * distribution (not from the sample), so that every coordinate has mean 0 and variance 1 in the
 * population, as the paper scales images to [−1, 1] (docs/architecture.md §3). Samples are flat
 * [x0, y0, x1, y1, …] and depend only on (id, n, seed).
 */
import {mixtureEntropy, sampleMixture, type GaussianMixture} from "./mixture.js";
import {createRng, type Rng} from "./random.js";
import {ENTROPY_SEED_OFFSET, HELD_OUT_SEED_OFFSET} from "./seeds.js";
import {checkCount} from "./util.js";

/** The ids of the 2D toy data sets, in display order. */
export const DATASET_IDS = ["swiss-roll", "two-moons", "ring-8", "grid-25", "checkerboard", "two-spirals", "circles"] as const;

/** One of DATASET_IDS. */
export type DatasetId = (typeof DATASET_IDS)[number];

/** What the math needs to know of a data set besides its samples; its name and description for the reader are in components/dataset-words.ts. */
export interface DatasetInfo {
  id: DatasetId;
  /** True when the data are exactly a Gaussian mixture (datasetMixture returns it): exact answers apply. */
  mixture: boolean;
}

/** Standard deviation of each of the 8 ring modes (standardised units). */
export const RING8_MODE_STD = 0.1;
/** Standard deviation of each of the 25 grid modes (standardised units). */
export const GRID25_MODE_STD = 0.05;

/** The mixture flag of every data set, by id. */
export const DATASETS: Record<DatasetId, DatasetInfo> = {
  "swiss-roll": {id: "swiss-roll", mixture: false},
  "two-moons": {id: "two-moons", mixture: false},
  "ring-8": {id: "ring-8", mixture: true},
  "grid-25": {id: "grid-25", mixture: true},
  checkerboard: {id: "checkerboard", mixture: false},
  "two-spirals": {id: "two-spirals", mixture: false},
  circles: {id: "circles", mixture: false}
};

/** Throws, naming the allowed ids, unless `id` is one of DATASET_IDS. */
export function checkDatasetId(id: string): asserts id is DatasetId {
  if (!(DATASET_IDS as readonly string[]).includes(id)) {
    throw new Error(`unknown dataset ${JSON.stringify(id)}; expected one of ${DATASET_IDS.join(", ")}`);
  }
}

/**
 * The exact mixture of a mixture data set (ring-8, grid-25), or null for the others. Both are
 * standardised exactly: mean 0 and covariance I.
 */
export function datasetMixture(id: DatasetId): GaussianMixture | null {
  checkDatasetId(id);
  if (id === "ring-8") {
    // 8 modes on a circle of radius r: per-coordinate variance r²/2 + σ² = 1.
    const K = 8;
    const sigma = RING8_MODE_STD;
    const r = Math.sqrt(2 * (1 - sigma * sigma));
    const means = new Float64Array(2 * K);
    for (let k = 0; k < K; k++) {
      means[2 * k] = r * Math.cos((2 * Math.PI * k) / K);
      means[2 * k + 1] = r * Math.sin((2 * Math.PI * k) / K);
    }
    return {dim: 2, weights: new Float64Array(K).fill(1 / K), means, variances: new Float64Array(K).fill(sigma * sigma)};
  }
  if (id === "grid-25") {
    // Modes at c·(i, j), i, j ∈ {−2, …, 2}: per-coordinate variance c²·E[i²] + σ² = 2c² + σ² = 1.
    const K = 25;
    const sigma = GRID25_MODE_STD;
    const c = Math.sqrt((1 - sigma * sigma) / 2);
    const means = new Float64Array(2 * K);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        means[2 * (5 * i + j)] = c * (i - 2);
        means[2 * (5 * i + j) + 1] = c * (j - 2);
      }
    }
    return {dim: 2, weights: new Float64Array(K).fill(1 / K), means, variances: new Float64Array(K).fill(sigma * sigma)};
  }
  return null;
}

/**
 * A raw generator and the exact population mean and standard deviation of its coordinates, used to
 * standardise: x' = (x − mean_x)/sd_x, y' = (y − mean_y)/sd_y.
 */
interface RawSet {
  draw(rng: Rng): [number, number];
  mean: [number, number];
  sd: [number, number];
}

const PI = Math.PI;
const SWISS_NOISE = 0.5;
const MOONS_NOISE = 0.1;
const SPIRAL_NOISE = 0.25;
const CIRCLES_NOISE = 0.05;

const RAW: Record<Exclude<DatasetId, "ring-8" | "grid-25">, RawSet> = {
  // θ ~ U(1.5π, 4.5π), (θ cos θ, θ sin θ) + N(0, 0.5²). Over θ uniform: E[θ cos θ] = 2,
  // E[θ sin θ] = 2/(3π), E[θ² cos² θ] = 4.875π² − 1/4, E[θ² sin² θ] = 4.875π² + 1/4.
  "swiss-roll": {
    draw(rng) {
      const theta = 1.5 * PI * (1 + 2 * rng.uniform());
      return [theta * Math.cos(theta) + SWISS_NOISE * rng.normal(), theta * Math.sin(theta) + SWISS_NOISE * rng.normal()];
    },
    mean: [2, 2 / (3 * PI)],
    sd: [Math.sqrt(4.875 * PI * PI - 0.25 - 4 + SWISS_NOISE ** 2), Math.sqrt(4.875 * PI * PI + 0.25 - 4 / (9 * PI * PI) + SWISS_NOISE ** 2)]
  },
  // Half the points on (cos θ, sin θ), half on (1 − cos θ, 1/2 − sin θ), θ ~ U(0, π), + N(0, 0.1²):
  // mean (1/2, 1/4), variances 3/4 and 9/16 − 1/π before noise.
  "two-moons": {
    draw(rng) {
      const upper = rng.uniform() < 0.5;
      const theta = PI * rng.uniform();
      const x = upper ? Math.cos(theta) : 1 - Math.cos(theta);
      const y = upper ? Math.sin(theta) : 0.5 - Math.sin(theta);
      return [x + MOONS_NOISE * rng.normal(), y + MOONS_NOISE * rng.normal()];
    },
    mean: [0.5, 0.25],
    sd: [Math.sqrt(0.75 + MOONS_NOISE ** 2), Math.sqrt(0.5625 - 1 / PI + MOONS_NOISE ** 2)]
  },
  // Uniform on the squares (i, j) of [−2, 2]² with i + j even: each coordinate is U(−2, 2), variance 4/3.
  checkerboard: {
    draw(rng) {
      const cell = Math.min(7, Math.floor(8 * rng.uniform()));
      const i = cell >> 1; // column 0..3
      const j = 2 * (cell & 1) + (i & 1); // a row of the same parity as the column
      return [-2 + i + rng.uniform(), -2 + j + rng.uniform()];
    },
    mean: [0, 0],
    sd: [Math.sqrt(4 / 3), Math.sqrt(4 / 3)]
  },
  // θ = 3π√u (density ∝ θ on [0, 3π], so points spread evenly along the arms), ±(−θ cos θ, θ sin θ)
  // + N(0, 0.25²): E[θ² cos² θ] = 9π²/4 + 3/4, E[θ² sin² θ] = 9π²/4 − 3/4, mean 0 by symmetry.
  "two-spirals": {
    draw(rng) {
      const sign = rng.uniform() < 0.5 ? 1 : -1;
      const theta = 3 * PI * Math.sqrt(rng.uniform());
      return [sign * -theta * Math.cos(theta) + SPIRAL_NOISE * rng.normal(), sign * theta * Math.sin(theta) + SPIRAL_NOISE * rng.normal()];
    },
    mean: [0, 0],
    sd: [Math.sqrt((9 * PI * PI) / 4 + 0.75 + SPIRAL_NOISE ** 2), Math.sqrt((9 * PI * PI) / 4 - 0.75 + SPIRAL_NOISE ** 2)]
  },
  // Radius 1 or 1/2 with probability 1/2 each, angle uniform, + N(0, 0.05²): variance E[r²]/2 = 5/16.
  circles: {
    draw(rng) {
      const r = rng.uniform() < 0.5 ? 1 : 0.5;
      const phi = 2 * PI * rng.uniform();
      return [r * Math.cos(phi) + CIRCLES_NOISE * rng.normal(), r * Math.sin(phi) + CIRCLES_NOISE * rng.normal()];
    },
    mean: [0, 0],
    sd: [Math.sqrt(5 / 16 + CIRCLES_NOISE ** 2), Math.sqrt(5 / 16 + CIRCLES_NOISE ** 2)]
  }
};

/**
 * n points of data set `id`, flat [x0, y0, x1, y1, …] (length 2n), drawn independently with
 * createRng(seed): the same (id, n, seed) always gives the same points, and the first m points do
 * not depend on n. Mixture sets (ring-8, grid-25) are drawn from exactly datasetMixture(id).
 */
export function sampleDataset(id: DatasetId, n: number, seed: number): Float64Array {
  checkDatasetId(id);
  checkCount(n, "n", 0);
  const rng = createRng(seed);
  const gm = datasetMixture(id);
  if (gm) return sampleMixture(gm, n, rng);
  const raw = RAW[id as keyof typeof RAW];
  const out = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    const [x, y] = raw.draw(rng);
    out[2 * j] = (x - raw.mean[0]) / raw.sd[0];
    out[2 * j + 1] = (y - raw.mean[1]) / raw.sd[1];
  }
  return out;
}

/**
 * Held-out points for a model trained on sampleDataset(id, ·, seed): the same set drawn with
 * another seed, never trained on. The worker's quality and ledger, the reference models, the
 * benchmark and the pages' "data" layers all use this one, so they compare against the same points.
 */
export function heldOutDataset(id: DatasetId, n: number, seed: number): Float64Array {
  return sampleDataset(id, n, seed + HELD_OUT_SEED_OFFSET);
}

/** Monte Carlo draws behind datasetEntropy. */
export const ENTROPY_DRAWS = 20000;

/**
 * The data's entropy H[q(x_0)] in nats per example (mixtureEntropy over ENTROPY_DRAWS draws), with
 * its standard error, for a Gaussian-mixture dataset trained with `seed`; null for the others. The
 * bound of any model of these data must lie above it. The worker and the Training page's reference
 * ledger both take it from here, so they show the same number.
 */
export function datasetEntropy(id: DatasetId, seed: number): {value: number; stdErr: number} | null {
  const gm = datasetMixture(id);
  if (!gm) return null;
  const {value, stdErr} = mixtureEntropy(gm, {n: ENTROPY_DRAWS, rng: createRng(seed + ENTROPY_SEED_OFFSET)});
  return {value, stdErr};
}
