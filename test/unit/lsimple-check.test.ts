import {test} from "node:test";
import assert from "node:assert/strict";
import {termCoefficients} from "../../src/lib/bound.ts";
import {
  BOUND_TIE_NATS,
  compareRuns,
  lambdaExtremes,
  routeAgreement,
  routesAt,
  summariseRun,
  varianceConstant,
  type RunSummary
} from "../../src/lib/checks/lsimple-check.ts";
import {comparisonConclusion, comparisonLabel} from "../../src/components/LSimpleViews.ts";
import {lambdaCurve} from "../../src/lib/loss-weights.ts";
import {createRng} from "../../src/lib/random.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);

test("λ_t written out by hand: β_t/(2α_t(1 − ᾱ_{t−1})) for σ² = β̃, β_t/(2α_t(1 − ᾱ_t)) for σ² = β", () => {
  const tilde = lambdaCurve(s, "betaTilde");
  const beta = lambdaCurve(s, "beta");
  assert.equal(tilde.length, s.T);
  for (const t of [2, 3, 10, 500, 1000]) {
    const i = t - 1;
    const byHandTilde = s.beta[i] / (2 * s.alpha[i] * (1 - s.alphaBar[i - 1]));
    const byHandBeta = s.beta[i] / (2 * s.alpha[i] * (1 - s.alphaBar[i]));
    assert.ok(Math.abs(tilde[i] / byHandTilde - 1) < 1e-9, `t=${t}`);
    assert.ok(Math.abs(beta[i] / byHandBeta - 1) < 1e-9, `t=${t}`);
  }
  // t = 1 is the decoder's weight (termCoefficients), 1/(2α_1) for σ_1² = β_1.
  assert.ok(Math.abs(beta[0] - 1 / (2 * s.alpha[0])) < 1e-12);
  assert.ok(Math.abs(tilde[0] - termCoefficients(s, 1, "betaTilde").weight) < 1e-12);
  // The exercise's numbers: λ_500 with σ² = β, and where λ_t (t ≥ 2) peaks and bottoms out.
  assert.ok(Math.abs(beta[499] - 0.005503) < 1e-6, `${beta[499]}`);
  const e = lambdaExtremes(s, "betaTilde");
  assert.equal(e.maxT, 2);
  assert.ok(e.minT > 300 && e.minT < 400, `min at ${e.minT}`);
  assert.ok(e.max / e.min > 100);
});

test("C vanishes for σ² = β̃ and is positive for σ² = β", () => {
  for (const t of [2, 50, 1000]) {
    assert.equal(varianceConstant(s, t, "betaTilde"), 0);
    assert.ok(varianceConstant(s, t, "beta") > 0);
    // C by hand: ᾱ as a plain product of (1 − β_u), r = β̃_t/β_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t), C = (D/2)(r − 1 − log r), D = 2.
    let abarPrev = 1;
    for (let u = 1; u < t; u++) abarPrev *= 1 - s.beta[u - 1];
    const r = (1 - abarPrev) / (1 - abarPrev * (1 - s.beta[t - 1]));
    const byHand = r - 1 - Math.log(r);
    // Relative 1e-9, floored at 1e-15: at t = 1000, C ≈ 3e-13 is the difference of two numbers near 1e-6.
    assert.ok(Math.abs(varianceConstant(s, t, "beta") - byHand) <= 1e-9 * byHand + 1e-15, `t=${t}: ${varianceConstant(s, t, "beta")} vs ${byHand}`);
  }
  // t = 2: r = β̃_2/β_2 = (1 − ᾱ_1)/(1 − ᾱ_2) = β_1/(β_1 + β_2 − β_1β_2) ≈ 0.4548, C = r − 1 − log r (D = 2).
  const r = s.beta[0] / (s.beta[0] + s.beta[1] - s.beta[0] * s.beta[1]);
  assert.ok(Math.abs(varianceConstant(s, 2, "beta") - (r - 1 - Math.log(r))) < 1e-12);
  assert.throws(() => varianceConstant(s, 1, "beta"), /t ≥ 2/);
});

test("the KL route and the ε route agree to 1e-9 at every t, both σ² choices", () => {
  const a = routeAgreement(s, createRng(1));
  assert.ok(a.pass, `worst ${a.maxRelDiff} at t=${a.worst.t}`);
  assert.equal(a.checked, 999 * 2 * 8);
  assert.ok(a.maxRelDiff < 1e-11);
  const at = routesAt(s, 500, "beta", createRng(2));
  assert.ok(Math.abs(at.kl - at.weighted) < 1e-12);
  // With ε_θ = ε + 0.5z the mean squared error is 0.25·D = 0.5 in expectation (8 points: ±0.25).
  assert.ok(at.meanSqError > 0.1 && at.meanSqError < 1.5);
});

function run(loss: "simple" | "vlb", over: Partial<RunSummary> = {}): RunSummary {
  const terms = new Float64Array(1001).fill(0.001);
  terms[0] = -6;
  const epsError = new Float64Array(1000).fill(1);
  const base = summariseRun(loss, 1500, {terms, total: -6 + 999 * 0.001 + 0.001, totalStdErr: 0.12, epsError, examples: 500}, {energy: 0.01, energyFloor: 0.002, modesCovered: 8, modes: 8, highQualityFraction: 0.9}, 500);
  return {...base, ...over};
}

test("summariseRun groups the ledger as Eq. 5", () => {
  const r = run("simple");
  assert.equal(r.L0, -6);
  assert.ok(Math.abs(r.transitions - 0.999) < 1e-12);
  assert.equal(r.LT, 0.001);
  assert.equal(r.epsErrorSmall, 1);
  assert.ok(Math.abs(r.bitsPerDim - r.total / (2 * Math.LN2)) < 1e-12);
  // The standard error is carried along, and converted like the total.
  assert.equal(r.totalStdErr, 0.12);
  assert.ok(Math.abs(r.bitsPerDimStdErr - 0.12 / (2 * Math.LN2)) < 1e-12);
});

test("compareRuns names no winner it cannot see, and says when the paper is matched", () => {
  // The paper's outcome: L_simple samples better, the bound lower for the true-bound model.
  // compareRuns gives the verdicts; the page's words (LSimpleViews) come from them.
  const compare = (simple: RunSummary, vlb: RunSummary) => {
    const comparison = compareRuns(simple, vlb);
    return {...comparison, conclusion: comparisonConclusion(simple, vlb, comparison), labels: comparison.rows.map((r) => comparisonLabel(r.key, simple.modes))};
  };
  let c = compare(run("simple", {total: 1.5, energy: 0.004}), run("vlb", {total: 1.2, energy: 0.02}));
  assert.equal(c.bound, "vlb");
  assert.equal(c.samples, "simple");
  assert.match(c.conclusion.join(" "), /samples — agrees; bound — agrees/);
  // The bound rows show each total's standard error; the verdict quotes them.
  const boundRow = c.rows.find((r) => r.key === "total")!;
  assert.deepEqual([boundRow.simpleStdErr, boundRow.vlbStdErr], [0.12, 0.12]);
  assert.match(c.conclusion[0], /1\.200 ± 0\.120 against 1\.500 ± 0\.120 nats per example/);
  // The opposite outcome is reported as such.
  c = compare(run("simple", {total: 1.0, energy: 0.03}), run("vlb", {total: 1.5, energy: 0.004}));
  assert.equal(c.bound, "simple");
  assert.equal(c.samples, "vlb");
  assert.match(c.conclusion.join(" "), /samples — disagrees; bound — disagrees/);
  // Differences within the noise: ties.
  c = compare(run("simple", {total: 1.2}), run("vlb", {total: 1.2 + BOUND_TIE_NATS / 2, energy: 0.0105}));
  assert.equal(c.bound, "tie");
  assert.equal(c.samples, "tie");
  assert.match(c.conclusion.join(" "), /not separated here.*not separated here/);
  // Every row has both numbers; mode rows only on mixture data.
  assert.ok(c.rows.every((r) => Number.isFinite(r.simple) && Number.isFinite(r.vlb)));
  assert.ok(c.labels.some((label) => /modes covered \(of 8\)/.test(label)));
  // Energy cannot separate them, the share of high-quality samples can: 70% against 42% of 500
  // samples is ~9 standard errors apart; 70% against 67% is ~1.
  c = compare(run("simple", {highQualityFraction: 0.7}), run("vlb", {highQualityFraction: 0.42, energy: 0.0101}));
  assert.equal(c.samples, "simple");
  assert.equal(c.samplesBy, "high-quality share");
  assert.match(c.conclusion[1], /L_simple puts more of its samples near a mode: 70\.0% against 42\.0%/);
  c = compare(run("simple", {highQualityFraction: 0.7}), run("vlb", {highQualityFraction: 0.67}));
  assert.equal(c.samples, "tie");
  assert.match(c.conclusion[1], /does not separate them/);
  const noModes = compare(run("simple", {modes: undefined, modesCovered: undefined}), run("vlb", {modes: undefined, modesCovered: undefined}));
  assert.ok(!noModes.labels.some((label) => /modes/.test(label)));
});
