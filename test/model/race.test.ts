// The fair race on the cpu backend: its DDPM is the Training page's (the same weights step for step
// as buildTraining's), a short race gives each model its budget and measures both alike, the turns
// alternate, a Stop ends it with nothing left behind, and no tensor outlives a race.
import {test} from "node:test";
import assert from "node:assert/strict";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import type {Contestant} from "../../src/lib/race.js";
import {DEFAULT_TRAINING} from "../../src/model/protocol.js";
import {builtinRaceDataset, createRaceDdpm, runRace, type RaceProgress} from "../../src/model/race.js";
import {buildTraining} from "../../src/model/training.js";
import {tf, useCpu} from "./helpers.js";

await useCpu();
const schedule = makeSchedule(DEFAULT_SCHEDULE);
// The logic tests use small networks and a 200-step chain, so that a race of a few hundred
// milliseconds on the cpu backend has many turns and samples fast; the first test checks the
// page's own DDPM against the Training page's.
const smallGan = {hidden: 32, batchSize: 64};
const smallDdpm = {denoiser: {hidden: [32, 32]}, batchSize: 128};
const short = makeSchedule({kind: "linear", T: 200});

test("the race's DDPM is the Training page's: same data, held-out points and weights after three steps as buildTraining", async () => {
  const dataset = builtinRaceDataset("ring-8");
  const reference = buildTraining(tf, DEFAULT_TRAINING, schedule);
  assert.deepEqual(Array.from(dataset.points), Array.from(reference.data));
  assert.deepEqual(Array.from(dataset.heldOut), Array.from(reference.heldOut));
  assert.ok(dataset.mixture && dataset.epsMixture);
  const ours = createRaceDdpm(tf, schedule, dataset.points, DEFAULT_TRAINING.seed);
  assert.deepEqual(ours.trainer.options, reference.trainer.options);
  await ours.trainer.steps(3);
  await reference.trainer.steps(3);
  assert.deepEqual(Array.from(ours.denoiser.getFlat()), Array.from(reference.denoiser.getFlat()));
  for (const m of [ours, reference]) {
    m.trainer.dispose();
    m.denoiser.dispose();
  }
  assert.equal(builtinRaceDataset("swiss-roll").mixture, null);
});

test("a short race: each model trains for its budget, turn by turn, and both are measured alike; ε* is the reference; no tensor left", async () => {
  const before = tf.memory().numTensors;
  const budgetMs = 400;
  const progress: RaceProgress[] = [];
  const results: {model: Contestant; seed: number; samples: number}[] = [];
  const outcome = await runRace(tf, short, builtinRaceDataset("ring-8"), {budgetMs, seeds: [1, 2], samplePoints: 64, sliceMs: 50, gan: smallGan, ddpm: smallDdpm}, {
    onProgress: (p) => progress.push(structuredClone(p)),
    onResult: (r) => results.push({model: r.model, seed: r.seed, samples: r.x0.length / 2})
  });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(outcome.stopped, false);
  assert.deepEqual(results, [
    {model: "gan", seed: 1, samples: 64},
    {model: "ddpm", seed: 1, samples: 64},
    {model: "gan", seed: 2, samples: 64},
    {model: "ddpm", seed: 2, samples: 64}
  ]);
  for (const run of outcome.runs) {
    // Its budget, give or take the last turn: under by less than a step, over by about a step (the
    // last turns plan half of what is left). The slack of 100 ms is for a step that the machine
    // stalls (this machine is shared; a stalled step lands on whichever model is training then).
    const msPerStep = run.trainMs / run.steps;
    assert.ok(run.steps > 0, `${run.model} took no step`);
    assert.ok(run.trainMs >= budgetMs - msPerStep && run.trainMs <= budgetMs + 2 * msPerStep + 100, `${run.model} seed ${run.seed}: ${run.trainMs} ms for ${run.steps} steps`);
    assert.equal(run.evaluations, run.model === "gan" ? 1 : short.T);
    assert.equal(run.modes, 8);
    assert.ok(Number.isInteger(run.modesCovered) && run.modesCovered! >= 0 && run.modesCovered! <= 8);
    assert.ok(run.highQualityFraction! >= 0 && run.highQualityFraction! <= 1);
    assert.ok(run.energy > 0 && run.energyFloor > 0);
    assert.ok(run.sampleMs > 0);
  }
  // The same floor for both: the same held-out points, the same sample sizes.
  assert.equal(new Set(outcome.runs.map((r) => r.energyFloor)).size, 1);
  // Turns alternate within each seed: the training reports switch model many times.
  for (const seed of [1, 2]) {
    const order = progress.filter((p) => p.seed === seed && p.phase === "train").map((p) => p.model);
    const switches = order.slice(1).filter((who, i) => who !== order[i]).length;
    assert.ok(switches >= 6, `seed ${seed}: turns ${order.join(" ")}`);
  }
  // Equal time within a slice. Before every turn, the model that goes is the one that has used less
  // training time (or the other has spent its budget), so a turn never widens the gap between the two
  // clocks beyond that turn's own length; and the turns are sized to the slice (50 ms here), so the clocks stay
  // within about a slice of each other all along, whatever the difference in their step costs. A
  // shared machine can stall one turn now and then, so the slice bound is asked of most turns, the
  // turn-length bound of every one.
  for (const seed of [1, 2]) {
    const turns = progress.filter((p) => p.seed === seed && p.phase === "train");
    const last = turns[turns.length - 1];
    const msPerStep = Math.max(last.usedMs.gan / last.steps.gan, last.usedMs.ddpm / last.steps.ddpm);
    let withinSlice = 0;
    turns.forEach((p, i) => {
      const before = i === 0 ? {gan: 0, ddpm: 0} : turns[i - 1].usedMs;
      const other = p.model === "gan" ? "ddpm" : "gan";
      const otherSpent = before[other] >= budgetMs - msPerStep;
      assert.ok(before[p.model] <= before[other] || otherSpent, `seed ${seed}, turn ${i}: the ${p.model} went at ${before[p.model].toFixed(1)} ms while the ${other} had used ${before[other].toFixed(1)} ms`);
      const turnMs = p.usedMs[p.model] - before[p.model];
      const gap = Math.abs(p.usedMs.gan - p.usedMs.ddpm);
      const gapBefore = Math.abs(before.gan - before.ddpm);
      if (!otherSpent) assert.ok(gap <= Math.max(turnMs, gapBefore) + 1e-9, `seed ${seed}, turn ${i}: gap ${gap} ms after a turn of ${turnMs} ms (gap before ${gapBefore} ms)`);
      if (gap <= 50 + msPerStep + 20) withinSlice++;
    });
    assert.ok(withinSlice >= 0.8 * turns.length, `seed ${seed}: the clocks were within a slice of each other after only ${withinSlice} of ${turns.length} turns`);
    // And they end within a step or two of each other: each has its budget.
    assert.ok(Math.abs(last.usedMs.gan - last.usedMs.ddpm) <= 2 * msPerStep + 30, `seed ${seed}: ended at GAN ${last.usedMs.gan} ms, DDPM ${last.usedMs.ddpm} ms`);
  }
  assert.ok(progress.some((p) => p.phase === "sample" && p.model === "ddpm" && p.sampled && p.sampled.done < p.sampled.total));
  // Algorithm 2 with the exact ε* on the ring: every mode, nearly all samples within 3σ.
  assert.ok(outcome.reference);
  assert.equal(outcome.reference.modesCovered, 8);
  assert.ok(outcome.reference.highQualityFraction! > 0.9, `ε* high-quality share ${outcome.reference.highQualityFraction}`);
  assert.equal(outcome.reference.energyFloor, outcome.runs[0].energyFloor);
});

test("Stop ends the race at the next turn, keeps the finished seeds and frees every tensor; bad options are refused", async () => {
  const before = tf.memory().numTensors;
  let stop = false;
  const outcome = await runRace(tf, short, builtinRaceDataset("two-moons"), {budgetMs: 150, seeds: [1, 2, 3], samplePoints: 32, sliceMs: 40, gan: smallGan, ddpm: smallDdpm}, {
    onProgress: (p) => {
      if (p.seedIndex === 1 && p.phase === "train") stop = true;
    },
    shouldStop: () => stop
  });
  assert.equal(outcome.stopped, true);
  assert.deepEqual(outcome.runs.map((r) => `${r.model} ${r.seed}`), ["gan 1", "ddpm 1"]);
  // No modes on the moons: only the energy distance is measured.
  assert.equal(outcome.runs[0].modes, undefined);
  assert.equal(outcome.reference, undefined);
  assert.equal(tf.memory().numTensors, before);
  // Stopped while the DDPM samples: the sampler's tensors are freed too.
  let stopSampling = false;
  const again = await runRace(tf, short, builtinRaceDataset("ring-8"), {budgetMs: 100, seeds: [1], samplePoints: 32, gan: smallGan, ddpm: smallDdpm}, {
    onProgress: (p) => {
      if (p.phase === "sample" && p.model === "ddpm" && p.sampled) stopSampling = true;
    },
    shouldStop: () => stopSampling
  });
  assert.equal(again.stopped, true);
  assert.deepEqual(again.runs.map((r) => r.model), ["gan"]);
  assert.equal(tf.memory().numTensors, before);
  const dataset = builtinRaceDataset("ring-8");
  await assert.rejects(() => runRace(tf, schedule, dataset, {budgetMs: 0, seeds: [1]}), /budgetMs must be a finite number > 0/);
  await assert.rejects(() => runRace(tf, schedule, dataset, {budgetMs: 100, seeds: []}), /seeds must be one or more integers/);
  await assert.rejects(() => runRace(tf, schedule, dataset, {budgetMs: 100, seeds: [1], samplePoints: 1}), /samplePoints must be an integer ≥ 2/);
  assert.equal(tf.memory().numTensors, before);
});
