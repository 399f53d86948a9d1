// The Reverse-process page's 2D explorer: its KL is L_{t−1} written out by hand with ε*, the optimal model's mean is
// the posterior mean at E[x_0|x_t], and the averaged KL it reports agrees with Monte Carlo.
import {test} from "node:test";
import assert from "node:assert/strict";
import {datasetMixture} from "../../src/lib/datasets.ts";
import {qSample} from "../../src/lib/forward.ts";
import {posteriorX0Mean, sampleMixture} from "../../src/lib/mixture.ts";
import {explorerConsistencyPasses, posteriorExplorerState} from "../../src/lib/checks/posterior-explorer.ts";
import {createRng} from "../../src/lib/random.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);
const ring = datasetMixture("ring-8")!;
const x0: [number, number] = [1.43, 0.28];

/**
 * KL(q(x_{t−1}|x_t, x_0) ‖ p_θ(x_{t−1}|x_t)) with ε_θ = ε*, written out from the paper's formulas and
 * the ring's components (not through the core's posterior, mixture or bound modules): ε* = E[ε|x_t]
 * from the responsibilities of q(x_t) = Σ_k w_k N(√ᾱ_t μ_k, (ᾱ_t σ_k² + 1 − ᾱ_t) I), μ̃_t by Eq. 7,
 * μ_θ by Eq. 11, and the KL between isotropic 2D Gaussians.
 */
function klByHand(t: number, x0: ArrayLike<number>, xt: ArrayLike<number>, kind: "beta" | "betaTilde"): number {
  const beta = s.beta[t - 1];
  const alpha = 1 - beta;
  const abar = s.alphaBar[t - 1];
  const abarPrev = s.alphaBar[t - 2];
  const {weights, means, variances} = ring;
  const logr = Array.from(weights, (w, k) => {
    const v = abar * variances[k] + 1 - abar;
    const d2 = (xt[0] - Math.sqrt(abar) * means[2 * k]) ** 2 + (xt[1] - Math.sqrt(abar) * means[2 * k + 1]) ** 2;
    return Math.log(w) - Math.log(2 * Math.PI * v) - d2 / (2 * v);
  });
  const top = Math.max(...logr);
  const r = logr.map((l) => Math.exp(l - top));
  const total = r.reduce((a, b) => a + b, 0);
  const epsStar = [0, 1].map((d) =>
    r.reduce((sum, rk, k) => sum + ((rk / total) * Math.sqrt(1 - abar) * (xt[d] - Math.sqrt(abar) * means[2 * k + d])) / (abar * variances[k] + 1 - abar), 0)
  );
  const betaTilde = ((1 - abarPrev) / (1 - abar)) * beta;
  const sigma2 = kind === "beta" ? beta : betaTilde;
  const muTilde = [0, 1].map((d) => ((Math.sqrt(abarPrev) * beta) / (1 - abar)) * x0[d] + ((Math.sqrt(alpha) * (1 - abarPrev)) / (1 - abar)) * xt[d]);
  const mu = [0, 1].map((d) => (xt[d] - (beta / Math.sqrt(1 - abar)) * epsStar[d]) / Math.sqrt(alpha));
  const ratio = betaTilde / sigma2;
  return ratio - 1 - Math.log(ratio) + ((muTilde[0] - mu[0]) ** 2 + (muTilde[1] - mu[1]) ** 2) / (2 * sigma2);
}

test("the explorer's KL is L_{t−1} with ε* computed by hand, split into its means' and variances' parts", () => {
  for (const t of [2, 20, 300, 1000]) {
    const xt = qSample(s, x0, t, [0.6, -0.9]);
    for (const kind of ["betaTilde", "beta"] as const) {
      const st = posteriorExplorerState(s, ring, t, x0, xt, kind);
      const expected = klByHand(t, x0, xt, kind);
      assert.ok(Math.abs(st.kl - expected) <= 1e-9 * expected + 1e-15, `t=${t} ${kind}: ${st.kl} vs ${expected}`);
      assert.ok(Math.abs(st.klMeans + st.klVariances - st.kl) <= 1e-12 * Math.max(1, st.kl), `t=${t} ${kind}`);
      if (kind === "betaTilde") assert.equal(st.klVariances, 0);
      else assert.ok(st.klVariances >= 0);
    }
  }
});

test("Eq. 11 with ε* is Eq. 7 at E[x_0|x_t], so the KL vanishes when x_0 = E[x_0|x_t]", () => {
  for (const t of [2, 5, 50, 400]) {
    const xt = qSample(s, x0, t, [-0.3, 1.2]);
    const st = posteriorExplorerState(s, ring, t, x0, xt);
    assert.ok(explorerConsistencyPasses(st), `t=${t}: gap ${st.consistencyGap}`);
    // E[x_0|x_t] from ε* equals the mixture's posterior mean of x_0, computed the other way.
    const direct = posteriorX0Mean(ring, s, xt, t);
    for (let d = 0; d < 2; d++) assert.ok(Math.abs(st.x0Hat[d] - direct[d]) < 1e-9, `t=${t}`);
    const snapped = posteriorExplorerState(s, ring, t, st.x0Hat, xt);
    assert.ok(snapped.kl < 1e-18, `t=${t}: KL ${snapped.kl} at x_0 = E[x_0|x_t]`);
    assert.ok(st.kl > 0);
  }
});

test("a wrong μ̃_t (the slides' 2×) makes the explorer's own check fail", () => {
  const t = 20;
  const xt = qSample(s, x0, t, [0.6, -0.9]);
  assert.ok(explorerConsistencyPasses(posteriorExplorerState(s, ring, t, x0, xt)));
  // A schedule whose posterior-mean coefficients are doubled: μ̃_t = 2(c₁x_0 + c₂x_t), the slides' slip.
  const slides = {...s, posteriorMeanCoef1: s.posteriorMeanCoef1.map((c) => 2 * c), posteriorMeanCoef2: s.posteriorMeanCoef2.map((c) => 2 * c)};
  const wrong = posteriorExplorerState(slides, ring, t, x0, xt);
  assert.ok(wrong.consistencyGap > 0.1, `gap ${wrong.consistencyGap}`);
  assert.equal(explorerConsistencyPasses(wrong), false);
});

test("E[L_{t−1} | x_t] of the explorer agrees with Monte Carlo over (x_0, x_t) ~ q", () => {
  // Draw n pairs from the joint; the mean KL and the mean of expectedKl(x_t) estimate the same number.
  // Compared in standard errors of the paired difference (n = 4000: z within ±4 fails by chance < 1e-4).
  const n = 4000;
  for (const t of [5, 100]) {
    const rng = createRng(t);
    const x0s = sampleMixture(ring, n, rng);
    const xts = qSample(s, x0s, t, rng.normals(2 * n));
    const diff = new Float64Array(n);
    let meanKl = 0;
    for (let j = 0; j < n; j++) {
      const st = posteriorExplorerState(s, ring, t, x0s.subarray(2 * j, 2 * j + 2), xts.subarray(2 * j, 2 * j + 2));
      diff[j] = st.kl - st.expectedKl;
      meanKl += st.kl / n;
    }
    const m = diff.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(diff.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
    const z = m / (sd / Math.sqrt(n));
    console.log(`t=${t}: mean KL ${meanKl.toFixed(5)}, mean difference ${m.toExponential(2)}, z = ${z.toFixed(2)}`);
    assert.ok(Math.abs(z) < 4, `t=${t}: mean KL ${meanKl}, difference ${m} (z = ${z})`);
  }
});

test("the explorer refuses t = 1 and non-2D points", () => {
  assert.throws(() => posteriorExplorerState(s, ring, 1, x0, x0), /t ≥ 2/);
  assert.throws(() => posteriorExplorerState(s, ring, 5, [1, 2, 3], [1, 2, 3]), /2D/);
});
