// The objectives' per-t weights (Algorithm 1 with L_simple, the true bound, or the hybrid).
import {test} from "node:test";
import assert from "node:assert/strict";
import {lossWeights} from "../../src/lib/loss-weights.ts";
import {trueBoundWeight} from "../../src/lib/posterior.ts";
import {makeSchedule} from "../../src/lib/schedule.ts";
import {mean} from "./helpers.ts";

const schedule = makeSchedule({kind: "linear", T: 1000});

test("lossWeights: 1 for L_simple; λ_t (Eq. 12) and 1 + cTλ_t normalised to mean 1 for vlb and hybrid", () => {
  assert.ok(lossWeights(schedule, "simple").every((w) => w === 1));
  for (const kind of ["beta", "betaTilde"] as const) {
    const vlb = lossWeights(schedule, "vlb", kind);
    const hybrid = lossWeights(schedule, "hybrid", kind, 0.001);
    assert.ok(Math.abs(mean(vlb) - 1) < 1e-12 && Math.abs(mean(hybrid) - 1) < 1e-12);
    const ratio = vlb[499] / vlb[9]; // a ratio is free of the normalisation
    assert.ok(Math.abs(ratio / (trueBoundWeight(schedule, 500, kind) / trueBoundWeight(schedule, 10, kind)) - 1) < 1e-12);
    const h = (t: number) => 1 + 0.001 * 1000 * trueBoundWeight(schedule, t, kind);
    assert.ok(Math.abs(hybrid[499] / hybrid[9] - h(500) / h(10)) < 1e-12);
    assert.ok(vlb[0] > vlb[999], "the bound weights small t most");
  }
  assert.throws(() => lossWeights(schedule, "l1" as never), /loss must be/);
});
