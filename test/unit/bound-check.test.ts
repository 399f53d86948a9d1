import {test} from "node:test";
import assert from "node:assert/strict";
import {boundTerms} from "../../src/lib/bound.ts";
import {
  chainLogRatio,
  entropyCheck,
  ledgerCheck,
  memoizeByT,
  prefetch,
  priorTermCurve,
  priorTermVerdict,
  Z_LIMIT
} from "../../src/lib/checks/bound-check.ts";
import {runAsync, runSync} from "../../src/lib/work.ts";
import {datasetMixture, sampleDataset} from "../../src/lib/datasets.ts";
import {optimalEpsPredictor, sampleMixture, type GaussianMixture} from "../../src/lib/mixture.ts";
import {createRng} from "../../src/lib/random.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);
const ring = datasetMixture("ring-8")!;
const ringEps = optimalEpsPredictor(ring, s);
// Standard normal data: q(x_t) = N(0, I) at every t and ε*(x_t, t) = √(1 − ᾱ_t) x_t. With σ_t² = β_t
// the reverse chain p_θ equals the true reverse of q (a stationary, reversible Gaussian chain), so
// p_θ(x_{0:T}) = q(x_{0:T}) and the bound is exactly the entropy (D/2) log(2πe) = log(2πe) in 2D.
const normal: GaussianMixture = {dim: 2, weights: Float64Array.of(1), means: Float64Array.of(0, 0), variances: Float64Array.of(1)};
const normalEps = optimalEpsPredictor(normal, s);
const LOG_2PI_E = Math.log(2 * Math.PI * Math.E);

test("memoizeByT replays an answer for the same x_t, recomputes for another", () => {
  let calls = 0;
  const memo = memoizeByT((xt, t) => {
    calls++;
    return Float64Array.from(xt, (v) => v * t);
  });
  const a = Float64Array.of(1, 2);
  assert.deepEqual(Array.from(memo(a, 3)), [3, 6]);
  assert.deepEqual(Array.from(memo(Float64Array.of(1, 2), 3)), [3, 6]);
  assert.equal(calls, 1);
  assert.deepEqual(Array.from(memo(Float64Array.of(1, 2.5), 3)), [3, 7.5]);
  assert.deepEqual(Array.from(memo(a, 4)), [4, 8]);
  assert.equal(calls, 3);
  assert.equal(memo.misses, 3);
});

test("prefetch evaluates ε_θ on exactly the x_t that boundTerms draws", () => {
  const x0 = sampleDataset("ring-8", 50, 3);
  const memo = memoizeByT(ringEps);
  runSync(prefetch(s, x0, memo, 17));
  assert.equal(memo.misses, s.T);
  const cached = boundTerms(s, x0, memo, {rng: createRng(17)});
  assert.equal(memo.misses, s.T, "boundTerms asked about other x_t than prefetch drew");
  const direct = boundTerms(s, x0, ringEps, {rng: createRng(17)});
  assert.equal(cached.total, direct.total);
});

test("(a) on the ring with ε*: the ledger adds up and agrees with the trajectory estimate, both σ² choices", () => {
  const x0 = sampleDataset("ring-8", 300, 5);
  const results = runSync(ledgerCheck(s, x0, ringEps, {seed: 11}));
  assert.deepEqual(results.map((r) => r.kind), ["betaTilde", "beta"]);
  for (const r of results) {
    assert.equal(r.sums.count, s.T + 1);
    assert.ok(r.sums.relDiff < 1e-12, `${r.kind}: Σ terms off by ${r.sums.relDiff}`);
    assert.ok(r.sums.L0 < 0, "L_0 is a log density of a tight decoder: negative here");
    assert.ok(r.sums.LT > 0 && r.sums.LT < 1e-4);
    assert.ok(r.pass, `${r.kind}: ledger ${r.sums.total} ± ${r.sums.totalStdErr}, chain ${r.chain.value} ± ${r.chain.stdErr}, z = ${r.z}`);
  }
});

test("(a) both routes give log(2πe) exactly when p_θ is the true reverse of N(0, I) data (σ² = β)", () => {
  // 400 examples: the chain's log-ratio is −log N(x_0; 0, I) per example, variance D/2 = 1, SE 0.05.
  const x0 = sampleMixture(normal, 400, createRng(8));
  const [r] = runSync(ledgerCheck(s, x0, normalEps, {seed: 21, kinds: ["beta"]}));
  assert.ok(Math.abs(r.chain.stdErr - 0.05) < 0.01, `chain SE ${r.chain.stdErr}`);
  for (const [what, e] of [["ledger", {value: r.ledger.total, stdErr: r.ledger.totalStdErr}], ["chain", r.chain]] as const) {
    const z = (e.value - LOG_2PI_E) / e.stdErr;
    assert.ok(Math.abs(z) < Z_LIMIT, `${what}: ${e.value} ± ${e.stdErr} vs log(2πe) = ${LOG_2PI_E}`);
  }
  assert.ok(r.pass);
});

test("(a) can fail: a ledger of ε* against trajectories of another model", () => {
  const x0 = sampleDataset("ring-8", 300, 6);
  const ledger = boundTerms(s, x0, ringEps, {rng: createRng(1)});
  const zero = (xt: Float64Array) => new Float64Array(xt.length);
  const chain = runSync(chainLogRatio(s, x0, zero, createRng(2), ["betaTilde"])).get("betaTilde")!;
  const z = (ledger.total - chain.value) / Math.hypot(ledger.totalStdErr, chain.stdErr);
  assert.ok(Math.abs(z) > 10, `z = ${z}: a predictor of 0 must give a far larger bound`);
});

test("(b) on the ring with ε*: the bound lies above the entropy for both σ² choices", () => {
  const result = runSync(entropyCheck(s, ring, ringEps, {seed: 31}));
  assert.ok(result.pass, JSON.stringify(result.kinds.map((k) => [k.kind, k.gap.value, k.gap.stdErr])));
  // The entropy of the ring: 8 equal modes of std 0.1, so far apart (≈ 10 std) that they barely
  // overlap: log 8 + log(2πe·0.01) ≈ 0.312. mixtureEntropy's 20,000 draws give it to ±0.007.
  const exact = Math.log(8) + Math.log(2 * Math.PI * Math.E * 0.01);
  assert.ok(Math.abs(result.entropy.value - exact) < 4 * result.entropy.stdErr + 1e-3, `${result.entropy.value} vs ${exact}`);
  const [tilde, beta] = result.kinds;
  // β̃ is ~1 nat loose with ε* here, β ~0.04: the data look Gaussian at the scale of the noise.
  assert.ok(tilde.gap.value > 0.5 && tilde.z > Z_LIMIT);
  assert.ok(beta.gap.value < tilde.gap.value);
});

test("(b) the paired gap is 0 within its noise when the bound is tight (N(0, I), σ² = β)", () => {
  const result = runSync(entropyCheck(s, normal, normalEps, {seed: 41, n: 300, kinds: ["beta", "betaTilde"]}));
  const [beta, tilde] = result.kinds;
  assert.ok(Math.abs(beta.z) < Z_LIMIT, `gap ${beta.gap.value} ± ${beta.gap.stdErr}`);
  assert.ok(Math.abs(beta.bound.value - LOG_2PI_E) < Z_LIMIT * beta.bound.stdErr);
  assert.ok(tilde.z > Z_LIMIT, "σ² = β̃ is not the true reverse variance of N(0, I) data: a positive gap");
});

test("(c) L_T against T: large for a short chain, ~ᾱ_T·E‖x_0‖²/2 at T = 1000", () => {
  const x0 = sampleDataset("ring-8", 2000, 1);
  const curve = priorTermCurve(x0);
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i].LT < curve[i - 1].LT, `L_T not decreasing at T = ${curve[i].T}`);
  const {short, paper, pass} = priorTermVerdict(curve);
  assert.ok(pass);
  assert.ok(Math.abs(short.alphaBarT - 0.9037) < 1e-3);
  assert.ok(short.LT > 2);
  // KL per coordinate ≈ ᾱ_T x²/2 for ᾱ_T ≪ 1; E x² = 1 per coordinate (standardised data), SE of the
  // sample mean of ‖x_0‖² over 2,000 points ≈ 1%.
  assert.ok(Math.abs(paper.LT / paper.alphaBarT - 1) < 0.05, `L_T/ᾱ_T = ${paper.LT / paper.alphaBarT}`);
  // A schedule that stops at β_T = 1e-3 keeps ᾱ_1000 ≈ 0.6: the verdict must fail.
  assert.equal(priorTermVerdict(priorTermCurve(x0, [10, 1000], 1e-4, 1e-3)).pass, false);
});

test("runAsync gives what runSync gives", async () => {
  function* count(): Generator<number, number, void> {
    let sum = 0;
    for (let i = 1; i <= 100; i++) {
      sum += i;
      yield i / 100;
    }
    return sum;
  }
  const seen: number[] = [];
  assert.equal(await runAsync(count(), {sliceMs: 0, onProgress: (d) => seen.push(d)}), runSync(count()));
  assert.ok(seen.length > 0 && seen.every((d) => d > 0 && d <= 1));
});
