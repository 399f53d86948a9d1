// Shared by the reference/<dataset>.json.ts loaders ("instant start"): trains the site's default
// model on a dataset at build time, with the same code the browser runs (tfjs, WASM backend in
// Node), so the Training page shows a trained model, its samples and its ledger at once. The
// output is deterministic (fixed seeds, no timings) so builds are byte-identical.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {datasetMixture, heldOutDataset, type DatasetId} from "../lib/datasets.js";
import {sampleQuality} from "../lib/metrics.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../lib/schedule.js";
import {SAMPLE_SEED} from "../lib/seeds.js";
import {setBackendQuietly} from "../model/backends.js";
import {computeLedger, ledgerNoiseSeed} from "../model/ledger.js";
import {DEFAULT_TRAINING, type TrainingConfig} from "../model/protocol.js";
import {sample} from "../model/sampler.js";
import {buildTraining} from "../model/training.js";
import {REFERENCE_LEDGER_POINTS, REFERENCE_STEPS, TRAJECTORY_STEPS, type ReferenceModel} from "../model/reference.js";
import {readCached, referenceKey, writeCached} from "./reference-cache.js";

const round = (values: ArrayLike<number>, digits = 4) => Array.from(values, (v) => Number(v.toFixed(digits)));

export async function trainReference(dataset: DatasetId): Promise<ReferenceModel> {
  await setBackendQuietly(tf, "wasm");
  const started = performance.now();
  const config: TrainingConfig = {...DEFAULT_TRAINING, dataset};
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const {denoiser, trainer, heldOut} = buildTraining(tf, config, schedule);
  // The loss curve, averaged over blocks of 20 steps (the raw minibatch losses are noise).
  const lossCurve: [number, number][] = [];
  while (trainer.stepCount < REFERENCE_STEPS) {
    const report = await trainer.steps(100);
    for (let i = 0; i < report.losses.length; i += 20) {
      const block = report.losses.subarray(i, i + 20);
      lossCurve.push([report.step - report.losses.length + i + block.length, Number((block.reduce((a, b) => a + b, 0) / block.length).toFixed(4))]);
    }
  }
  const trainedMs = performance.now() - started;
  // The model the page starts from is the moving average of the weights, as the live one samples with.
  const averaged = await trainer.withAveragedWeights(() => denoiser.getWeights());
  denoiser.setWeights(averaged);
  const samples = await sample(tf, denoiser, schedule, {n: 1000, seed: SAMPLE_SEED, sigma2Kind: config.sigma2Kind, keepTrajectory: TRAJECTORY_STEPS});
  const quality = sampleQuality(samples.x0, heldOut, {mixture: datasetMixture(dataset), referencePoints: 1000});
  const ledgerStarted = performance.now();
  const ledgerSeed = ledgerNoiseSeed(dataset);
  const ledger = await computeLedger(tf, denoiser, schedule, {x0: heldOutDataset(dataset, REFERENCE_LEDGER_POINTS, config.seed), seed: ledgerSeed, sigma2Kind: config.sigma2Kind});
  const ledgerMs = performance.now() - ledgerStarted;
  const result: ReferenceModel = {
    format: "ddpm-live/reference@1",
    config,
    steps: trainer.stepCount,
    lossCurve,
    weights: averaged,
    samples: round(samples.x0),
    trajectory: samples.trajectory.map(({t, x}) => ({t, x: round(x)})),
    quality: {
      energy: Number(quality.energy.toPrecision(4)),
      energyFloor: Number(quality.energyFloor.toPrecision(4)),
      modesCovered: quality.modesCovered,
      modes: quality.modes,
      highQualityFraction: quality.highQualityFraction === undefined ? undefined : Number(quality.highQualityFraction.toFixed(4))
    },
    ledger: {
      terms: round(ledger.terms, 6),
      termStdErr: round(ledger.termStdErr, 6),
      epsError: round(ledger.epsError, 5),
      total: Number(ledger.total.toFixed(5)),
      totalStdErr: Number(ledger.totalStdErr.toFixed(5)),
      totalBitsPerDim: Number(ledger.totalBitsPerDim.toFixed(5)),
      examples: ledger.examples,
      sigma2Kind: ledger.sigma2Kind,
      seed: ledgerSeed
    }
  };
  trainer.dispose();
  denoiser.dispose();
  console.error(`reference ${dataset}: ${REFERENCE_STEPS} steps in ${(trainedMs / 1000).toFixed(1)} s, energy ${result.quality.energy} (floor ${result.quality.energyFloor}), bound ${result.ledger.total} ± ${result.ledger.totalStdErr} nats on ${result.ledger.examples} points (ledger ${(ledgerMs / 1000).toFixed(1)} s)`);
  return result;
}

/**
 * Writes the loader's output: from data/reference-cache when the cached entry was produced by the
 * same code, tfjs and dataset (see reference-cache.ts), else trained now and cached.
 */
export async function writeReference(dataset: DatasetId): Promise<void> {
  const key = referenceKey(dataset);
  let output = readCached(dataset, key);
  if (output === null) {
    output = JSON.stringify(await trainReference(dataset));
    writeCached(dataset, output, key);
    console.error(`reference ${dataset}: trained; cached in data/reference-cache/ (commit it with the change that caused it)`);
  } else {
    console.error(`reference ${dataset}: unchanged inputs, taken from data/reference-cache/`);
  }
  process.stdout.write(output);
}
