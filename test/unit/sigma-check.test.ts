import {test} from "node:test";
import assert from "node:assert/strict";
import {datasetMixture} from "../../src/lib/datasets.js";
import {withinModeSpread} from "../../src/lib/metrics.js";
import {optimalEpsPredictor, sampleMixture} from "../../src/lib/mixture.js";
import {pSampleStep} from "../../src/lib/posterior.js";
import {createRng} from "../../src/lib/random.js";
import {pSampleLoop, pSampleWork} from "../../src/lib/sampler.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {sigmaCheck, sigmaRunPasses} from "../../src/lib/checks/sigma-check.js";
import {runSync} from "../../src/lib/work.js";

const s = makeSchedule(DEFAULT_SCHEDULE);
const ring = datasetMixture("ring-8")!;

test("withinModeSpread is 1 for the mixture's own samples, 0 at the centres, and scales with the spread", () => {
  const x = sampleMixture(ring, 4000, createRng(3));
  assert.ok(Math.abs(withinModeSpread(x, ring) - 1) < 0.03, `spread of data ${withinModeSpread(x, ring)}`);
  assert.equal(withinModeSpread(ring.means, ring), 0);
  // Pull every point halfway to its nearest centre: the spread halves.
  const halved = Float64Array.from(x);
  for (let j = 0; j < x.length / 2; j++) {
    let best = 0;
    let bestSq = Infinity;
    for (let m = 0; m < 8; m++) {
      const sq = (x[2 * j] - ring.means[2 * m]) ** 2 + (x[2 * j + 1] - ring.means[2 * m + 1]) ** 2;
      if (sq < bestSq) [best, bestSq] = [m, sq];
    }
    for (let d = 0; d < 2; d++) halved[2 * j + d] = (x[2 * j + d] + ring.means[2 * best + d]) / 2;
  }
  assert.ok(Math.abs(withinModeSpread(halved, ring) / withinModeSpread(x, ring) - 0.5) < 1e-9);
});

test("pSampleWork yields once per timestep and ends where pSampleLoop does; noise: false is z = 0", () => {
  const small = makeSchedule({kind: "linear", T: 12, betaStart: 1e-3, betaEnd: 0.3});
  const eps = (xt: Float64Array, t: number) => xt.map((v) => 0.05 * t * v);
  const work = pSampleWork(small, eps, 5, createRng(4));
  const fractions: number[] = [];
  let step = work.next();
  while (!step.done) {
    fractions.push(step.value);
    step = work.next();
  }
  assert.equal(fractions.length, 12);
  assert.equal(fractions.at(-1), 1);
  assert.deepEqual(Array.from(step.value.x0), Array.from(pSampleLoop(small, eps, 5, createRng(4)).x0));
  const xT = createRng(9).normals(10);
  let x: Float64Array = Float64Array.from(xT);
  for (let t = 12; t >= 1; t--) x = pSampleStep(small, x, t, eps(x, t), t > 1 ? new Float64Array(10) : null);
  assert.deepEqual(Array.from(runSync(pSampleWork(small, eps, 5, createRng(1), {xT, noise: false})).x0), Array.from(x));
});

test("σ_t² = β_t and β̃_t both sample the ring well with ε*; without noise the modes collapse and that run fails", () => {
  const result = runSync(sigmaCheck(s, ring, optimalEpsPredictor(ring, s), {n: 500, seed: 12}));
  const [tilde, beta, none] = result.runs;
  assert.deepEqual(result.runs.map((r) => r.variant), ["betaTilde", "beta", "none"]);
  for (const r of [tilde, beta]) {
    assert.equal(r.modesCovered, 8, r.variant);
    assert.ok(Math.abs(r.spread - 1) < 0.08, `${r.variant} spread ${r.spread}`);
    assert.ok(r.pass, r.variant);
  }
  // β_t is the larger variance, so its samples spread a little wider (same x_T and z).
  assert.ok(beta.spread > tilde.spread, `${beta.spread} vs ${tilde.spread}`);
  assert.ok(result.pass);
  assert.ok(none.spread < 0.75, `no-noise spread ${none.spread}`);
  assert.equal(none.pass, false);
});

test("the σ² check fails for a denoiser that predicts no noise", () => {
  const zero = (xt: Float64Array) => new Float64Array(xt.length);
  const result = runSync(sigmaCheck(s, ring, zero, {n: 200, seed: 5, variants: ["betaTilde", "beta"]}));
  assert.equal(result.pass, false);
  for (const r of result.runs) assert.ok(r.energyRatio > 5, `${r.variant} energy ratio ${r.energyRatio}`);
  assert.equal(sigmaRunPasses({modesCovered: 7, modes: 8, highQualityFraction: 0.99, spread: 1}), false);
  assert.equal(sigmaRunPasses({modesCovered: 8, modes: 8, highQualityFraction: 0.9, spread: 1}), false);
  assert.equal(sigmaRunPasses({modesCovered: 8, modes: 8, highQualityFraction: 0.99, spread: 1.12}), false);
  assert.equal(sigmaRunPasses({modesCovered: 8, modes: 8, highQualityFraction: 0.99, spread: 0.95}), true);
});
