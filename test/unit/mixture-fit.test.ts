import {test} from "node:test";
import assert from "node:assert/strict";
import {splitDataset, standardise} from "../../src/lib/custom-data.js";
import {datasetMixture, sampleDataset} from "../../src/lib/datasets.js";
import {DEFAULT_COMPONENTS, MIN_POINTS_PER_COMPONENT, VARIANCE_FLOOR, fitMixture, mixtureAnswer} from "../../src/lib/mixture-fit.js";
import {exactLabel, fittedMixture} from "../../src/components/your-data-words.js";
import {mixtureEntropy, mixtureLogDensity, optimalEps, sampleMixture, validateMixture, type GaussianMixture} from "../../src/lib/mixture.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";

/** Uneven weights and widths, modes well apart. */
const truth: GaussianMixture = {
  dim: 2,
  weights: Float64Array.from([0.5, 0.3, 0.2]),
  means: Float64Array.from([-1.5, 0, 1, 1.2, 1, -1.2]),
  variances: Float64Array.from([0.09, 0.04, 0.01])
};

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

/** For each true component, the fitted one whose mean is nearest; each used once. */
function match(fit: GaussianMixture, gm: GaussianMixture): number[] {
  const used = new Set<number>();
  return Array.from(gm.weights, (_, k) => {
    let best = -1;
    let bestSq = Infinity;
    for (let m = 0; m < fit.weights.length; m++) {
      const sq = (fit.means[2 * m] - gm.means[2 * k]) ** 2 + (fit.means[2 * m + 1] - gm.means[2 * k + 1]) ** 2;
      if (!used.has(m) && sq < bestSq) {
        best = m;
        bestSq = sq;
      }
    }
    used.add(best);
    return best;
  });
}

test("EM on 4,000 draws of a known 3-component mixture recovers it: weights within 0.03, means within 0.05, variances within 15 %", () => {
  const x = sampleMixture(truth, 4000, createRng(11));
  const fit = fitMixture(x, {K: 3, seed: 1});
  validateMixture(fit.mixture);
  assert.equal(fit.K, 3);
  assert.equal(fit.mixture.weights.length, 3);
  assert.ok(fit.converged, `not converged after ${fit.iterations} iterations`);
  const pairs = match(fit.mixture, truth);
  pairs.forEach((m, k) => {
    assert.ok(Math.abs(fit.mixture.weights[m] - truth.weights[k]) < 0.03, `weight ${k}: ${fit.mixture.weights[m]}`);
    for (const d of [0, 1]) assert.ok(Math.abs(fit.mixture.means[2 * m + d] - truth.means[2 * k + d]) < 0.05, `mean ${k}.${d}: ${fit.mixture.means[2 * m + d]}`);
    assert.ok(Math.abs(fit.mixture.variances[m] / truth.variances[k] - 1) < 0.15, `variance ${k}: ${fit.mixture.variances[m]}`);
  });
  // A maximum-likelihood fit explains its own data at least as well as the truth does.
  const trueLog = sum(mixtureLogDensity(truth, x));
  assert.ok(fit.logLikelihood >= trueLog - 1e-6, `fit ${fit.logLikelihood} < truth ${trueLog}`);
  assert.ok(Math.abs(fit.logLikelihood - sum(mixtureLogDensity(fit.mixture, x))) < 1e-6 * Math.abs(trueLog));
  assert.equal(fit.meanLogLikelihood, fit.logLikelihood / 4000);
});

test("EM recovers the 8-Gaussian ring with K = 8, and is deterministic for a seed", () => {
  const ring = datasetMixture("ring-8")!;
  const x = sampleDataset("ring-8", 3000, 4);
  const fit = fitMixture(x, {K: 8, seed: 2});
  const again = fitMixture(x, {K: 8, seed: 2});
  assert.deepEqual(fit, again);
  match(fit.mixture, ring).forEach((m, k) => {
    const err = Math.hypot(fit.mixture.means[2 * m] - ring.means[2 * k], fit.mixture.means[2 * m + 1] - ring.means[2 * k + 1]);
    assert.ok(err < 0.05, `mode ${k}: mean off by ${err}`);
    assert.ok(Math.abs(fit.mixture.weights[m] - 1 / 8) < 0.03, `mode ${k}: weight ${fit.mixture.weights[m]}`);
    assert.ok(Math.abs(Math.sqrt(fit.mixture.variances[m]) / 0.1 - 1) < 0.1, `mode ${k}: σ ${Math.sqrt(fit.mixture.variances[m])}`);
  });
});

test("variances never fall below the floor, even with repeated points, and K larger than the distinct points still gives a valid mixture", () => {
  const x = new Float64Array(2 * 60);
  for (let j = 0; j < 60; j++) {
    x[2 * j] = j % 3;
    x[2 * j + 1] = 0;
  }
  const fit = fitMixture(x, {K: 5, seed: 1});
  validateMixture(fit.mixture);
  assert.ok(Array.from(fit.mixture.variances).every((v) => v >= VARIANCE_FLOOR));
  assert.ok(Number.isFinite(fit.logLikelihood));
  assert.throws(() => fitMixture(x, {K: 0}), /K must be an integer ≥ 1/);
  assert.throws(() => fitMixture(x.subarray(0, 6), {K: 5}), /needs at least 5 points, got 3/);
  assert.throws(() => fitMixture(Float64Array.from([1, NaN, 2, 3]), {K: 1}), /not finite/);
});

test("mixtureAnswer: a fit with the stated K and the words to say so, usable for ε* and the entropy", () => {
  const raw = sampleDataset("two-moons", 2000, 3);
  const {train, heldOut} = splitDataset(standardise(raw).points, {seed: 1});
  const answer = mixtureAnswer(train, {K: 10, heldOut});
  assert.equal(answer.available, true);
  if (!answer.available) return;
  assert.equal(answer.K, 10);
  assert.equal(answer.mixture.weights.length, 10);
  assert.equal(fittedMixture(answer.K), "a 10-component Gaussian mixture fitted to your points");
  assert.equal(exactLabel("ε*", answer), "ε* of a 10-component Gaussian mixture fitted to your points");
  // The core's exact functions take the fit as they take a dataset's mixture.
  const s = makeSchedule(DEFAULT_SCHEDULE);
  const eps = optimalEps(answer.mixture, s, heldOut, 100);
  assert.equal(eps.length, heldOut.length);
  assert.ok(eps.every(Number.isFinite));
  const entropy = mixtureEntropy(answer.mixture, {n: 4000, rng: createRng(1)});
  assert.ok(Number.isFinite(entropy.value));
  // The held-out cross-entropy H(q, p_fit) is ≥ the fit's own entropy estimate on training points, within noise.
  assert.ok(answer.heldOutCrossEntropy !== null && answer.heldOutCrossEntropy > -answer.meanLogLikelihood - 0.2, `${answer.heldOutCrossEntropy} vs ${-answer.meanLogLikelihood}`);
  const withoutHeldOut = mixtureAnswer(train, {K: 10});
  assert.ok(withoutHeldOut.available && withoutHeldOut.heldOutCrossEntropy === null);
});

test("mixtureAnswer with too few points says plainly that exact answers are not available, with numbers", () => {
  const points = standardise(sampleDataset("circles", 40, 1)).points;
  const answer = mixtureAnswer(points);
  assert.deepEqual(answer, {
    available: false,
    reason: `A ${DEFAULT_COMPONENTS}-component mixture needs at least ${DEFAULT_COMPONENTS * MIN_POINTS_PER_COMPONENT} points (${MIN_POINTS_PER_COMPONENT} per component) and there are 40, so exact answers (ε*, the entropy) are not available for your data.`
  });
  assert.match(exactLabel("The entropy", answer), /^The entropy is not available for your data: A 12-component mixture needs at least 60 points/);
  assert.equal(mixtureAnswer(points, {K: 8}).available, true);
});
