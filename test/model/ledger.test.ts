// The tfjs ledger agrees with the math core's bound (an independent route: KLs between the
// Gaussians' means and variances, in float64) when the predictor is the exact ε* of a mixture, and
// its standard errors are right: against the core's, against each term's per-example values
// recomputed by the core, and against the spread of the total over independent repetitions.
import {before, test} from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {boundTerms, decoderTerm, priorTerm, transitionTerm} from "../../src/lib/bound.js";
import {qSample} from "../../src/lib/forward.js";
import {estimate} from "../../src/lib/stats.js";
import {datasetMixture, sampleDataset} from "../../src/lib/datasets.js";
import {mixtureEntropy, optimalEps, optimalEpsPredictor} from "../../src/lib/mixture.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {computeLedger, ledgerNoiseSeed} from "../../src/model/ledger.js";
import {LEDGER_SEED} from "../../src/lib/seeds.js";
import {DATASET_IDS} from "../../src/lib/datasets.js";
import type {EpsModel} from "../../src/model/denoiser.js";

before(async () => {
  await tf.setBackend("cpu");
});

const s = makeSchedule(DEFAULT_SCHEDULE);
const gm = datasetMixture("ring-8")!;

/** ε* as a tfjs model: reads the batch back and evaluates the core's exact answer per timestep. */
function exactModel(): EpsModel {
  return {
    predict(xt, t) {
      const x = xt.dataSync();
      const ts = t.dataSync();
      const out = new Float32Array(x.length);
      for (let start = 0; start < ts.length; ) {
        let end = start;
        while (end < ts.length && ts[end] === ts[start]) end++;
        out.set(optimalEps(gm, s, Float64Array.from(x.subarray(2 * start, 2 * end)), ts[start]), 2 * start);
        start = end;
      }
      return tf.tensor2d(out, [ts.length, 2]);
    }
  };
}

test("ledger of the exact ε* equals the core's bound term by term, and lies above the entropy", async () => {
  const x0 = sampleDataset("ring-8", 300, 5);
  const seed = 17;
  const before = tf.memory().numTensors;
  for (const sigma2Kind of ["beta", "betaTilde"] as const) {
    const ledger = await computeLedger(tf, exactModel(), s, {x0, seed, sigma2Kind});
    const core = boundTerms(s, x0, optimalEpsPredictor(gm, s), {rng: createRng(seed), sigma2Kind});
    assert.equal(ledger.terms.length, s.T + 1);
    // Same x_t draws; the only differences are float32 inputs to ε* and float32 error sums.
    for (let k = 0; k <= s.T; k++) {
      const tol = 2e-3 * Math.max(1, Math.abs(core.terms[k]));
      assert.ok(Math.abs(ledger.terms[k] - core.terms[k]) <= tol, `${sigma2Kind} L_${k}: ledger ${ledger.terms[k]} core ${core.terms[k]}`);
    }
    assert.ok(Math.abs(ledger.total - core.total) <= 1e-2 * Math.max(1, Math.abs(core.total)), `${ledger.total} vs ${core.total}`);
    // The total's standard error: the core's comes from its own per-example totals (the KL route).
    assert.ok(ledger.totalStdErr > 0 && Math.abs(ledger.totalStdErr - core.totalStdErr) <= 1e-2 * core.totalStdErr, `${sigma2Kind} SE: ledger ${ledger.totalStdErr} core ${core.totalStdErr}`);
    const entropy = mixtureEntropy(gm, {n: 20000, rng: createRng(3)});
    // The bound is an upper bound on the NLL ≥ entropy; allow 4 standard errors of both estimates.
    const slack = 4 * Math.hypot(core.totalStdErr, entropy.stdErr);
    assert.ok(ledger.total > entropy.value - slack, `${sigma2Kind}: bound ${ledger.total} below entropy ${entropy.value}`);
  }
  assert.equal(tf.memory().numTensors, before, "the ledger leaks tensors");
});

test("each term's standard error is that of its per-example values, recomputed by the core", async () => {
  const n = 200;
  const x0 = sampleDataset("ring-8", n, 8);
  const seed = 23;
  const ledger = await computeLedger(tf, exactModel(), s, {x0, seed, sigma2Kind: "betaTilde"});
  assert.equal(ledger.termStdErr.length, s.T + 1);
  // L_T has no noise: its spread is that of ½ᾱ_T‖x_0‖² + const over the examples.
  const prior = estimate(priorTerm(s, x0));
  assert.ok(Math.abs(ledger.termStdErr[s.T] - prior.stdErr) <= 1e-9 * prior.stdErr, `L_T SE ${ledger.termStdErr[s.T]} vs ${prior.stdErr}`);
  // Replay the ledger's noise (one draw of n·2 normals per t, in order) and recompute L_0 and two
  // transition terms per example from the Gaussians' means and variances.
  const eps = optimalEpsPredictor(gm, s);
  const rng = createRng(seed);
  for (let t = 1; t <= 500; t++) {
    const noise = rng.normals(x0.length);
    if (t !== 1 && t !== 2 && t !== 500) continue;
    const xt = qSample(s, x0, t, noise);
    const values = t === 1 ? decoderTerm(s, x0, xt, eps(xt, t)) : transitionTerm(s, x0, xt, t, eps(xt, t));
    const expected = estimate(values);
    const k = t - 1;
    assert.ok(Math.abs(ledger.terms[k] - expected.value) <= 2e-3 * Math.max(1, Math.abs(expected.value)), `L_${k}: ${ledger.terms[k]} vs ${expected.value}`);
    assert.ok(Math.abs(ledger.termStdErr[k] - expected.stdErr) <= 2e-2 * expected.stdErr, `SE of L_${k}: ${ledger.termStdErr[k]} vs ${expected.stdErr}`);
  }
});

test("the total's standard error matches the spread of the total over independent repetitions", async () => {
  // R ledgers, each on fresh held-out points and fresh noise: their totals scatter with the
  // standard deviation that one ledger's standard error estimates. (R − 1)s²/σ² is χ² with R − 1
  // degrees of freedom; for R = 40 its 0.1% and 99.9% quantiles put s/σ in [0.68, 1.33].
  const R = 40;
  const n = 60;
  const totals: number[] = [];
  const stdErrs: number[] = [];
  for (let r = 0; r < R; r++) {
    const ledger = await computeLedger(tf, exactModel(), s, {x0: sampleDataset("ring-8", n, 1000 + r), seed: 2000 + r, sigma2Kind: "beta"});
    totals.push(ledger.total);
    stdErrs.push(ledger.totalStdErr);
  }
  const spread = Math.sqrt(estimate(totals).stdErr ** 2 * R); // the totals' sample standard deviation
  const reported = Math.sqrt(stdErrs.reduce((a, v) => a + v * v, 0) / R); // root-mean-square reported SE
  const ratio = spread / reported;
  assert.ok(ratio > 0.68 && ratio < 1.33, `spread of ${R} totals ${spread.toFixed(4)} against the reported SE ${reported.toFixed(4)}: ratio ${ratio.toFixed(3)}`);
});

test("each dataset's ledger draws its own noise; one dataset always the same", () => {
  const seeds = DATASET_IDS.map(ledgerNoiseSeed);
  assert.equal(new Set(seeds).size, DATASET_IDS.length);
  assert.equal(ledgerNoiseSeed("swiss-roll"), LEDGER_SEED);
  assert.equal(ledgerNoiseSeed("ring-8"), ledgerNoiseSeed("ring-8"));
  // Different seeds give different (uncorrelated) first draws.
  const a = createRng(ledgerNoiseSeed("ring-8")).normals(2000);
  const b = createRng(ledgerNoiseSeed("grid-25")).normals(2000);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  assert.ok(Math.abs(dot / a.length) < 4 / Math.sqrt(a.length), `correlation ${dot / a.length}`);
  assert.throws(() => ledgerNoiseSeed("mnist" as never), /unknown dataset "mnist"; expected one of swiss-roll/);
});
