// The live panels' settings in the URL (the Training panel, the L_simple experiment, the GAN and
// the race), so that a presenter's prepared link opens a panel as it was set up:
// `/training?dataset=two-moons&lr=0.002&batch=256`, `/why-diffusion?gan=minimax&race-seconds=2`.
// Each panel has its parameters here, what the page passes to the panel from them (`…FromUrl`)
// and what the URL takes from the panel's value (`…ToUrl`); the pages link them with
// `readParams` and `linkPanelToUrl` (url-state.ts). The bounds are the panels' own: the fields'
// checks in lib/validate.ts and the race's sliders. The names of panels that share a page do not
// collide (the GAN's and the race's carry their panel's name).
import {DATASET_IDS, type DatasetId} from "../lib/datasets.js";
import {SIGMA2_KINDS} from "../lib/schedule.js";
import {FIELDS} from "./panel-fields.js";
import {YOUR_DATA, type TrainingDataset} from "../lib/your-data-training.js";
import {DEFAULT_TRAINING} from "../model/protocol.js";
import {LSIMPLE_DEFAULTS, type LSimpleExperimentOptions, type LSimpleSettings} from "./LSimpleExperiment.js";
import {RACE_DEFAULTS, RACE_SECONDS, RACE_SEEDS, raceDatasetKeys, type RaceDatasetChoice, type RacePanelOptions, type RaceSettings} from "./RacePanel.js";
import {BACKEND_CHOICES, LOSS_CHOICES, MODEL_CHOICES, type TrainingPanelOptions, type TrainingPanelSettings} from "./TrainingPanel.js";
import {choiceParam, intParam, numberParam, type ParamValues} from "./url-state.js";
import {GAN_DEFAULTS, GAN_PRESETS, type GanPreset, type GanSettings, type WhyGanPanelOptions} from "./WhyGanPanel.js";

/** A whole-number field of lib/validate.ts as a URL parameter. */
const fieldParam = (name: string, field: {min: number; max: number}, fallback: number) => intParam(name, {min: field.min, max: field.max, fallback});

// ---- The Training panel. ---------------------------------------------------------------------------
export const TRAINING_PARAMS = {
  dataset: choiceParam<TrainingDataset>("dataset", [...DATASET_IDS, YOUR_DATA], {fallback: DEFAULT_TRAINING.dataset}),
  loss: choiceParam("loss", LOSS_CHOICES, {fallback: DEFAULT_TRAINING.loss}),
  sigma: choiceParam("sigma", SIGMA2_KINDS, {fallback: DEFAULT_TRAINING.sigma2Kind}),
  model: choiceParam("model", MODEL_CHOICES, {fallback: DEFAULT_TRAINING.model}),
  // Written exactly: a learning rate of 0.0025 comes back as 0.0025.
  lr: numberParam("lr", {min: FIELDS.learningRate.min, max: FIELDS.learningRate.max, fallback: DEFAULT_TRAINING.learningRate}),
  batch: fieldParam("batch", FIELDS.batchSize, DEFAULT_TRAINING.batchSize),
  seed: fieldParam("seed", FIELDS.seed, DEFAULT_TRAINING.seed),
  backend: choiceParam("backend", BACKEND_CHOICES, {fallback: "auto"})
};

export function trainingFromUrl(v: ParamValues<typeof TRAINING_PARAMS>): Pick<TrainingPanelOptions, "config" | "backend"> {
  return {
    config: {dataset: v.dataset, loss: v.loss, sigma2Kind: v.sigma, model: v.model, learningRate: v.lr, batchSize: v.batch, seed: v.seed},
    backend: v.backend
  };
}

export const trainingToUrl = (s: TrainingPanelSettings): ParamValues<typeof TRAINING_PARAMS> => ({
  dataset: s.dataset,
  loss: s.loss,
  sigma: s.sigma2Kind,
  model: s.model,
  lr: s.learningRate,
  batch: s.batchSize,
  seed: s.seed,
  backend: s.backend
});

// ---- The L_simple experiment. ----------------------------------------------------------------------
export const LSIMPLE_PARAMS = {
  dataset: choiceParam<DatasetId>("dataset", DATASET_IDS, {fallback: LSIMPLE_DEFAULTS.dataset}),
  steps: fieldParam("steps", FIELDS.lsimpleSteps, LSIMPLE_DEFAULTS.steps),
  seed: fieldParam("seed", FIELDS.seed, LSIMPLE_DEFAULTS.seed)
};

export const lsimpleFromUrl = (v: ParamValues<typeof LSIMPLE_PARAMS>): LSimpleExperimentOptions => ({dataset: v.dataset, steps: v.steps, seed: v.seed});
export const lsimpleToUrl = (s: LSimpleSettings): ParamValues<typeof LSIMPLE_PARAMS> => ({...s});

// ---- The GAN panel. ---------------------------------------------------------------------------------
export const GAN_PARAMS = {
  preset: choiceParam("gan", Object.keys(GAN_PRESETS) as GanPreset[], {fallback: GAN_DEFAULTS.preset}),
  seed: fieldParam("gan-seed", FIELDS.seed, GAN_DEFAULTS.seed),
  steps: fieldParam("gan-steps", FIELDS.ganSteps, GAN_DEFAULTS.steps)
};

export const ganFromUrl = (v: ParamValues<typeof GAN_PARAMS>): Pick<WhyGanPanelOptions, "preset" | "seed" | "steps"> => ({...v});
export const ganToUrl = (s: GanSettings): ParamValues<typeof GAN_PARAMS> => ({...s});

// ---- The race. --------------------------------------------------------------------------------------
/** The race's parameters; the data's names include the page's extra choices (the reader's drawing). */
export function raceParams(extra: readonly RaceDatasetChoice[] = []) {
  return {
    dataset: choiceParam("race-data", raceDatasetKeys(extra), {fallback: RACE_DEFAULTS.dataset}),
    seconds: numberParam("race-seconds", {...RACE_SECONDS, fallback: RACE_DEFAULTS.seconds}),
    seeds: intParam("race-seeds", {min: RACE_SEEDS.min, max: RACE_SEEDS.max, fallback: RACE_DEFAULTS.seeds})
  };
}

export const raceFromUrl = (v: ParamValues<ReturnType<typeof raceParams>>): Pick<RacePanelOptions, "dataset" | "seconds" | "seeds"> => ({...v});
export const raceToUrl = (s: RaceSettings): ParamValues<ReturnType<typeof raceParams>> => ({...s});
