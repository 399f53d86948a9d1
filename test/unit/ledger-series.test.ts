import {test} from "node:test";
import assert from "node:assert/strict";
import {termCoefficients} from "../../src/lib/bound.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {ledgerReadings, ledgerSeries} from "../../src/components/ledger-series.js";

test("the ledger chart puts each term with its own ε error and weight: L_k = λ·E‖ε − ε_θ‖² + C at every plotted k", () => {
  const s = makeSchedule(DEFAULT_SCHEDULE);
  const T = s.T;
  // A ledger laid out as src/model/ledger.ts lays it out: index t − 1 for terms, errors and weights.
  const epsError = Float64Array.from({length: T}, (_, i) => 0.3 + 0.5 * Math.sin(i / 37) ** 2);
  const weight = new Float64Array(T);
  const terms = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) {
    const c = termCoefficients(s, t, "beta");
    weight[t - 1] = c.weight;
    terms[t - 1] = c.weight * epsError[t - 1] + c.constant;
  }
  terms[T] = 4e-5;
  const series = ledgerSeries({terms, epsError, weight});
  assert.equal(series.k.length, T - 1);
  assert.deepEqual([series.k[0], series.k.at(-1)], [1, T - 1]);
  series.k.forEach((k, i) => {
    const c = termCoefficients(s, k + 1, "beta"); // L_k is the term of step t = k + 1
    assert.ok(Math.abs(series.term[i] - (series.weight[i] * series.epsError[i] + c.constant)) < 1e-12, `k = ${k}`);
    assert.equal(series.weight[i], c.weight);
  });
  assert.throws(() => ledgerSeries({terms, epsError: epsError.slice(1), weight}), /needs 1000 ε errors and weights/);
});

test("the chart's table reads the series at k = 1, 2, 5, 10, … and at its last k, each with its own numbers", () => {
  const T = 1000;
  const terms = Float64Array.from({length: T + 1}, (_, i) => 1000 + i);
  const epsError = Float64Array.from({length: T}, (_, i) => 2000 + i);
  const weight = Float64Array.from({length: T}, (_, i) => 3000 + i);
  const rows = ledgerReadings(ledgerSeries({terms, epsError, weight}));
  assert.deepEqual(rows.map((r) => r.k), [1, 2, 5, 10, 20, 50, 100, 200, 500, 999]);
  for (const r of rows) assert.deepEqual([r.term, r.epsError, r.weight], [1000 + r.k, 2000 + r.k, 3000 + r.k]);
  // A short chain: T = 4 plots k = 1 … 3.
  const short = ledgerSeries({terms: Float64Array.from([0, 1, 2, 3, 4]), epsError: Float64Array.from([0, 1, 2, 3]), weight: Float64Array.from([0, 1, 2, 3])});
  assert.deepEqual(ledgerReadings(short).map((r) => r.k), [1, 2, 3]);
});
