import {test} from "node:test";
import assert from "node:assert/strict";
import {chainVersusClosedForm, residualMoments} from "../../src/lib/checks/forward-check.ts";
import {runChain} from "../../src/lib/forward.ts";
import {createRng} from "../../src/lib/random.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);
const x0 = createRng(7).normals(4000); // 2,000 2D points

test("the chain and the closed form both pass at small, middle and final t", () => {
  for (const t of [1, 10, 250, 1000]) {
    const check = chainVersusClosedForm(s, x0, t, createRng(t));
    assert.ok(check.pass, `t=${t}: chain z=${check.chainMoments.zMean}/${check.chainMoments.zVariance}, jump z=${check.jumpMoments.zMean}/${check.jumpMoments.zVariance}`);
    assert.equal(check.n, 2000);
  }
});

test("the check fails for a chain run with another schedule (it can fail)", () => {
  // β doubled: at t = 100 the variance is ≈1.9× the linear schedule's, dozens of standard errors off.
  const doubled = makeSchedule({kind: "custom", beta: Array.from(s.beta, (b) => 2 * b)});
  const wrong = runChain(doubled, x0, 100, createRng(1));
  assert.equal(residualMoments(s, x0, wrong, 100).pass, false);
  // One step short is also caught at small t, where one step changes the variance by 1/t.
  const short = runChain(s, x0, 9, createRng(2));
  const m = residualMoments(s, x0, short, 10);
  assert.equal(m.pass, false, `z=${m.zVariance}`);
});

test("residualMoments refuses mismatched inputs and t outside 1..T", () => {
  assert.throws(() => residualMoments(s, x0, x0.subarray(2), 5), /x0 has/);
  assert.throws(() => residualMoments(s, x0, x0, 0), /t = 0/);
});
