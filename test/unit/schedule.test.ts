import {test} from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_SCHEDULE,
  checkT,
  cosineBetas,
  linearBetas,
  makeSchedule,
  sigmaSquared,
  signalToNoise,
  validateBetas
} from "../../src/lib/schedule.js";
import {close} from "./helpers.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);

test("default schedule: the paper's linear β, T = 1000, ᾱ_T ≈ 4.0358e-5", () => {
  assert.equal(s.T, 1000);
  assert.equal(s.beta.length, 1000);
  assert.equal(s.beta[0], 1e-4);
  assert.equal(s.beta[999], 0.02);
  // The value the paper's schedule gives (docs/architecture.md §3).
  assert.ok(Math.abs(s.alphaBar[999] - 4.0358e-5) < 1e-8, `ᾱ_T = ${s.alphaBar[999]}`);
  // Independently: β_t = 1e-4 + (t − 1)(0.02 − 1e-4)/999, ᾱ_T = exp Σ log(1 − β_t) summed here in plain order.
  let logSum = 0;
  for (let t = 1; t <= 1000; t++) logSum += Math.log(1 - (1e-4 + ((t - 1) * (0.02 - 1e-4)) / 999));
  close(s.alphaBar[999], Math.exp(logSum), 1e-12, "ᾱ_T vs log-sum");
  // And as a running product, which also checks every ᾱ_t.
  let prod = 1;
  for (let i = 0; i < 1000; i++) {
    prod *= 1 - s.beta[i];
    assert.ok(Math.abs(s.alphaBar[i] - prod) <= 1e-12 * prod, `ᾱ at i=${i}`);
  }
});

test("derived arrays: ranges, monotonicity, t = 1 conventions and the Eq. 7 formulas", () => {
  for (let i = 0; i < s.T; i++) {
    assert.ok(s.beta[i] > 0 && s.beta[i] < 1);
    assert.equal(s.alpha[i], 1 - s.beta[i]);
    if (i > 0) assert.ok(s.alphaBar[i] < s.alphaBar[i - 1], `ᾱ not strictly decreasing at i=${i}`);
    assert.ok(s.betaTilde[i] <= s.beta[i], `β̃ > β at i=${i}`);
    close(s.alphaBar[i] + s.oneMinusAlphaBar[i], 1, 1e-15, "ᾱ + (1 − ᾱ)");
    close(s.sqrtAlphaBar[i] ** 2, s.alphaBar[i], 1e-14, "√ᾱ²");
    close(s.sqrtOneMinusAlphaBar[i] ** 2, 1 - s.alphaBar[i], 1e-12, "√(1−ᾱ)²");
    if (i > 0) {
      const abPrev = s.alphaBar[i - 1];
      assert.equal(s.alphaBarPrev[i], abPrev);
      close(s.betaTilde[i], ((1 - abPrev) / (1 - s.alphaBar[i])) * s.beta[i], 1e-10, "β̃");
      close(s.posteriorMeanCoef1[i], (Math.sqrt(abPrev) * s.beta[i]) / (1 - s.alphaBar[i]), 1e-10, "coef1");
      close(s.posteriorMeanCoef2[i], (Math.sqrt(s.alpha[i]) * (1 - abPrev)) / (1 - s.alphaBar[i]), 1e-10, "coef2");
    }
  }
  assert.equal(s.alphaBarPrev[0], 1);
  assert.equal(s.betaTilde[0], 0);
  close(s.posteriorMeanCoef1[0], 1, 1e-15, "μ̃_1 = x_0");
  assert.equal(s.posteriorMeanCoef2[0], 0);
  // 1 − ᾱ_1 must be β_1 to full precision (it is computed with expm1).
  close(s.oneMinusAlphaBar[0], 1e-4, 1e-15, "1 − ᾱ_1");
});

test("linspace includes both ends and is evenly spaced; T = 1 gives betaStart", () => {
  const b = linearBetas(5, 0.1, 0.5);
  assert.deepEqual(Array.from(b, (v) => +v.toFixed(12)), [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(Array.from(linearBetas(1, 0.3, 0.4)), [0.3]);
  assert.equal(makeSchedule({kind: "linear"}).alphaBar[999], s.alphaBar[999]);
});

test("cosine schedule (Nichol & Dhariwal): ᾱ follows f(t)/f(0) until the clip, β ≤ 0.999, ᾱ_T tiny", () => {
  const T = 1000;
  const c = makeSchedule({kind: "cosine"});
  const f = (t: number) => Math.cos((((t / T) + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  for (let i = 0; i < T; i++) {
    assert.ok(c.beta[i] > 0 && c.beta[i] <= 0.999, `β[${i}] = ${c.beta[i]}`);
    // Direct formula, as in Nichol & Dhariwal's code.
    close(c.beta[i], Math.min(1 - f(i + 1) / f(i), 0.999), 1e-9, `β[${i}]`);
  }
  // Before the clip acts, the cumulative product reproduces f(t)/f(0).
  for (const t of [1, 10, 100, 500, 900, 990]) close(c.alphaBar[t - 1], f(t) / f(0), 1e-9, `ᾱ_${t}`);
  assert.equal(c.beta[T - 1], 0.999); // f(T) = 0: the last β is clipped
  assert.ok(c.alphaBar[T - 1] < 1e-8 && c.alphaBar[T - 1] > 0, `ᾱ_T = ${c.alphaBar[T - 1]}`);
  // The cosine schedule destroys information more slowly early on than the linear one.
  assert.ok(c.alphaBar[99] > s.alphaBar[99]);
  assert.equal(cosineBetas(10).length, 10);
});

test("custom schedules, including T = 1", () => {
  const c = makeSchedule({kind: "custom", beta: [0.1, 0.2, 0.3]});
  assert.equal(c.T, 3);
  close(c.alphaBar[2], 0.9 * 0.8 * 0.7, 1e-15, "ᾱ_3");
  close(c.betaTilde[1], (0.1 / (1 - 0.72)) * 0.2, 1e-14, "β̃_2");
  const one = makeSchedule({kind: "custom", beta: [0.5]});
  assert.equal(one.T, 1);
  assert.equal(sigmaSquared(one, 1, "betaTilde"), 0.5); // β_1 when there is no β̃_2
  // A copy is kept: editing the input does not change the schedule.
  const input = [0.1, 0.2];
  const k = makeSchedule({kind: "custom", beta: input});
  input[0] = 0.9;
  assert.equal(k.beta[0], 0.1);
});

test("invalid schedules are refused with a message naming the problem", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => makeSchedule({kind: "linear", T: 0}), /T must be an integer ≥ 1, got 0/],
    [() => makeSchedule({kind: "linear", T: 1.5}), /T must be an integer ≥ 1, got 1\.5/],
    [() => makeSchedule({kind: "cosine", T: -3}), /T must be an integer ≥ 1, got -3/],
    [() => makeSchedule({kind: "custom", beta: [0.1, 0, 0.2]}), /beta\[1\] = 0 is outside \(0, 1\)/],
    [() => makeSchedule({kind: "custom", beta: [0.1, 1]}), /beta\[1\] = 1 is outside \(0, 1\)/],
    [() => makeSchedule({kind: "custom", beta: [0.1, 0.2, 0.3, 1.2]}), /beta\[3\] = 1\.2 is outside \(0, 1\)/],
    [() => makeSchedule({kind: "custom", beta: [NaN]}), /beta\[0\] = NaN is outside \(0, 1\)/],
    [() => makeSchedule({kind: "custom", beta: [0.1, Infinity]}), /beta\[1\] = Infinity/],
    [() => makeSchedule({kind: "custom", beta: []}), /at least one value/],
    [() => validateBetas(linearBetas(999), 1000), /expected 1000 betas, got 999/],
    [() => makeSchedule({kind: "linear", betaStart: 0.02, betaEnd: 1e-4}), /betaStart \(0\.02\) must be ≤ betaEnd \(0\.0001\)/],
    [() => makeSchedule({kind: "linear", betaStart: 0}), /betaStart = 0 is outside \(0, 1\)/],
    [() => makeSchedule({kind: "linear", betaEnd: 1}), /betaEnd = 1 is outside \(0, 1\)/],
    [() => makeSchedule({kind: "cosine", maxBeta: 1}), /maxBeta = 1 is outside \(0, 1\)/],
    [() => makeSchedule({kind: "cosine", s: -0.1}), /s must be a finite number ≥ 0, got -0\.1/],
    [() => makeSchedule({kind: "custom", beta: new Array(2000).fill(0.5)}), /underflows/],
    [() => makeSchedule({kind: "sigmoid"} as never), /unknown schedule kind "sigmoid"/]
  ];
  for (const [f, message] of cases) assert.throws(f, message);
  assert.equal(validateBetas([0.1, 0.2], 2).length, 2);
});

test("checkT accepts 1..T only; sigmaSquared follows Sec. 3.2 with β̃_2 at t = 1", () => {
  checkT(s, 1);
  checkT(s, 1000);
  assert.throws(() => checkT(s, 0), /t = 0 is outside 1\.\.1000/);
  assert.throws(() => checkT(s, 1001), /t = 1001 is outside 1\.\.1000/);
  assert.throws(() => checkT(s, 2.5), /t = 2\.5 is outside 1\.\.1000/);
  assert.equal(sigmaSquared(s, 5, "beta"), s.beta[4]);
  assert.equal(sigmaSquared(s, 5, "betaTilde"), s.betaTilde[4]);
  assert.equal(sigmaSquared(s, 1, "betaTilde"), s.betaTilde[1]);
  assert.equal(sigmaSquared(s, 1, "beta"), s.beta[0]);
  assert.throws(() => sigmaSquared(s, 3, "learned" as never), /sigma2Kind must be "beta" or "betaTilde"/);
});

test("signal-to-noise ratio is ᾱ/(1 − ᾱ) and strictly decreasing", () => {
  const snr = signalToNoise(s);
  for (let i = 0; i < s.T; i++) {
    close(snr[i], s.alphaBar[i] / (1 - s.alphaBar[i]), 1e-10, `SNR[${i}]`);
    if (i > 0) assert.ok(snr[i] < snr[i - 1]);
  }
});
