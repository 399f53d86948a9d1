// The fair race's pure parts: the time-slice scheduler shares the clock fairly (checked on a
// simulated clock with two very different step costs and a machine that slows down), the spread
// over seeds, the metric comparisons, the summary, and the outcome's words written from numbers.
import {test} from "node:test";
import assert from "node:assert/strict";
import {budgetSpent, compareMetric, nextSlice, spread, summarizeRace, updateRate, type Contestant, type RunResult, type SliceState} from "../../src/lib/race.ts";
import {comparisonSentence, formatSpread, raceVerdict} from "../../src/components/RaceViews.ts";
import {createRng} from "../../src/lib/random.ts";
import {close} from "./helpers.ts";

const probeSteps = {gan: 10, ddpm: 2};
const fresh = (): Record<Contestant, SliceState> => ({gan: {usedMs: 0, msPerStep: null}, ddpm: {usedMs: 0, msPerStep: null}});

test("nextSlice: the model that has used less time goes next (the GAN on a tie), probing first, then slices of about sliceMs", () => {
  const s = fresh();
  assert.deepEqual(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), {who: "gan", steps: 10});
  s.gan = {usedMs: 5, msPerStep: 0.5};
  assert.deepEqual(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), {who: "ddpm", steps: 2});
  s.ddpm = {usedMs: 40, msPerStep: 20};
  // The GAN is behind (5 < 40 ms): 100 ms at 0.5 ms a step.
  assert.deepEqual(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), {who: "gan", steps: 200});
  s.gan.usedMs = 105;
  assert.deepEqual(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), {who: "ddpm", steps: 5});
  // Within a slice of the end a turn plans half of what is left: 80 ms left at 20 ms a step is 2
  // steps; 30 ms left is 1 step (never 0).
  s.gan.usedMs = 1000;
  s.ddpm.usedMs = 920;
  assert.deepEqual(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), {who: "ddpm", steps: 2});
  s.ddpm.usedMs = 970;
  assert.deepEqual(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), {who: "ddpm", steps: 1});
  // Less than half a step left: spent. Both spent: null.
  s.ddpm.usedMs = 991;
  assert.equal(budgetSpent(s.ddpm, 1000), true);
  assert.equal(nextSlice(s, {budgetMs: 1000, sliceMs: 100, probeSteps}), null);
  // A stopped model (diverged) is never picked, however little time it used.
  const t = fresh();
  t.gan = {usedMs: 0, msPerStep: 1, stopped: true};
  assert.equal(nextSlice(t, {budgetMs: 1000, sliceMs: 100, probeSteps})!.who, "ddpm");
  assert.throws(() => nextSlice(t, {budgetMs: 0, sliceMs: 100, probeSteps}), /budgetMs and sliceMs must be > 0/);
});

test("updateRate: the first slice's rate, then the mean of the old estimate and the new slice's", () => {
  assert.equal(updateRate(null, 50, 10), 5);
  assert.equal(updateRate(5, 30, 10), 4);
  assert.throws(() => updateRate(null, 10, 0), /steps ≥ 1/);
});

test("the scheduler on a simulated clock: each model gets its budget to within a step, the turns alternate, and a slowdown falls on both", () => {
  const rng = createRng(3);
  // True costs: the GAN 0.4 ms a step, the DDPM 12 ms; each step's time varies by ±30%, and from
  // 1 s on the machine runs 3× slower (another program starts) until 2.5 s.
  const cost: Record<Contestant, number> = {gan: 0.4, ddpm: 12};
  let now = 0;
  const slowdown = () => (now >= 1000 && now < 2500 ? 3 : 1);
  const budgetMs = 3000;
  const states = fresh();
  const order: Contestant[] = [];
  const slowMs: Record<Contestant, number> = {gan: 0, ddpm: 0};
  let maxLead = 0;
  for (let slice = nextSlice(states, {budgetMs, sliceMs: 100, probeSteps}); slice; slice = nextSlice(states, {budgetMs, sliceMs: 100, probeSteps})) {
    let ms = 0;
    for (let k = 0; k < slice.steps; k++) {
      const step = cost[slice.who] * slowdown() * (0.7 + 0.6 * rng.uniform());
      if (slowdown() > 1) slowMs[slice.who] += step;
      ms += step;
      now += step;
    }
    states[slice.who].usedMs += ms;
    states[slice.who].msPerStep = updateRate(states[slice.who].msPerStep, ms, slice.steps);
    order.push(slice.who);
    if (!budgetSpent(states.gan, budgetMs) && !budgetSpent(states.ddpm, budgetMs)) maxLead = Math.max(maxLead, Math.abs(states.gan.usedMs - states.ddpm.usedMs));
  }
  for (const who of ["gan", "ddpm"] as const) {
    // Within one step (at the slow rate, with its jitter) of the budget.
    assert.ok(Math.abs(states[who].usedMs - budgetMs) <= 3 * 1.3 * cost[who], `${who} used ${states[who].usedMs} ms of ${budgetMs}`);
  }
  // Turns alternate: while both are running neither gets more than about two slices ahead.
  assert.ok(maxLead < 2 * 100 * 1.3 + 3 * 1.3 * cost.ddpm, `largest lead ${maxLead} ms`);
  const switches = order.slice(1).filter((who, i) => who !== order[i]).length;
  assert.ok(switches >= 40, `only ${switches} switches in ${order.length} turns`);
  // The slow stretch (1.5 s of wall-clock time) is shared: each model spent a similar time in it.
  assert.ok(Math.abs(slowMs.gan - slowMs.ddpm) < 0.25 * (slowMs.gan + slowMs.ddpm), `slow time: GAN ${slowMs.gan}, DDPM ${slowMs.ddpm}`);
});

test("spread: mean, sample sd (n − 1) and range of the finite values", () => {
  const s = spread([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.n, 8);
  assert.equal(s.mean, 5);
  close(s.sd, Math.sqrt(32 / 7), 1e-12);
  assert.equal(s.min, 2);
  assert.equal(s.max, 9);
  const withNaN = spread([1, NaN, 3]);
  assert.equal(withNaN.n, 2);
  assert.equal(withNaN.mean, 2);
  assert.ok(Number.isNaN(spread([4]).sd));
  assert.equal(spread([]).n, 0);
});

function run(model: Contestant, seed: number, v: {modes: number; hq: number; ratio: number; sampleMs: number; steps?: number; diverged?: string}, hasModes = true): RunResult {
  return {
    model,
    seed,
    steps: v.steps ?? (model === "gan" ? 2000 : 200),
    trainMs: 3000 + seed,
    sampleMs: v.sampleMs,
    evaluations: model === "gan" ? 1 : 1000,
    samples: 1000,
    energy: v.ratio * 0.002,
    energyFloor: 0.002,
    ...(hasModes ? {modesCovered: v.modes, modes: 8, highQualityFraction: v.hq} : {}),
    ...(v.diverged ? {diverged: v.diverged} : {})
  };
}

// Three seeds: the DDPM covers more modes on average but seed 3's GAN covers as many (overlap);
// the GAN's energy ratio is lower at every seed; the DDPM's high-quality share higher at every seed.
const runs: RunResult[] = [
  run("gan", 1, {modes: 6, hq: 0.7, ratio: 2, sampleMs: 2}),
  run("ddpm", 1, {modes: 8, hq: 0.9, ratio: 5, sampleMs: 1000}),
  run("gan", 2, {modes: 5, hq: 0.6, ratio: 3, sampleMs: 2}),
  run("ddpm", 2, {modes: 8, hq: 0.95, ratio: 4, sampleMs: 1100}),
  run("gan", 3, {modes: 8, hq: 0.8, ratio: 2.5, sampleMs: 2}),
  run("ddpm", 3, {modes: 8, hq: 0.92, ratio: 6, sampleMs: 900})
];

test("compareMetric: the better mean by the metric's direction; separated only when the ranges do not overlap", () => {
  const modes = compareMetric(runs, "modesCovered");
  assert.equal(modes.better, "ddpm");
  assert.equal(modes.separated, false); // seed 3's GAN covers 8 too
  close(modes.factor, 8 / (19 / 3), 1e-12);
  const energy = compareMetric(runs, "energyRatio");
  assert.equal(energy.better, "gan");
  assert.equal(energy.separated, true); // GAN's worst 3 < DDPM's best 4
  close(energy.factor, 5 / 2.5, 1e-12);
  const hq = compareMetric(runs, "highQualityFraction");
  assert.equal(hq.better, "ddpm");
  assert.equal(hq.separated, true);
  const sampling = compareMetric(runs, "sampleMs");
  assert.equal(sampling.better, "gan");
  close(sampling.factor, 500, 1e-12);
  const tie = compareMetric([run("gan", 1, {modes: 8, hq: 1, ratio: 1, sampleMs: 1}), run("ddpm", 1, {modes: 8, hq: 1, ratio: 1, sampleMs: 1})], "modesCovered");
  assert.equal(tie.better, "tie");
  assert.equal(tie.separated, false);
});

test("summarizeRace: only seeds where both models finished; no mode measures without modes; divergences counted", () => {
  const partial = [...runs, run("gan", 4, {modes: 0, hq: 0, ratio: 100, sampleMs: 2})];
  const s = summarizeRace(partial, 3000);
  assert.deepEqual(s.seeds, [1, 2, 3]);
  assert.equal(s.hasModes, true);
  assert.equal(s.modes, 8);
  assert.equal(compareMetric(runs, "modesCovered").gan.mean, s.comparisons.find((c) => c.metric === "modesCovered")!.gan.mean);
  assert.equal(s.maxOvershootMs, 3);
  assert.equal(s.steps.gan.mean, 2000);
  const noModes = summarizeRace([run("gan", 1, {modes: 0, hq: 0, ratio: 2, sampleMs: 2}, false), run("ddpm", 1, {modes: 0, hq: 0, ratio: 3, sampleMs: 900, diverged: "loss rose"}, false)], 3000);
  assert.equal(noModes.hasModes, false);
  assert.deepEqual(noModes.comparisons.map((c) => c.metric), ["energyRatio", "sampleMs"]);
  assert.deepEqual(noModes.diverged, {gan: 0, ddpm: 1});
});

test("the outcome's words follow the numbers: who won what, whether the seeds separate them, where the GAN does well", () => {
  const summary = summarizeRace(runs, 3000);
  const words = raceVerdict(summary, {backend: "wasm", samples: 1000, evaluations: {gan: 1, ddpm: 1000}});
  const text = words.join("\n");
  assert.match(words[0], /^Over 3 seeds, with 3 s of training each on wasm: /);
  assert.match(words[0], /the DDPM did better on modes covered \(on average only\) and the high-quality share \(at every seed\)/);
  assert.match(words[0], /the GAN did better on energy distance ÷ floor \(at every seed\)/);
  assert.match(text, /Modes covered \(of 8\): the GAN 6\.3 ± 1\.5 \(5 to 8\), the DDPM 8 at every seed — the DDPM ahead on average, but the seeds overlap/);
  assert.match(text, /Energy distance ÷ its floor: the GAN 2\.5 ± 0\.5 \(2 to 3\), the DDPM 5 ± 1 \(4 to 6\) — the GAN ahead at every seed\./);
  assert.match(text, /Where the GAN does well\. Sampling: 1,000 samples took the GAN 2 ms \(1 network evaluation each\) and the DDPM 1 s \(1,000 each\), 500× as long/);
  assert.match(text, /the GAN took 2000 generator steps on average and the DDPM 200 training steps/);
  assert.match(text, /On the samples themselves the GAN won energy distance ÷ floor \(at every seed\)\./);
  // Reverse the energy ratios: the GAN now wins no sample measure, and the words say so.
  const flipped = runs.map((r) => ({...r, energy: r.model === "gan" ? 0.02 : 0.004}));
  const again = raceVerdict(summarizeRace(flipped, 3000), {backend: "webgl", samples: 500, evaluations: {gan: 1, ddpm: 1000}});
  assert.match(again.join("\n"), /On the samples themselves the GAN won no measure here\./);
  assert.doesNotMatch(again[0], /the GAN did better/);
  // With the ε* reference, its numbers and the DDPM's distance from it.
  const withRef = raceVerdict(summary, {backend: "wasm", samples: 1000, evaluations: {gan: 1, ddpm: 1000}, reference: {energy: 0.0024, energyFloor: 0.002, modesCovered: 8, modes: 8, highQualityFraction: 0.988, sampleMs: 600}});
  assert.match(withRef.join("\n"), /The reference, Algorithm 2 with the exact ε\* \(what the DDPM objective aims at; no training\): 8 of 8 modes, 98\.8% high quality, energy distance ÷ floor 1\.2\. The trained DDPM's energy ratio is 4\.17× the reference's/);
  assert.deepEqual(raceVerdict(summarizeRace([runs[0]], 3000), {backend: "wasm", samples: 1000, evaluations: {gan: 1, ddpm: 1000}}), ["No seed has finished with both models yet."]);
});

test("spreads and single comparisons in words", () => {
  assert.equal(formatSpread("highQualityFraction", spread([0.5, 0.7])), "60.0% ± 14.1% (50.0% to 70.0%)");
  assert.equal(formatSpread("energyRatio", spread([1.5])), "1.5");
  assert.equal(formatSpread("modesCovered", spread([])), "—");
  const tie = compareMetric([run("gan", 1, {modes: 8, hq: 1, ratio: 1, sampleMs: 1}), run("ddpm", 1, {modes: 8, hq: 1, ratio: 1, sampleMs: 1})], "modesCovered");
  assert.equal(comparisonSentence(tie, 8), "Modes covered (of 8): the GAN 8, the DDPM 8 — a tie.");
});
