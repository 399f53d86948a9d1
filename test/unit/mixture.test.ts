import {test} from "node:test";
import assert from "node:assert/strict";
import {boundTerms} from "../../src/lib/bound.js";
import {datasetMixture} from "../../src/lib/datasets.js";
import {qSample} from "../../src/lib/forward.js";
import {
  diffuseMixture,
  irreducibleLSimple,
  marginalLogDensity,
  mixtureEntropy,
  mixtureLogDensity,
  mixtureScore,
  optimalEps,
  optimalEpsPredictor,
  posteriorX0Mean,
  sampleMixture,
  validateMixture,
  type GaussianMixture
} from "../../src/lib/mixture.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";

const s = makeSchedule(DEFAULT_SCHEDULE);
const ring = datasetMixture("ring-8")!;
/** An uneven mixture: different weights and widths, to exercise the general formulas. */
const uneven: GaussianMixture = {
  dim: 2,
  weights: Float64Array.from([0.5, 0.3, 0.2]),
  means: Float64Array.from([-1, 0, 1, 1, 0.5, -1.2]),
  variances: Float64Array.from([0.04, 0.25, 0.01])
};

/** Written out here: the mixture density as a plain sum (no log-sum-exp). */
function density(gm: GaussianMixture, x: number, y: number): number {
  let p = 0;
  for (let k = 0; k < gm.weights.length; k++) {
    const v = gm.variances[k];
    const sq = (x - gm.means[2 * k]) ** 2 + (y - gm.means[2 * k + 1]) ** 2;
    p += (gm.weights[k] * Math.exp(-sq / (2 * v))) / (2 * Math.PI * v);
  }
  return p;
}

function meanAndSe(values: ArrayLike<number>): {mean: number; se: number} {
  const n = values.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - m) ** 2 / (n - 1);
  return {mean: m, se: Math.sqrt(v / n)};
}

test("mixture log density = log of the plain sum, and integrates to 1 on a grid", () => {
  for (const gm of [ring, uneven]) {
    const pts = [0.3, -0.2, 1.4, 0.1, -1, 0.05, 3, 3];
    const got = mixtureLogDensity(gm, pts);
    for (let j = 0; j < 4; j++) {
      const p = density(gm, pts[2 * j], pts[2 * j + 1]);
      assert.ok(Math.abs(got[j] - Math.log(p)) < 1e-10, `${got[j]} vs ${Math.log(p)}`);
    }
    // Grid over [−4, 4]² (≥ 6 sd beyond every mode), step 0.02 = σ/5 for the narrowest mode: the
    // Riemann sum of a Gaussian at that step is exact to ~exp(−2π²·25) (Poisson summation).
    const h = 0.02;
    const m = 400;
    const grid = new Float64Array(2 * (m + 1) * (m + 1));
    for (let i = 0, p = 0; i <= m; i++) for (let j = 0; j <= m; j++, p += 2) [grid[p], grid[p + 1]] = [-4 + i * h, -4 + j * h];
    let integral = 0;
    for (const l of mixtureLogDensity(gm, grid)) integral += Math.exp(l) * h * h;
    assert.ok(Math.abs(integral - 1) < 1e-6, `∫ = ${integral}`);
  }
});

test("q(x_t) of a mixture = Monte Carlo of ∫ q(x_t|x_0) q(x_0) dx_0 (Eq. 4), at several t", () => {
  const n = 20_000;
  const x0 = sampleMixture(uneven, n, createRng(50));
  for (const t of [20, 150, 600]) {
    const ab = s.alphaBar[t - 1];
    const v = 1 - ab;
    const xts = [0, 0, -0.8, 0.1, 0.9, -0.9];
    const exact = marginalLogDensity(uneven, s, xts, t);
    for (let j = 0; j < 3; j++) {
      const kernel = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const sq = (xts[2 * j] - Math.sqrt(ab) * x0[2 * i]) ** 2 + (xts[2 * j + 1] - Math.sqrt(ab) * x0[2 * i + 1]) ** 2;
        kernel[i] = Math.exp(-sq / (2 * v)) / (2 * Math.PI * v);
      }
      const {mean, se} = meanAndSe(kernel);
      // 4 standard errors of the Monte Carlo mean over n = 20,000 draws of x_0.
      assert.ok(Math.abs(Math.exp(exact[j]) - mean) < 4 * se, `t=${t} point ${j}: ${Math.exp(exact[j])} vs ${mean} ± ${se}`);
    }
    const d = diffuseMixture(uneven, ab);
    assert.ok(Math.abs(d.variances[2] - (ab * 0.01 + 1 - ab)) < 1e-15 && Math.abs(d.means[0] + Math.sqrt(ab)) < 1e-15);
  }
});

test("E[x_0|x_t] matches a self-normalised importance estimate, and ε* = (x_t − √ᾱ E[x_0|x_t])/√(1 − ᾱ)", () => {
  const n = 40_000;
  const x0 = sampleMixture(uneven, n, createRng(60));
  for (const t of [50, 200, 700]) {
    const ab = s.alphaBar[t - 1];
    const v = 1 - ab;
    const xts = Float64Array.from([0.2, 0.3, -0.9, -0.1, 0.5, -0.8]);
    const exact = posteriorX0Mean(uneven, s, xts, t);
    for (let j = 0; j < 3; j++) {
      // Weights q(x_t|x_0^i) for prior draws x_0^i; the delta-method SE of the ratio estimate
      // is √(Σ w_i² (x_i − m̂)²)/Σ w_i.
      const w = new Float64Array(n);
      let wSum = 0;
      for (let i = 0; i < n; i++) {
        const sq = (xts[2 * j] - Math.sqrt(ab) * x0[2 * i]) ** 2 + (xts[2 * j + 1] - Math.sqrt(ab) * x0[2 * i + 1]) ** 2;
        w[i] = Math.exp(-sq / (2 * v));
        wSum += w[i];
      }
      for (let d = 0; d < 2; d++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += (w[i] * x0[2 * i + d]) / wSum;
        let varSum = 0;
        for (let i = 0; i < n; i++) varSum += (w[i] * (x0[2 * i + d] - m)) ** 2;
        const se = Math.sqrt(varSum) / wSum;
        assert.ok(Math.abs(exact[2 * j + d] - m) < 4.5 * se, `t=${t} point ${j} coord ${d}: ${exact[2 * j + d]} vs ${m} ± ${se}`);
      }
    }
    const eps = optimalEps(uneven, s, xts, t);
    for (let i = 0; i < xts.length; i++) {
      const viaX0 = (xts[i] - Math.sqrt(ab) * exact[i]) / Math.sqrt(v);
      assert.ok(Math.abs(eps[i] - viaX0) < 1e-9, `ε* identity t=${t}`);
    }
  }
});

test("ε* = −√(1 − ᾱ_t) ∇ log q(x_t): against finite differences of the marginal log density", () => {
  const h = 1e-5;
  for (const gm of [ring, uneven]) {
    for (const t of [1, 30, 300, 1000]) {
      const xt = Float64Array.from([0.7, -0.4, -1.2, 0.9]);
      const eps = optimalEps(gm, s, xt, t);
      const score = mixtureScore(gm, s, xt, t);
      for (let i = 0; i < xt.length; i++) {
        const plus = Float64Array.from(xt);
        const minus = Float64Array.from(xt);
        plus[i] += h;
        minus[i] -= h;
        const j = i >> 1;
        const grad = (marginalLogDensity(gm, s, plus, t)[j] - marginalLogDensity(gm, s, minus, t)[j]) / (2 * h);
        // Central differences: error O(h²·f''') plus rounding O(1e-16/h); steep at t = 1 (v ≈ 0.01).
        const tol = 1e-5 * Math.max(1, Math.abs(grad));
        assert.ok(Math.abs(score[i] - grad) < tol, `score t=${t}: ${score[i]} vs ${grad}`);
        assert.ok(Math.abs(eps[i] + s.sqrtOneMinusAlphaBar[t - 1] * grad) < tol, `ε* t=${t}`);
      }
    }
  }
});

test("ε* minimises L_simple: perturbations lose exactly their expected amount (paired Monte Carlo)", () => {
  const n = 20_000;
  const x0 = sampleMixture(ring, n, createRng(70));
  for (const t of [10, 100, 400]) {
    const noise = createRng(71 + t).normals(2 * n);
    const xt = qSample(s, x0, t, noise);
    const star = optimalEps(ring, s, xt, t);
    const loss = (pred: (i: number) => number) => {
      const out = new Float64Array(n);
      for (let j = 0; j < n; j++) out[j] = (noise[2 * j] - pred(2 * j)) ** 2 + (noise[2 * j + 1] - pred(2 * j + 1)) ** 2;
      return out;
    };
    const base = loss((i) => star[i]);
    let starSq = 0;
    for (let i = 0; i < star.length; i++) starSq += star[i] ** 2 / n;
    const delta = [0.1, -0.05];
    const b = s.sqrtOneMinusAlphaBar[t - 1];
    const perturbations: [string, (i: number) => number, number | null][] = [
      // E‖ε − ε* − δ‖² − E‖ε − ε*‖² = ‖δ‖², since E[ε − ε*|x_t] = 0.
      ["ε* + δ", (i) => star[i] + delta[i % 2], delta[0] ** 2 + delta[1] ** 2],
      // E‖ε − cε*‖² − E‖ε − ε*‖² = (1 − c)² E‖ε*‖².
      ["0.8 ε*", (i) => 0.8 * star[i], 0.04 * starSq],
      ["1.2 ε*", (i) => 1.2 * star[i], 0.04 * starSq],
      // The optimum for Gaussian data N(0, I) (same mean and covariance as ring-8): worse here.
      ["√(1 − ᾱ) x_t", (i) => b * xt[i], null]
    ];
    for (const [name, pred, expected] of perturbations) {
      const diff = loss(pred).map((v, j) => v - base[j]);
      const {mean, se} = meanAndSe(diff);
      assert.ok(mean > 4 * se, `t=${t} ${name}: loses only ${mean} ± ${se}`);
      // 4 standard errors of the paired mean over n = 20,000 draws.
      if (expected !== null) assert.ok(Math.abs(mean - expected) < 4 * se, `t=${t} ${name}: ${mean} vs ${expected} ± ${se}`);
    }
  }
});

test("irreducible L_simple = the empirical L_simple of ε*, within Monte Carlo error", () => {
  const n = 20_000;
  for (const t of [1, 10, 100, 500, 1000]) {
    const x0 = sampleMixture(ring, n, createRng(80 + t));
    const noise = createRng(90 + t).normals(2 * n);
    const xt = qSample(s, x0, t, noise);
    const star = optimalEps(ring, s, xt, t);
    const sq = new Float64Array(n);
    for (let j = 0; j < n; j++) sq[j] = (noise[2 * j] - star[2 * j]) ** 2 + (noise[2 * j + 1] - star[2 * j + 1]) ** 2;
    const empirical = meanAndSe(sq);
    const irreducible = irreducibleLSimple(ring, s, t, {n, rng: createRng(100 + t)});
    // Two independent estimates: 4 standard errors of their difference.
    const se = Math.hypot(empirical.se, irreducible.stdErr);
    assert.ok(Math.abs(empirical.mean - irreducible.value) < 4 * se, `t=${t}: ${empirical.mean} vs ${irreducible.value} ± ${se}`);
  }
  // At t = 1 the noise is nearly unpredictable: D ᾱσ²/(ᾱσ² + 1 − ᾱ) ≈ 1.98 of E‖ε‖² = 2, since
  // each x_1 lies deep inside one mode (responsibilities one-hot to ~1e-20). A rare x_1 in the tail
  // between two modes adds their between-mode variance: up to ~5e-9 over 1,000 draws (seeds 1–5).
  const ab = s.alphaBar[0];
  const first = irreducibleLSimple(ring, s, 1, {n: 1000, rng: createRng(1)});
  assert.ok(Math.abs(first.value - (2 * ab * 0.01) / (ab * 0.01 + 1 - ab)) < 1e-7, `${first.value}`);
});

test("single Gaussian: exact ε*, irreducible L_simple and entropy", () => {
  const sigma2 = 0.3;
  const g: GaussianMixture = {dim: 2, weights: Float64Array.from([1]), means: Float64Array.from([0, 0]), variances: Float64Array.from([sigma2])};
  for (const t of [1, 50, 500]) {
    const ab = s.alphaBar[t - 1];
    const v = ab * sigma2 + 1 - ab;
    // ε|x_t is Gaussian with variance ᾱσ²/v per coordinate, whatever x_t is.
    const irr = irreducibleLSimple(g, s, t, {n: 100, rng: createRng(t)});
    assert.ok(Math.abs(irr.value - (2 * ab * sigma2) / v) < 1e-12);
    const xt = [0.4, -1.1];
    optimalEps(g, s, xt, t).forEach((e, i) => assert.ok(Math.abs(e - (Math.sqrt(1 - ab) * xt[i]) / v) < 1e-12));
  }
  const n = 20_000;
  const h = mixtureEntropy(g, {n, rng: createRng(2)});
  const exact = Math.log(2 * Math.PI * Math.E * sigma2); // (D/2) log(2πeσ²) with D = 2
  // −log q = const + χ²₂/2, sd 1: SE = 1/√n ≈ 0.007; 4 SE.
  assert.ok(Math.abs(h.value - exact) < 4 * h.stdErr, `${h.value} vs ${exact}`);
  assert.ok(Math.abs(h.stdErr - 1 / Math.sqrt(n)) < 0.1 / Math.sqrt(n));
});

test("ring-8 entropy ≈ log 8 + log(2πeσ²), and the bound with ε* lies above it, not far", () => {
  const H = mixtureEntropy(ring, {n: 20_000, rng: createRng(3)});
  // Modes are 10.8 sd apart: the mixture's entropy equals log K + one mode's, to ~1e-8.
  const separated = Math.log(8) + Math.log(2 * Math.PI * Math.E * 0.01);
  assert.ok(Math.abs(H.value - separated) < 4 * H.stdErr, `H ${H.value} vs ${separated}`);

  const x0 = sampleMixture(ring, 400, createRng(4));
  const eps = optimalEpsPredictor(ring, s);
  const totals: Record<string, number> = {};
  for (const sigma2Kind of ["beta", "betaTilde"] as const) {
    const b = boundTerms(s, x0, eps, {rng: createRng(5), sigma2Kind});
    totals[sigma2Kind] = b.total;
    // E[bound] ≥ cross-entropy E[−log p_θ(x_0)] ≥ H. Both are Monte Carlo (n = 400 and 20,000):
    // allow 4 standard errors of their difference below.
    const se = Math.hypot(b.totalStdErr, H.stdErr);
    assert.ok(b.total > H.value - 4 * se, `${sigma2Kind}: bound ${b.total} below H ${H.value} ± ${se}`);
    // Not absurdly far above: measured gaps ≈ 0.09 nats (σ² = β) and ≈ 1.1 nats (σ² = β̃), SE ≈ 0.05–0.09.
    const gap = sigma2Kind === "beta" ? 0.5 : 1.8;
    assert.ok(b.total - H.value < gap, `${sigma2Kind}: bound ${b.total} is ${b.total - H.value} nats above H`);
    assert.ok(b.terms[s.T] < 1e-3); // L_T ≈ ᾱ_T‖x_0‖²/2
  }
  // On data this sharp the true reverse variance is nearer β_t than β̃_t at small t, so σ² = β̃ is looser.
  assert.ok(totals.betaTilde > totals.beta + 0.3);
});

test("sampleMixture follows the weights; invalid mixtures are refused", () => {
  const n = 20_000;
  const x = sampleMixture(uneven, n, createRng(9));
  const counts = [0, 0, 0];
  for (let j = 0; j < n; j++) {
    let best = 0, bestZ = Infinity;
    for (let k = 0; k < 3; k++) {
      const z = Math.hypot(x[2 * j] - uneven.means[2 * k], x[2 * j + 1] - uneven.means[2 * k + 1]) / Math.sqrt(uneven.variances[k]);
      if (z < bestZ) [best, bestZ] = [k, z];
    }
    counts[best]++;
  }
  // Binomial SE √(n w (1 − w)); a few points land nearer (in sd units) to another mode, ≲ 1 %: allow 4 SE + 1 %.
  uneven.weights.forEach((w, k) => assert.ok(Math.abs(counts[k] - n * w) < 4 * Math.sqrt(n * w * (1 - w)) + 0.01 * n, `mode ${k}: ${counts[k]}`));
  const bad = (patch: Partial<GaussianMixture>) => () => validateMixture({...uneven, ...patch});
  assert.throws(bad({weights: Float64Array.from([0.5, 0.3, 0.3])}), /weights sum to 1\.1/);
  assert.throws(bad({weights: Float64Array.from([0.5, 0.6, -0.1])}), /weights\[2\] = -0\.1 must be finite and > 0/);
  assert.throws(bad({variances: Float64Array.from([0.04, 0, 0.01])}), /variances\[1\] = 0 must be finite and > 0/);
  assert.throws(bad({means: Float64Array.from([0, 0])}), /expected 6/);
  assert.throws(() => marginalLogDensity(uneven, s, [0, 0], 0), /t = 0 is outside 1\.\.1000/);
  assert.throws(() => mixtureLogDensity(uneven, [0, 0, 0]), /not a whole number of 2-D points/);
});
