// The words the pages use for the datasets: each toy dataset's name in menus and sentences and a
// line on what it is, and the name of a training dataset (a toy one or the reader's own). The data
// themselves (samples, exact mixtures, the standardising constants) are in lib (datasets.ts); the
// words are here.
import {GRID25_MODE_STD, RING8_MODE_STD, type DatasetId} from "../lib/datasets.js";
import {YOUR_DATA, type TrainingDataset, type YourTrainingData} from "../lib/your-data-training.js";

/** What a page says about a toy dataset. */
export interface DatasetWords {
  /** Its name in menus and sentences ("8 Gaussians (ring)"). */
  label: string;
  /** One line on what it is. */
  description: string;
}

/** The label and description of every toy dataset, by id. */
export const DATASET_WORDS: Record<DatasetId, DatasetWords> = {
  "swiss-roll": {label: "Swiss roll", description: "A noisy 2D spiral (r = θ, θ from 1.5π to 4.5π), as scikit-learn's make_swiss_roll seen from above."},
  "two-moons": {label: "Two moons", description: "Two interleaved noisy half circles, as scikit-learn's make_moons."},
  "ring-8": {label: "8 Gaussians (ring)", description: `Eight equal Gaussians (std ${RING8_MODE_STD}) evenly spaced on a circle: the mode-collapse benchmark of the GAN literature.`},
  "grid-25": {label: "25 Gaussians (grid)", description: `A 5×5 grid of equal Gaussians (std ${GRID25_MODE_STD}): the harder mode-coverage benchmark.`},
  checkerboard: {label: "Checkerboard", description: "Uniform on the 8 dark squares of a 4×4 checkerboard: sharp edges, no density outside."},
  "two-spirals": {label: "Two spirals", description: "Two interleaved noisy spirals, 1.5 turns each, meeting at the centre."},
  circles: {label: "Circles", description: "Two noisy concentric circles, radii in ratio 2:1, half the points on each."}
};

/** A toy dataset's name in menus and sentences: "8 Gaussians (ring)". */
export function datasetLabel(id: DatasetId): string {
  return DATASET_WORDS[id].label;
}

/** The menus' entry for the reader's data when none are kept. */
export const NO_YOUR_DATA_LABEL = "Your data (none yet: draw on the Forward page)";

/** The label of a training dataset, for menus and sentences: a toy dataset's, or "Your data (1,234 points)". */
export function trainingDatasetLabel(dataset: TrainingDataset, data?: Pick<YourTrainingData, "points"> | null): string {
  if (dataset !== YOUR_DATA) return datasetLabel(dataset);
  return data ? `Your data (${(data.points.length / 2).toLocaleString("en")} points)` : "Your data";
}
