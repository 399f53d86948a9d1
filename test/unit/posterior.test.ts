import {test} from "node:test";
import assert from "node:assert/strict";
import {qSample} from "../../src/lib/forward.js";
import {
  trueBoundWeight,
  muTheta,
  pSampleStep,
  posteriorMean,
  posteriorMeanFromEps,
  posteriorVariance,
  predictX0FromEps
} from "../../src/lib/posterior.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {close, logGauss} from "./helpers.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);

test("posterior q(x_{t−1}|x_t, x_0) from completing the square = Bayes' rule on a grid (1-D)", () => {
  const x0 = 0.8;
  for (const t of [2, 10, 100, 500, 1000]) {
    const ab = s.alphaBar[t - 1];
    const abPrev = s.alphaBar[t - 2];
    const beta = s.beta[t - 1];
    const xt = Math.sqrt(ab) * x0 + Math.sqrt(1 - ab) * 0.7; // a typical x_t
    // Bayes: q(x_{t−1}|x_t, x_0) ∝ q(x_t|x_{t−1}) q(x_{t−1}|x_0), normalised numerically.
    const priorMean = Math.sqrt(abPrev) * x0;
    const priorSd = Math.sqrt(1 - abPrev);
    const likPeak = xt / Math.sqrt(1 - beta); // the likelihood in x_{t−1} peaks here
    const likSd = Math.sqrt(beta / (1 - beta));
    // The posterior sd is at least min(sd)/√2 and its mean lies between the two centres:
    // 12 of the smaller sd beyond both centres covers it, and a step of min(sd)/50 resolves it.
    const sdMin = Math.min(priorSd, likSd);
    const lo = Math.min(priorMean, likPeak) - 12 * sdMin;
    const hi = Math.max(priorMean, likPeak) + 12 * sdMin;
    const h = sdMin / 50;
    let z = 0, m1 = 0, m2 = 0;
    const logs: number[] = [];
    for (let x = lo; x <= hi; x += h) logs.push(logGauss(xt, Math.sqrt(1 - beta) * x, beta) + logGauss(x, priorMean, 1 - abPrev));
    const max = Math.max(...logs);
    logs.forEach((l, i) => {
      const x = lo + i * h;
      const w = Math.exp(l - max);
      z += w;
      m1 += w * x;
      m2 += w * x * x;
    });
    const mean = m1 / z;
    const variance = m2 / z - mean * mean;
    const muTilde = posteriorMean(s, [x0], [xt], t)[0];
    const betaTilde = posteriorVariance(s, t);
    // The Riemann sum of a smooth, fast-decaying density is accurate far beyond these tolerances.
    assert.ok(Math.abs(muTilde - mean) < 1e-6 * Math.sqrt(betaTilde), `t=${t}: μ̃ ${muTilde} vs grid ${mean}`);
    close(betaTilde, variance, 1e-5, `t=${t}: β̃ vs grid variance`);
  }
});

test("at t = 1 the posterior is the point x_0 (β̃_1 = 0, μ̃_1 = x_0)", () => {
  assert.equal(posteriorVariance(s, 1), 0);
  const x0 = [0.3, -0.4];
  const mu = posteriorMean(s, x0, [5, 7], 1);
  mu.forEach((v, i) => close(v, x0[i], 1e-14, "μ̃_1"));
});

test("ε forms agree: Eq. 10 = Eq. 7 with x_0 = predictX0FromEps, and μ_θ(true ε) = μ̃ (Eq. 11)", () => {
  const rng = createRng(11);
  const n = 50;
  for (const t of [1, 2, 5, 50, 400, 999, 1000]) {
    const x0 = rng.normals(2 * n);
    const eps = rng.normals(2 * n);
    const xt = qSample(s, x0, t, eps);
    // predictX0FromEps inverts qSample.
    predictX0FromEps(s, xt, t, eps).forEach((v, i) => close(v, x0[i], 1e-9, `x̂_0 t=${t}`));
    const viaX0 = posteriorMean(s, x0, xt, t);
    const viaEps = posteriorMeanFromEps(s, xt, t, eps);
    const model = muTheta(s, xt, t, eps);
    for (let i = 0; i < xt.length; i++) {
      close(viaEps[i], viaX0[i], 1e-9, `Eq. 10 vs Eq. 7 t=${t}`);
      close(model[i], viaX0[i], 1e-9, `μ_θ(ε) vs μ̃ t=${t}`);
    }
    // For any vector, not just the true ε: posteriorMeanFromEps = posteriorMean ∘ predictX0FromEps.
    const other = rng.normals(2 * n);
    const a = posteriorMeanFromEps(s, xt, t, other);
    const b = posteriorMean(s, predictX0FromEps(s, xt, t, other), xt, t);
    for (let i = 0; i < a.length; i++) close(a[i], b[i], 1e-9, `composition t=${t}`);
  }
});

test("λ_t of Eq. 12 has the closed forms β/(2α(1 − ᾱ_{t−1})) for σ² = β̃ and β/(2α(1 − ᾱ_t)) for σ² = β", () => {
  for (const t of [2, 3, 10, 100, 1000]) {
    const b = s.beta[t - 1];
    const a = 1 - b;
    close(trueBoundWeight(s, t, "betaTilde"), b / (2 * a * (1 - s.alphaBar[t - 2])), 1e-10, `λ_${t} β̃`);
    close(trueBoundWeight(s, t, "beta"), b / (2 * a * (1 - s.alphaBar[t - 1])), 1e-10, `λ_${t} β`);
  }
  // t = 1 with σ_1² = β̃_2 (sigmaSquared's convention): λ_1 = β_1/(2 β̃_2 α_1).
  close(trueBoundWeight(s, 1), s.beta[0] / (2 * s.betaTilde[1] * s.alpha[0]), 1e-10, "λ_1");
  // The weight is largest at small t (≈ 59 λ_1000 at t = 2, nearly flat ≈ 0.0102 from t ≈ 100 on):
  // dropping it, L_simple down-weights the easy small-t terms (Sec. 3.4).
  assert.ok(trueBoundWeight(s, 2) / trueBoundWeight(s, 1000) > 50);
  assert.ok(Math.abs(trueBoundWeight(s, 100) / trueBoundWeight(s, 1000) - 1) < 0.01, "flat for large t");
  assert.equal(trueBoundWeight(s, 7), trueBoundWeight(s, 7, "betaTilde"));
});

test("pSampleStep is one step of Algorithm 2; z is ignored at t = 1", () => {
  const xt = [0.5, -1];
  const epsPred = [0.2, 0.1];
  const z = [1, -2];
  for (const kind of ["beta", "betaTilde"] as const) {
    const t = 37;
    const sigma2 = kind === "beta" ? s.beta[t - 1] : s.betaTilde[t - 1];
    const mu = muTheta(s, xt, t, epsPred);
    const step = pSampleStep(s, xt, t, epsPred, z, kind);
    step.forEach((v, i) => close(v, mu[i] + Math.sqrt(sigma2) * z[i], 1e-14, "x_{t−1}"));
    // The algorithm's own formula: 1/√α_t (x_t − (1 − α_t)/√(1 − ᾱ_t) ε_θ) + σ_t z.
    const a = s.alpha[t - 1];
    step.forEach((v, i) => close(v, (xt[i] - ((1 - a) / Math.sqrt(1 - s.alphaBar[t - 1])) * epsPred[i]) / Math.sqrt(a) + Math.sqrt(sigma2) * z[i], 1e-12, "Alg. 2"));
  }
  assert.deepEqual(Array.from(pSampleStep(s, xt, 1, epsPred, z)), Array.from(muTheta(s, xt, 1, epsPred)));
  assert.deepEqual(Array.from(pSampleStep(s, xt, 1, epsPred, null)), Array.from(muTheta(s, xt, 1, epsPred)));
  assert.throws(() => pSampleStep(s, xt, 2, epsPred, null), /needs noise z/);
  assert.throws(() => muTheta(s, xt, 1001, epsPred), /t = 1001 is outside 1\.\.1000/);
  assert.throws(() => muTheta(s, xt, 3, [1]), /xt has 2 values but epsPred has 1/);
});
