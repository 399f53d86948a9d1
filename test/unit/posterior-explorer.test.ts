// The Reverse-process page's 2D explorer: its KL is the core's L_{t−1}, the optimal model's mean is
// the posterior mean at E[x_0|x_t], and the averaged KL it reports agrees with Monte Carlo.
import {test} from "node:test";
import assert from "node:assert/strict";
import {transitionTerm} from "../../src/lib/bound.ts";
import {datasetMixture} from "../../src/lib/datasets.ts";
import {qSample} from "../../src/lib/forward.ts";
import {optimalEps, posteriorX0Mean, sampleMixture} from "../../src/lib/mixture.ts";
import {explorerConsistencyPasses, posteriorExplorerState} from "../../src/lib/posterior-explorer.ts";
import {posteriorMean} from "../../src/lib/posterior.ts";
import {createRng} from "../../src/lib/random.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);
const ring = datasetMixture("ring-8")!;
const x0: [number, number] = [1.43, 0.28];

test("the explorer's KL is transitionTerm with ε*, split into its means' and variances' parts", () => {
  for (const t of [2, 20, 300, 1000]) {
    const xt = qSample(s, x0, t, [0.6, -0.9]);
    for (const kind of ["betaTilde", "beta"] as const) {
      const st = posteriorExplorerState(s, ring, t, x0, xt, kind);
      const expected = transitionTerm(s, x0, xt, t, optimalEps(ring, s, xt, t), kind)[0];
      assert.equal(st.kl, expected);
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

test("a wrong μ_θ (the slides' 2× in μ̃_t) would fail the explorer's check", () => {
  const t = 20;
  const xt = qSample(s, x0, t, [0.6, -0.9]);
  const st = posteriorExplorerState(s, ring, t, x0, xt);
  const twice = posteriorMean(s, st.x0Hat, xt, t).map((v) => 2 * v);
  const wrong = {...st, consistencyGap: Math.hypot(st.muTheta[0] - twice[0], st.muTheta[1] - twice[1])};
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
