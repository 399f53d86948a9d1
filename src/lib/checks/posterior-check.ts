/**
 * The Reverse-process page's first live check: the posterior q(x_{t−1}|x_t, x_0) of Eq. 6–7,
 * found by completing the square, against Bayes' rule evaluated numerically on a grid of x_{t−1}.
 * Scalars suffice: q is isotropic, so each coordinate is an independent copy of the 1-D problem.
 */
import {checkT, type Schedule} from "../schedule.js";

/**
 * Default number of grid points: the spacing is 24w/4000 for the narrower factor's width w, and the
 * posterior's σ ≥ w/√2, so there are over 100 points per σ (see bayesPosteriorOnGrid).
 */
export const POSTERIOR_GRID_POINTS = 4001;
/** Half-width of the grid in units of the narrower factor's standard deviation (≥ 12 posterior σ). */
export const POSTERIOR_GRID_HALF_WIDTH = 12;
/**
 * Tolerance of the check, relative: the grid's own error is far below it (the trapezoid rule on a
 * Gaussian sampled 100 times per σ errs by ~exp(−2π²·100²), the cut tails hold < 1e-32), so what is
 * left is floating-point rounding, ~1e-13 here. 1e-9 leaves four orders of margin and still sees
 * β_t in place of β̃_t at t = T, where they differ by 8e-7 (relative).
 */
export const POSTERIOR_GRID_TOLERANCE = 1e-9;

/** Bayes' rule for one coordinate of x_{t−1}, normalised numerically on a grid. */
export interface GridPosterior {
  t: number;
  x0: number;
  xt: number;
  /** The grid of x_{t−1} values (uniform). */
  grid: Float64Array;
  /** The normalised density q(x_t|x_{t−1}) q(x_{t−1}|x_0) / Z on the grid. */
  density: Float64Array;
  /** Mean of the normalised grid density. */
  mean: number;
  /** Variance of the normalised grid density. */
  variance: number;
  /** log Z = log ∫ q(x_t|x_{t−1}) q(x_{t−1}|x_0) dx_{t−1}: Bayes' denominator, which must be log q(x_t|x_0) (Eq. 4). */
  logNormaliser: number;
  /** Grid spacing. */
  spacing: number;
}

const logGauss = (x: number, mean: number, variance: number) => -0.5 * (Math.log(2 * Math.PI * variance) + ((x - mean) * (x - mean)) / variance);

/**
 * Finds the maximiser of a concave function on [lo, hi] by golden-section search, to `tol`.
 * Used only to centre the grid, so it needs no formula for the posterior's mean.
 */
function argmaxConcave(f: (y: number) => number, lo: number, hi: number, tol: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  for (let i = 0; i < 200 && b - a > tol; i++) {
    if (fc > fd) {
      b = d; d = c; fd = fc;
      c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd;
      d = a + g * (b - a); fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * q(x_{t−1}|x_t, x_0) ∝ q(x_t|x_{t−1}) q(x_{t−1}|x_0) (Bayes' rule with the Markov property, Eq. 2
 * and Eq. 4 at t − 1), evaluated on a uniform grid of x_{t−1} and normalised by the trapezoid rule.
 * No closed form of the posterior is used: the grid is centred on the product's maximum, found
 * numerically between the two factors' centres, and spans ±12 standard deviations of the
 * narrower factor (the product is narrower than both, its precision being their sum). Needs
 * t ≥ 2: at t = 1, q(x_0|x_0) is a point mass.
 */
export function bayesPosteriorOnGrid(s: Schedule, t: number, x0: number, xt: number, n = POSTERIOR_GRID_POINTS): GridPosterior {
  checkT(s, t);
  if (t < 2) throw new Error("the posterior on a grid needs t ≥ 2: at t = 1 q(x_{t−1}|x_0) = q(x_0|x_0) is a point mass");
  if (!Number.isFinite(x0) || !Number.isFinite(xt)) throw new Error(`x0 = ${x0} and xt = ${xt} must be finite`);
  if (!Number.isInteger(n) || n < 101 || n % 2 === 0) throw new Error(`n = ${n} must be an odd integer ≥ 101`);
  const beta = s.beta[t - 1];
  const sqrtAlpha = Math.sqrt(s.alpha[t - 1]);
  const priorMean = Math.sqrt(s.alphaBar[t - 2]); // × x0: q(x_{t−1}|x_0) = N(√ᾱ_{t−1} x_0, (1 − ᾱ_{t−1}))
  const priorVar = s.oneMinusAlphaBar[t - 2];
  // log q(x_t|y) + log q(y|x_0) for y = x_{t−1}; the likelihood is Eq. 2 read as a function of y.
  const logJoint = (y: number) => logGauss(xt, sqrtAlpha * y, beta) + logGauss(y, priorMean * x0, priorVar);
  // The likelihood peaks at y = x_t/√α_t with width √(β_t/α_t); the prior at √ᾱ_{t−1}x_0, width √(1 − ᾱ_{t−1}).
  const likeCentre = xt / sqrtAlpha;
  const width = Math.min(Math.sqrt(beta) / sqrtAlpha, Math.sqrt(priorVar));
  const lo = Math.min(likeCentre, priorMean * x0);
  const hi = Math.max(likeCentre, priorMean * x0);
  const centre = hi - lo > 1e-3 * width ? argmaxConcave(logJoint, lo, hi, 1e-3 * width) : (lo + hi) / 2;
  const half = POSTERIOR_GRID_HALF_WIDTH * width;
  const spacing = (2 * half) / (n - 1);
  const grid = new Float64Array(n);
  const logf = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    grid[i] = centre - half + i * spacing;
    logf[i] = logJoint(grid[i]);
    if (logf[i] > max) max = logf[i];
  }
  // Trapezoid weights (½ at the ends). Moments are accumulated as offsets from the centre, so that
  // rounding is relative to the posterior's width, not to |x_{t−1}|.
  let mass = 0, first = 0;
  const density = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = i === 0 || i === n - 1 ? 0.5 : 1;
    density[i] = Math.exp(logf[i] - max);
    mass += w * density[i];
    first += w * density[i] * (grid[i] - centre);
  }
  const offset = first / mass;
  let second = 0;
  for (let i = 0; i < n; i++) {
    const w = i === 0 || i === n - 1 ? 0.5 : 1;
    const d = grid[i] - centre - offset;
    second += w * density[i] * d * d;
  }
  const z = mass * spacing;
  for (let i = 0; i < n; i++) density[i] /= z;
  return {t, x0, xt, grid, density, mean: centre + offset, variance: second / mass, logNormaliser: max + Math.log(z), spacing};
}

/** The verdict of posteriorGridCheck, with the errors it was judged on. */
export interface PosteriorGridCheck {
  grid: GridPosterior;
  /** The closed form under test: mean and variance of q(x_{t−1}|x_t, x_0). */
  closedMean: number;
  closedVariance: number;
  /** log q(x_t|x_0) by Eq. 4, which Bayes' denominator must equal. */
  expectedLogNormaliser: number;
  /** |grid mean − closed mean| in units of the grid's standard deviation. */
  meanError: number;
  /** |grid variance / closed variance − 1|. */
  varianceError: number;
  /** |log Z − log q(x_t|x_0)|. */
  normaliserError: number;
  tolerance: number;
  pass: boolean;
}

/**
 * Compares a closed form for the posterior's mean and variance (the page passes the core's
 * posteriorMean and posteriorVariance, Eq. 7) with Bayes' rule on a grid, and Bayes' denominator
 * with q(x_t|x_0) of Eq. 4. Passes when all three errors are below `tolerance` (relative; the mean
 * in units of the posterior's standard deviation).
 */
export function posteriorGridCheck(
  s: Schedule,
  t: number,
  x0: number,
  xt: number,
  closed: {mean: number; variance: number},
  {n = POSTERIOR_GRID_POINTS, tolerance = POSTERIOR_GRID_TOLERANCE, grid = bayesPosteriorOnGrid(s, t, x0, xt, n)}: {n?: number; tolerance?: number; grid?: GridPosterior} = {}
): PosteriorGridCheck {
  // `grid`: the posterior already computed on the grid for the same (t, x_0, x_t), to test a
  // second closed form against it without recomputing it.
  const expectedLogNormaliser = logGauss(xt, s.sqrtAlphaBar[t - 1] * x0, s.oneMinusAlphaBar[t - 1]);
  const meanError = Math.abs(grid.mean - closed.mean) / Math.sqrt(grid.variance);
  const varianceError = Math.abs(grid.variance / closed.variance - 1);
  // log Z can be large and negative for an improbable x_t; compare relative to its size.
  const normaliserError = Math.abs(grid.logNormaliser - expectedLogNormaliser) / Math.max(1, Math.abs(expectedLogNormaliser));
  const pass = meanError < tolerance && varianceError < tolerance && normaliserError < tolerance;
  return {grid, closedMean: closed.mean, closedVariance: closed.variance, expectedLogNormaliser, meanError, varianceError, normaliserError, tolerance, pass};
}

/** A curve to plot: x and y arrays of equal length. */
export interface PosteriorCurve {
  x: Float64Array;
  y: Float64Array;
}

/**
 * For the page's plot: the grid density restricted to ±`sds` grid standard deviations around its
 * mean (about `points` points, every k-th grid point), and Gaussian densities N(mean, variance)
 * evaluated at the same x — the closed form under test, and any other (e.g. the slides' β_t).
 */
export function posteriorPlotCurves(
  grid: GridPosterior,
  gaussians: {mean: number; variance: number}[],
  {sds = 4.5, points = 241}: {sds?: number; points?: number} = {}
): {bayes: PosteriorCurve; gaussians: PosteriorCurve[]} {
  const sd = Math.sqrt(grid.variance);
  const lo = grid.mean - sds * sd, hi = grid.mean + sds * sd;
  const inside: number[] = [];
  for (let i = 0; i < grid.grid.length; i++) if (grid.grid[i] >= lo && grid.grid[i] <= hi) inside.push(i);
  const step = Math.max(1, Math.floor(inside.length / points));
  const picked = inside.filter((_, k) => k % step === 0);
  const x = Float64Array.from(picked, (i) => grid.grid[i]);
  return {
    bayes: {x, y: Float64Array.from(picked, (i) => grid.density[i])},
    gaussians: gaussians.map(({mean, variance}) => ({x, y: Float64Array.from(x, (v) => Math.exp(logGauss(v, mean, variance)))}))
  };
}
