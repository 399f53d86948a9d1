// The tfjs ledger agrees with the math core's bound (an independent route: KLs between the
// Gaussians' means and variances, in float64) when the predictor is the exact ε* of a mixture.
import {before, test} from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {boundTerms} from "../../src/lib/bound.js";
import {datasetMixture, sampleDataset} from "../../src/lib/datasets.js";
import {mixtureEntropy, optimalEps, optimalEpsPredictor} from "../../src/lib/mixture.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {computeLedger} from "../../src/model/ledger.js";
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
    const entropy = mixtureEntropy(gm, {n: 20000, rng: createRng(3)});
    // The bound is an upper bound on the NLL ≥ entropy; allow 4 standard errors of both estimates.
    const slack = 4 * Math.hypot(core.totalStdErr, entropy.stdErr);
    assert.ok(ledger.total > entropy.value - slack, `${sigma2Kind}: bound ${ledger.total} below entropy ${entropy.value}`);
  }
  assert.equal(tf.memory().numTensors, before, "the ledger leaks tensors");
});
