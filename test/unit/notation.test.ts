// The Notation page's check: the code's per-step arrays agree with the paper's definitions at every
// t, and an array shifted by one step (the classic t against t − 1 slip) is caught.
import {test} from "node:test";
import assert from "node:assert/strict";
import {NOTATION_TOLERANCE, notationCheck, notationValues} from "../../src/lib/checks/notation.js";
import {DEFAULT_SCHEDULE, makeSchedule, type Schedule} from "../../src/lib/schedule.js";

const s = makeSchedule(DEFAULT_SCHEDULE);

test("every quantity agrees with its definition at every t of the paper's schedule", () => {
  let worst = 0;
  for (let t = 1; t <= s.T; t++) {
    const c = notationCheck(s, t);
    assert.ok(c.pass, `t = ${t}: ${c.worst.code} ${c.worst.fromCode} vs ${c.worst.fromDefinition}`);
    worst = Math.max(worst, c.worst.relErr);
  }
  // Rounding alone: ~1e-12 at worst (see notationCheck), well inside the tolerance.
  assert.ok(worst < 1e-11, `worst relative error ${worst}`);
  assert.ok(NOTATION_TOLERANCE >= 100 * worst);
});

test("known values: β_1 = 1e-4, ᾱ_T ≈ 4.036e-5, β̃_1 = 0 (σ_1² falls back to β̃_2)", () => {
  const at1 = notationValues(s, 1);
  const get = (values: typeof at1, code: string) => values.find((v) => v.code === code)!.fromCode;
  assert.equal(get(at1, "s.beta[t − 1]"), 1e-4);
  assert.equal(get(at1, "s.betaTilde[t − 1]"), 0);
  assert.equal(get(at1, "s.alphaBarPrev[t − 1]"), 1);
  assert.ok(Math.abs(get(at1, 'sigmaSquared(s, t, "betaTilde")') - s.betaTilde[1]) < 1e-20);
  const atT = notationValues(s, 1000);
  assert.ok(Math.abs(get(atT, "s.alphaBar[t − 1]") - 4.0358e-5) < 1e-8);
  assert.equal(get(atT, "s.beta[t − 1]"), 0.02);
});

test("an array shifted by one step fails the check", () => {
  const shifted: Schedule = {...s, alphaBar: Float64Array.from(s.alphaBar, (_, i) => s.alphaBar[Math.max(0, i - 1)])};
  for (const t of [2, 100, 1000]) assert.equal(notationCheck(shifted, t).pass, false, `t = ${t}`);
  const wrongTilde: Schedule = {...s, betaTilde: Float64Array.from(s.betaTilde, (_, i) => s.betaTilde[Math.min(s.T - 1, i + 1)])};
  assert.equal(notationCheck(wrongTilde, 500).pass, false);
  assert.throws(() => notationValues(makeSchedule({kind: "cosine"}), 3), /linear schedule/);
  assert.throws(() => notationValues(s, 0), /outside 1..1000/);
});
