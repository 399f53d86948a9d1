import {test} from "node:test";
import assert from "node:assert/strict";
import {
  boundTerms,
  decoderTerm,
  lSimpleAt,
  priorTerm,
  termCoefficients,
  transitionTerm,
  transitionTermFromEpsError,
  type EpsPredictor
} from "../../src/lib/bound.js";
import {qSample} from "../../src/lib/forward.js";
import {trueBoundWeight} from "../../src/lib/posterior.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule, sigmaSquared} from "../../src/lib/schedule.js";
import {close, logGauss} from "./helpers.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);

test("L_{t−1} as a Gaussian KL (Eq. 8) = λ_t‖ε − ε_θ‖² + variance constant (Eq. 12), both σ² choices", () => {
  const rng = createRng(31);
  const n = 40;
  for (const t of [2, 3, 10, 100, 500, 1000]) {
    const x0 = rng.normals(2 * n);
    const eps = rng.normals(2 * n);
    const xt = qSample(s, x0, t, eps);
    const epsPred = eps.map((e) => e + 0.3 * rng.normal()); // an imperfect model
    for (const kind of ["beta", "betaTilde"] as const) {
      const kl = transitionTerm(s, x0, xt, t, epsPred, kind);
      const weighted = transitionTermFromEpsError(s, x0, xt, t, epsPred, kind);
      assert.equal(kl.length, n);
      for (let j = 0; j < n; j++) close(kl[j], weighted[j], 1e-8, `t=${t} ${kind} example ${j}`);
    }
    // σ² = β̃: the variances match, so L_{t−1} is exactly λ_t‖ε − ε_θ‖² (the constant C is 0).
    const lambda = trueBoundWeight(s, t, "betaTilde");
    const kl = transitionTerm(s, x0, xt, t, epsPred, "betaTilde");
    for (let j = 0; j < n; j++) {
      const sq = (eps[2 * j] - epsPred[2 * j]) ** 2 + (eps[2 * j + 1] - epsPred[2 * j + 1]) ** 2;
      close(kl[j], lambda * sq, 1e-8, `t=${t} λ‖ε − ε_θ‖²`);
    }
    // A perfect ε_θ = ε makes μ_θ = μ̃: zero with σ² = β̃, the pure variance mismatch with σ² = β.
    const perfect = transitionTerm(s, x0, xt, t, eps, "betaTilde");
    perfect.forEach((v) => assert.ok(Math.abs(v) < 1e-9));
    const r = s.betaTilde[t - 1] / s.beta[t - 1];
    transitionTerm(s, x0, xt, t, eps, "beta").forEach((v) => close(v, r - 1 - Math.log(r), 1e-9, "variance-only KL"));
  }
  assert.throws(() => transitionTerm(s, [0, 0], [0, 0], 1, [0, 0]), /needs t ≥ 2.*decoderTerm/);
});

test("L_T: the closed-form KL to N(0, I) matches a numerical integral of q log(q/p)", () => {
  const ab = s.alphaBar[s.T - 1];
  const x0 = [1.7, -0.6, 0.2, 2.5];
  const got = priorTerm(s, x0, 2);
  // Per coordinate: ∫ q(x) log(q(x)/p(x)) dx on a grid of ±12 sd, q = N(√ᾱ_T x_0, 1 − ᾱ_T), p = N(0, 1).
  const kl1 = (x0d: number) => {
    const m = Math.sqrt(ab) * x0d;
    const v = 1 - ab;
    const h = 1e-3;
    let sum = 0;
    for (let x = m - 12; x <= m + 12; x += h) {
      const lq = logGauss(x, m, v);
      sum += Math.exp(lq) * (lq - logGauss(x, 0, 1)) * h;
    }
    return sum;
  };
  // KL ≈ ᾱ_T‖x_0‖²/2 ≈ 1e-4 here, so compare absolutely, to 1e-10.
  assert.ok(Math.abs(got[0] - (kl1(1.7) + kl1(-0.6))) < 1e-10, `${got[0]}`);
  assert.ok(Math.abs(got[1] - (kl1(0.2) + kl1(2.5))) < 1e-10, `${got[1]}`);
  assert.ok(got[0] > 0 && got[0] < 1e-3); // tiny: ᾱ_T ≈ 4e-5
});

test("L_0 = −log N(x_0; μ_θ(x_1, 1), σ_1² I) = λ_1‖ε − ε_θ‖² + (D/2) log(2πσ_1²)", () => {
  // μ_θ(x_1, 1) − x_0 = √(β_1/α_1)(ε − ε_θ), so the decoder is the Eq. 12 weight at t = 1 plus a constant.
  const rng = createRng(41);
  const n = 30;
  const x0 = rng.normals(2 * n);
  const eps = rng.normals(2 * n);
  const x1 = qSample(s, x0, 1, eps);
  const epsPred = eps.map((e) => e + 0.5 * rng.normal());
  for (const kind of ["beta", "betaTilde"] as const) {
    const got = decoderTerm(s, x0, x1, epsPred, kind);
    const lambda = trueBoundWeight(s, 1, kind);
    const sigma2 = sigmaSquared(s, 1, kind);
    for (let j = 0; j < n; j++) {
      const sq = (eps[2 * j] - epsPred[2 * j]) ** 2 + (eps[2 * j + 1] - epsPred[2 * j + 1]) ** 2;
      close(got[j], lambda * sq + Math.log(2 * Math.PI * sigma2), 1e-8, `${kind} example ${j}`);
    }
  }
});

test("boundTerms: T + 1 terms (L_0 … L_T), total = their sum, bits/dim, and the documented noise order", () => {
  const T = 20;
  const small = makeSchedule({kind: "linear", T, betaStart: 1e-3, betaEnd: 0.2});
  const x0 = Float64Array.from([0.5, -0.5, 1, 0, -1.2, 0.3]);
  const eps: EpsPredictor = (xt) => xt.map((v) => 0.5 * v); // any fixed model
  const result = boundTerms(small, x0, eps, {rng: createRng(7), sigma2Kind: "beta"});
  assert.equal(result.terms.length, T + 1);
  close(result.total, result.terms.reduce((a, b) => a + b, 0), 1e-12, "total");
  close(result.totalBitsPerDim, result.total / (2 * Math.LN2), 1e-12, "bits/dim");
  const prior = priorTerm(small, x0);
  close(result.terms[T], (prior[0] + prior[1] + prior[2]) / 3, 1e-12, "L_T");
  // Recompute with the same stream: one ε per example per t, t = 1 … T.
  const rng = createRng(7);
  for (let t = 1; t <= T; t++) {
    const noise = rng.normals(x0.length);
    const xt = qSample(small, x0, t, noise);
    const values = t === 1 ? decoderTerm(small, x0, xt, eps(xt, t), "beta") : transitionTerm(small, x0, xt, t, eps(xt, t), "beta");
    close(result.terms[t - 1], (values[0] + values[1] + values[2]) / 3, 1e-12, `L_${t - 1}`);
  }
  // Same seed, same answer.
  assert.equal(boundTerms(small, x0, eps, {rng: createRng(7), sigma2Kind: "beta"}).total, result.total);
  assert.throws(() => boundTerms(small, x0, () => new Float64Array(2), {rng: createRng(1)}), /returned 2 values for 6/);
});

test("lSimpleAt: with ε_θ = 0 the L_simple integrand is E‖ε‖² = D", () => {
  const x0 = createRng(3).normals(2 * 5000);
  const est = lSimpleAt(s, x0, 250, (xt) => new Float64Array(xt.length), createRng(4));
  // ‖ε‖² ~ χ²₂ has sd 2: SE = 2/√5000 ≈ 0.028, and the estimator's own SE agrees.
  assert.ok(Math.abs(est.value - 2) < 4 * (2 / Math.sqrt(5000)), `${est.value}`);
  // χ²₂ has kurtosis 9, so the sample sd has relative SE √(8/(4·5000)) = 2 %: 10 % is 5 SE.
  assert.ok(Math.abs(est.stdErr / (2 / Math.sqrt(5000)) - 1) < 0.1, `SE ${est.stdErr}`);
});

test("termCoefficients reproduce decoderTerm and transitionTerm from the noise error alone", () => {
  const sched = makeSchedule({kind: "linear", T: 1000});
  const rng = createRng(11);
  const x0 = rng.normals(200);
  for (const kind of ["beta", "betaTilde"] as const) {
    for (const t of [1, 2, 3, 50, 999, 1000]) {
      const eps = rng.normals(200);
      const xt = qSample(sched, x0, t, eps);
      const pred = Float64Array.from(eps, (e) => e + 0.3 * rng.normal());
      const direct = t === 1 ? decoderTerm(sched, x0, xt, pred, kind) : transitionTerm(sched, x0, xt, t, pred, kind);
      const {weight, constant} = termCoefficients(sched, t, kind);
      for (let j = 0; j < 100; j++) {
        const err = (eps[2 * j] - pred[2 * j]) ** 2 + (eps[2 * j + 1] - pred[2 * j + 1]) ** 2;
        const viaCoefficients = weight * err + constant;
        // Same quantity by two routes; the direct route subtracts nearly equal means (1e-9 relative).
        assert.ok(Math.abs(viaCoefficients - direct[j]) <= 1e-6 * Math.max(1, Math.abs(direct[j])), `${kind} t=${t} j=${j}: ${viaCoefficients} vs ${direct[j]}`);
      }
    }
  }
});
