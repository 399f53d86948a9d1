// The fair race of the Why diffusion page (src/model/race.ts) in Node, for numbers without a
// browser: a GAN and a DDPM from scratch on the same data, the same training budget each, over
// several seeds, then the same measures. Prints one line per run and the summary over seeds.
// Run: node --import tsx scripts/race.ts [dataset=ring-8] [seconds=3] [seeds=3] [backend=wasm]
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {checkDatasetId, DATASET_IDS} from "../src/lib/datasets.js";
import {summarizeRace, type RunResult} from "../src/lib/race.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../src/lib/schedule.js";
import {setBackendQuietly} from "../src/model/backends.js";
import {builtinRaceDataset, runRace} from "../src/model/race.js";

const [id = "ring-8", secondsText = "3", seedsText = "3", backend = "wasm"] = process.argv.slice(2);
checkDatasetId(id);
const seconds = Number(secondsText);
const seedCount = Number(seedsText);
if (!(seconds > 0)) throw new Error(`seconds must be a number > 0, got ${secondsText}`);
if (!Number.isInteger(seedCount) || seedCount < 1) throw new Error(`seeds must be an integer ≥ 1, got ${seedsText}`);
if (backend !== "wasm" && backend !== "cpu") throw new Error(`backend must be wasm or cpu, got ${backend} (datasets: ${DATASET_IDS.join(", ")})`);
await setBackendQuietly(tf, backend);

const schedule = makeSchedule(DEFAULT_SCHEDULE);
const seeds = Array.from({length: seedCount}, (_, i) => i + 1);
const line = (r: RunResult) =>
  [
    r.model.padEnd(4),
    `seed ${r.seed}`,
    `${r.steps} steps in ${(r.trainMs / 1000).toFixed(2)} s`,
    r.modes !== undefined ? `modes ${r.modesCovered}/${r.modes}` : "",
    r.highQualityFraction !== undefined ? `HQ ${(100 * r.highQualityFraction).toFixed(1)}%` : "",
    `energy/floor ${(r.energy / r.energyFloor).toFixed(2)}`,
    `sampling ${r.sampleMs.toFixed(0)} ms (${r.evaluations} evaluations)`,
    r.diverged ? `diverged: ${r.diverged}` : ""
  ].filter(Boolean).join(", ");
const start = performance.now();
const outcome = await runRace(tf, schedule, builtinRaceDataset(id), {budgetMs: 1000 * seconds, seeds}, {onResult: (r) => console.log(line(r))});
console.log(`race of ${seeds.length} seeds × 2 models × ${seconds} s on ${backend}, ${id}: ${((performance.now() - start) / 1000).toFixed(1)} s in all (warm-up ${outcome.warmupMs.toFixed(0)} ms)`);
if (outcome.reference) {
  const r = outcome.reference;
  console.log(`ε* reference: ${r.modes !== undefined ? `modes ${r.modesCovered}/${r.modes}, HQ ${(100 * r.highQualityFraction!).toFixed(1)}%, ` : ""}energy/floor ${(r.energy / r.energyFloor).toFixed(2)}, ${r.sampleMs.toFixed(0)} ms`);
}
const summary = summarizeRace(outcome.runs, 1000 * seconds);
for (const c of summary.comparisons) {
  const show = (s: typeof c.gan) => `${s.mean.toPrecision(4)} ± ${s.sd.toPrecision(2)} [${s.min.toPrecision(3)}, ${s.max.toPrecision(3)}]`;
  console.log(`${c.metric.padEnd(20)} GAN ${show(c.gan)}  DDPM ${show(c.ddpm)}  better: ${c.better}${c.separated ? " (every seed)" : ""}`);
}
console.log(`steps: GAN ${summary.steps.gan.mean.toFixed(0)}, DDPM ${summary.steps.ddpm.mean.toFixed(0)}; overshoot at most ${summary.maxOvershootMs.toFixed(0)} ms; tensors left: ${tf.memory().numTensors}`);
