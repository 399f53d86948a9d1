// The Reverse-process page's grid check: Bayes' rule evaluated numerically agrees with the closed
// form of Eq. 6–7 to rounding, and the check fails for the slides' wrong variance and mean.
import {test} from "node:test";
import assert from "node:assert/strict";
import {
  POSTERIOR_GRID_TOLERANCE,
  bayesPosteriorOnGrid,
  posteriorGridCheck,
  posteriorPlotCurves
} from "../../src/lib/checks/posterior-check.ts";
import {posteriorMean, posteriorVariance} from "../../src/lib/posterior.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const s = makeSchedule(DEFAULT_SCHEDULE);
const closed = (t: number, x0: number, xt: number) => ({mean: posteriorMean(s, [x0], [xt], t)[0], variance: posteriorVariance(s, t)});
// (x_0, x_t) pairs: typical, far apart (an improbable x_t), at the origin, and at opposite edges.
const PAIRS: [number, number][] = [[1, 0.95], [-2.5, 2.9], [0, 0], [3, -3]];
const STEPS = [2, 3, 10, 100, 500, 999, 1000];

test("Bayes' rule on a grid matches μ̃_t and β̃_t (Eq. 7) and Bayes' denominator matches q(x_t|x_0) (Eq. 4)", () => {
  for (const t of STEPS) {
    for (const [x0, xt] of PAIRS) {
      const c = posteriorGridCheck(s, t, x0, xt, closed(t, x0, xt));
      // The grid is exact to ~1e-13 here (see POSTERIOR_GRID_TOLERANCE); the check allows 1e-9.
      assert.ok(c.pass, `t=${t} x0=${x0} xt=${xt}: mean ${c.meanError}, variance ${c.varianceError}, normaliser ${c.normaliserError}`);
      assert.ok(Math.max(c.meanError, c.varianceError, c.normaliserError) < 1e-11, `t=${t}: errors larger than rounding`);
    }
  }
});

test("the check fails for the slides' variance β_t I in place of β̃_t I, even at t = T", () => {
  for (const t of [2, 10, 1000]) {
    const c = posteriorGridCheck(s, t, 1, 0.95, {mean: closed(t, 1, 0.95).mean, variance: s.beta[t - 1]});
    assert.equal(c.pass, false, `t=${t}`);
    // At t = 2 the two differ by a factor 0.45; at t = T by 8e-7, still 800× the tolerance.
    assert.ok(c.varianceError > 100 * POSTERIOR_GRID_TOLERANCE);
  }
  const small = posteriorGridCheck(s, 2, 1, 0.95, {mean: closed(2, 1, 0.95).mean, variance: s.beta[1]});
  assert.ok(Math.abs(small.varianceError - (s.beta[1] / s.betaTilde[1] - 1) / (s.beta[1] / s.betaTilde[1])) < 1e-9);
});

test("a grid passed in is the one used: the same verdict as computing it afresh", () => {
  const right = posteriorGridCheck(s, 7, 0.3, -0.4, closed(7, 0.3, -0.4));
  const wrong = {mean: closed(7, 0.3, -0.4).mean, variance: s.beta[6]};
  const reused = posteriorGridCheck(s, 7, 0.3, -0.4, wrong, {grid: right.grid});
  const fresh = posteriorGridCheck(s, 7, 0.3, -0.4, wrong);
  assert.equal(reused.grid, right.grid);
  assert.deepEqual({...reused, grid: null}, {...fresh, grid: null});
});

test("the check fails for the slides' other slips: the 2s left in μ̃_t, and 1 − ᾱ_t for 1 − ᾱ_{t−1}", () => {
  for (const t of [2, 50, 500]) {
    const good = closed(t, 1, 0.95);
    // The slide divides "2√α_t/β_t x_t + 2√ᾱ_{t−1}/(1 − ᾱ_{t−1}) x_0" by the quadratic coefficient: twice μ̃_t.
    assert.equal(posteriorGridCheck(s, t, 1, 0.95, {mean: 2 * good.mean, variance: good.variance}).pass, false);
    // The expanded exponent with 1 − ᾱ_t under ‖x_{t−1}‖²: quadratic coefficient α_t/β_t + 1/(1 − ᾱ_t).
    const slipVariance = 1 / (s.alpha[t - 1] / s.beta[t - 1] + 1 / s.oneMinusAlphaBar[t - 1]);
    assert.equal(posteriorGridCheck(s, t, 1, 0.95, {mean: good.mean, variance: slipVariance}).pass, false);
  }
});

test("the grid density is normalised and its window holds the whole posterior", () => {
  const g = bayesPosteriorOnGrid(s, 5, 0.3, -0.2);
  let mass = 0;
  for (let i = 0; i < g.density.length; i++) mass += g.density[i] * g.spacing * (i === 0 || i === g.density.length - 1 ? 0.5 : 1);
  assert.ok(Math.abs(mass - 1) < 1e-12);
  // Both ends are > 12 posterior standard deviations from the mean.
  const sd = Math.sqrt(g.variance);
  assert.ok(g.mean - g.grid[0] > 12 * sd && g.grid[g.grid.length - 1] - g.mean > 12 * sd);
  assert.ok(g.density[0] < 1e-25 && g.density[g.density.length - 1] < 1e-25);
});

test("plot curves: the Bayes curve and N(μ̃_t, β̃_t) coincide on the plotted x", () => {
  const t = 3;
  const c = posteriorGridCheck(s, t, 1, 0.95, closed(t, 1, 0.95));
  const curves = posteriorPlotCurves(c.grid, [{mean: c.closedMean, variance: c.closedVariance}]);
  assert.ok(curves.bayes.x.length > 100 && curves.bayes.x.length <= 500);
  let peak = 0;
  for (let i = 0; i < curves.bayes.x.length; i++) {
    peak = Math.max(peak, curves.bayes.y[i]);
    assert.ok(Math.abs(curves.bayes.y[i] - curves.gaussians[0].y[i]) < 1e-9 * Math.max(1, curves.gaussians[0].y[i]));
  }
  assert.ok(Math.abs(peak - 1 / Math.sqrt(2 * Math.PI * c.closedVariance)) / peak < 1e-3);
});

test("bayesPosteriorOnGrid refuses t = 1 (a point mass), bad inputs and even grids", () => {
  assert.throws(() => bayesPosteriorOnGrid(s, 1, 0, 0), /t ≥ 2/);
  assert.throws(() => bayesPosteriorOnGrid(s, 0, 0, 0), /outside/);
  assert.throws(() => bayesPosteriorOnGrid(s, 2, Number.NaN, 0), /finite/);
  assert.throws(() => bayesPosteriorOnGrid(s, 2, 0, 0, 1000), /odd/);
});
