import {test} from "node:test";
import assert from "node:assert/strict";
import {createRng, seedState} from "../../src/lib/random.js";

test("seedState is MurmurHash3's fmix32 (independent BigInt computation)", () => {
  const fmix = (seed: number) => {
    let h = BigInt(seed >>> 0);
    h = ((h ^ (h >> 16n)) * 0x85ebca6bn) % 2n ** 32n;
    h = ((h ^ (h >> 13n)) * 0xc2b2ae35n) % 2n ** 32n;
    return Number(h ^ (h >> 16n));
  };
  for (const seed of [0, 1, 2, 42, 7919, 123456789, 4294967295]) assert.equal(seedState(seed), fmix(seed), `seed ${seed}`);
});

test("the uniform stream is the LCG state/2³² with Numerical Recipes' constants (bit-exact, any machine)", () => {
  // Independently, in BigInt: state ← (1664525·state + 1013904223) mod 2³², output state/2³².
  for (const seed of [1, 42, 123456789]) {
    const rng = createRng(seed);
    let state = BigInt(seedState(seed));
    for (let i = 0; i < 1000; i++) {
      state = (1664525n * state + 1013904223n) % 4294967296n;
      assert.equal(rng.uniform(), Number(state) / 4294967296, `seed ${seed}, draw ${i}`);
    }
  }
});

test("same seed, same stream; normals(n) continues the normal stream; moments of N(0, 1)", () => {
  const a = createRng(7);
  const b = createRng(7);
  const first = [a.normal(), a.normal(), a.normal()];
  assert.deepEqual(Array.from(b.normals(3)), first);
  assert.notDeepEqual(Array.from(createRng(8).normals(3)), first);
  const n = 100_000;
  const z = createRng(3).normals(n);
  let m = 0, m2 = 0, m4 = 0;
  for (const v of z) [m, m2, m4] = [m + v / n, m2 + (v * v) / n, m4 + v ** 4 / n];
  // SE: mean 1/√n ≈ 0.0032; E z² (sd √2) √2/√n ≈ 0.0045; E z⁴ = 3 (sd √96) ≈ 0.031; 4 SE each.
  assert.ok(Math.abs(m) < 4 / Math.sqrt(n), `mean ${m}`);
  assert.ok(Math.abs(m2 - 1) < 4 * Math.sqrt(2 / n), `E z² ${m2}`);
  assert.ok(Math.abs(m4 - 3) < 4 * Math.sqrt(96 / n), `E z⁴ ${m4}`);
  const u = createRng(4);
  for (let i = 0; i < 1000; i++) {
    const x = u.uniform();
    assert.ok(x >= 0 && x < 1);
  }
  assert.throws(() => createRng(NaN), /seed must be a finite number, got NaN/);
  assert.throws(() => createRng(1).normals(-1), /n must be an integer ≥ 0, got -1/);
});
