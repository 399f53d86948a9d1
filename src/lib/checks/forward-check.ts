/**
 * Live checks that the pages run in the reader's browser: each compares a formula of the paper
 * with an independent computation and returns the statistics and a verdict.
 */
import {qSample, runChain} from "../forward.js";
import type {Rng} from "../random.js";
import {checkT, type Schedule} from "../schedule.js";

/** How far a sample statistic may stray from its expected value, in standard errors. */
export const Z_LIMIT = 4;

export interface ResidualMoments {
  /** Mean of the residuals x_t − √ᾱ_t x_0 over every coordinate (expected 0). */
  mean: number;
  /** Their variance (expected 1 − ᾱ_t, Eq. 4). */
  variance: number;
  /** (mean − 0) / its standard error √((1 − ᾱ_t)/m). */
  zMean: number;
  /** (variance − (1 − ᾱ_t)) / its standard error (1 − ᾱ_t)·√(2/(m − 1)) for Gaussian residuals. */
  zVariance: number;
  pass: boolean;
}

/**
 * Tests x_t ~ q(x_t|x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) (Eq. 4) on paired samples: the residuals
 * x_t − √ᾱ_t x_0 must have mean 0 and variance 1 − ᾱ_t; both are compared in standard errors
 * of their m = N·D residuals.
 */
export function residualMoments(s: Schedule, x0: ArrayLike<number>, xt: ArrayLike<number>, t: number): ResidualMoments {
  checkT(s, t);
  if (x0.length !== xt.length) throw new Error(`x0 has ${x0.length} values, xt has ${xt.length}`);
  const m = x0.length;
  if (m < 2) throw new Error("need at least 2 residuals");
  const a = s.sqrtAlphaBar[t - 1];
  const expected = s.oneMinusAlphaBar[t - 1];
  let sum = 0;
  for (let i = 0; i < m; i++) sum += xt[i] - a * x0[i];
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (xt[i] - a * x0[i] - mean) ** 2;
  const variance = ss / (m - 1);
  const zMean = mean / Math.sqrt(expected / m);
  const zVariance = (variance - expected) / (expected * Math.sqrt(2 / (m - 1)));
  return {mean, variance, zMean, zVariance, pass: Math.abs(zMean) < Z_LIMIT && Math.abs(zVariance) < Z_LIMIT};
}

export interface ChainCheck {
  t: number;
  n: number;
  expectedVariance: number;
  /** x_t from t steps of q(x_t|x_{t−1}) (Eq. 2). */
  chain: Float64Array;
  /** x_t from one jump with the closed form (Eq. 4). */
  jump: Float64Array;
  chainMoments: ResidualMoments;
  jumpMoments: ResidualMoments;
  pass: boolean;
}

/**
 * The Forward page's check: runs the Markov chain step by step from every x_0 to step t and
 * jumps there in one step with the closed form, then tests both against N(√ᾱ_t x_0, (1 − ᾱ_t) I).
 */
export function chainVersusClosedForm(s: Schedule, x0: ArrayLike<number>, t: number, rng: Rng): ChainCheck {
  checkT(s, t);
  const chain = runChain(s, x0, t, rng);
  const jump = qSample(s, x0, t, rng.normals(x0.length));
  const chainMoments = residualMoments(s, x0, chain, t);
  const jumpMoments = residualMoments(s, x0, jump, t);
  return {
    t,
    n: x0.length / 2,
    expectedVariance: s.oneMinusAlphaBar[t - 1],
    chain,
    jump,
    chainMoments,
    jumpMoments,
    pass: chainMoments.pass && jumpMoments.pass
  };
}
