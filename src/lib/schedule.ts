/**
 * Variance schedules β_1 … β_T and every array derived from them (Ho et al. 2020, Sec. 2 and 4).
 *
 * Convention: timesteps are the paper's t = 1 … T. Every array here has length T and index
 * i holds timestep t = i + 1 (so beta[0] is β_1 and alphaBar[T − 1] is ᾱ_T).
 */

/** How a schedule is made: the paper's linear one, Nichol & Dhariwal's cosine one, or explicit β. */
export type ScheduleSpec =
  | {kind: "linear"; T?: number; betaStart?: number; betaEnd?: number}
  | {kind: "cosine"; T?: number; s?: number; maxBeta?: number}
  | {kind: "custom"; beta: ArrayLike<number>};

/** σ_t² of the reverse process p_θ(x_{t−1}|x_t) = N(μ_θ, σ_t² I): β_t or β̃_t (Sec. 3.2). */
export type Sigma2Kind = "beta" | "betaTilde";

/** Both σ_t² of the reverse process (Sec. 3.2), in the order the pages show them. */
export const SIGMA2_KINDS: readonly Sigma2Kind[] = ["betaTilde", "beta"];

/**
 * A schedule and its derived quantities. All arrays have length T; index i ↔ timestep t = i + 1.
 */
export interface Schedule {
  /** Number of diffusion steps. */
  T: number;
  /** The spec it was made from, with defaults filled in (a custom spec holds a copy of β). */
  spec: ScheduleSpec;
  /** β_t, the variance of q(x_t|x_{t−1}) (Eq. 2). */
  beta: Float64Array;
  /** α_t = 1 − β_t (Sec. 2, before Eq. 4). */
  alpha: Float64Array;
  /** ᾱ_t = ∏_{s≤t} α_s (Eq. 4). */
  alphaBar: Float64Array;
  /** 1 − ᾱ_t, computed as −expm1(Σ log1p(−β)) so that it keeps its precision when ᾱ_t ≈ 1. */
  oneMinusAlphaBar: Float64Array;
  /** ᾱ_{t−1}, with ᾱ_0 = 1 (alphaBarPrev[0] = 1). */
  alphaBarPrev: Float64Array;
  /** √ᾱ_t, the mean coefficient of q(x_t|x_0) (Eq. 4). */
  sqrtAlphaBar: Float64Array;
  /** √(1 − ᾱ_t), the standard deviation of q(x_t|x_0) (Eq. 4). */
  sqrtOneMinusAlphaBar: Float64Array;
  /** β̃_t = (1 − ᾱ_{t−1}) β_t / (1 − ᾱ_t), the posterior variance (Eq. 7); β̃_1 = 0. */
  betaTilde: Float64Array;
  /** x_0 coefficient of μ̃_t: √ᾱ_{t−1} β_t / (1 − ᾱ_t) (Eq. 7); 1 at t = 1. */
  posteriorMeanCoef1: Float64Array;
  /** x_t coefficient of μ̃_t: √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) (Eq. 7); 0 at t = 1. */
  posteriorMeanCoef2: Float64Array;
}

/** The paper's schedule (Sec. 4): T = 1000, β linear from 10⁻⁴ to 0.02. */
export const DEFAULT_SCHEDULE: ScheduleSpec = Object.freeze({kind: "linear", T: 1000, betaStart: 1e-4, betaEnd: 0.02});

function checkStepCount(T: number): void {
  if (typeof T !== "number" || !Number.isInteger(T) || T < 1) throw new Error(`T must be an integer ≥ 1, got ${T}`);
}

function checkOpenUnit(value: number, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new Error(`${name} = ${value} is outside (0, 1)`);
  }
}

/**
 * Throws unless `beta` is a usable schedule: at least one value (exactly `expectedLength` if
 * given), each finite and strictly inside (0, 1) — β_t = 0 would make q(x_t|x_{t−1}) degenerate
 * and β_t = 1 would erase the signal in one step. Returns a Float64Array copy.
 */
export function validateBetas(beta: ArrayLike<number>, expectedLength?: number): Float64Array {
  if (beta == null || typeof beta.length !== "number") throw new Error("beta must be an array of numbers");
  if (expectedLength !== undefined && beta.length !== expectedLength) {
    throw new Error(`expected ${expectedLength} betas, got ${beta.length}`);
  }
  if (beta.length < 1) throw new Error("beta must hold at least one value (T ≥ 1), got 0");
  const out = new Float64Array(beta.length);
  for (let i = 0; i < beta.length; i++) {
    checkOpenUnit(beta[i], `beta[${i}]`);
    out[i] = beta[i];
  }
  return out;
}

/**
 * The paper's linear schedule (Sec. 4): β_t evenly spaced from betaStart (t = 1) to betaEnd
 * (t = T), both ends included (numpy's linspace). Index i ↔ t = i + 1.
 */
export function linearBetas(T = 1000, betaStart = 1e-4, betaEnd = 0.02): Float64Array {
  checkStepCount(T);
  checkOpenUnit(betaStart, "betaStart");
  checkOpenUnit(betaEnd, "betaEnd");
  if (betaStart > betaEnd) throw new Error(`betaStart (${betaStart}) must be ≤ betaEnd (${betaEnd})`);
  const beta = new Float64Array(T);
  for (let i = 0; i < T; i++) beta[i] = T === 1 ? betaStart : betaStart + ((betaEnd - betaStart) * i) / (T - 1);
  beta[T - 1] = T === 1 ? betaStart : betaEnd; // exact end point, free of rounding
  return beta;
}

/**
 * The cosine schedule of Nichol & Dhariwal (2021): ᾱ(t) = f(t)/f(0) with
 * f(t) = cos²(((t/T) + s)/(1 + s) · π/2), and β_t = min(1 − ᾱ_t/ᾱ_{t−1}, maxBeta). The clip
 * stops β_T = 1 (f(T) = 0). Index i ↔ t = i + 1.
 */
export function cosineBetas(T = 1000, s = 0.008, maxBeta = 0.999): Float64Array {
  checkStepCount(T);
  if (typeof s !== "number" || !Number.isFinite(s) || s < 0) throw new Error(`s must be a finite number ≥ 0, got ${s}`);
  checkOpenUnit(maxBeta, "maxBeta");
  const angle = (t: number) => (((t / T) + s) / (1 + s)) * (Math.PI / 2);
  const beta = new Float64Array(T);
  for (let t = 1; t <= T; t++) {
    const a = angle(t - 1);
    const b = angle(t);
    // 1 − cos²b/cos²a = sin(b − a)·sin(b + a)/cos²a: the same number, without the cancellation
    // of 1 − (ratio ≈ 1) when T is large and β_t tiny.
    const ratioComplement = (Math.sin(b - a) * Math.sin(b + a)) / Math.cos(a) ** 2;
    beta[t - 1] = Math.min(ratioComplement, maxBeta);
  }
  return beta;
}

/**
 * Builds a schedule (Eq. 2, 4, 7) from a spec, validating it: T an integer ≥ 1, every β_t finite
 * and in (0, 1), and ᾱ_T not underflowing to 0 (x_0 must stay recoverable from x_t and ε).
 */
export function makeSchedule(spec: ScheduleSpec): Schedule {
  if (spec == null || typeof spec !== "object") throw new Error("schedule spec must be an object");
  let beta: Float64Array;
  let normalized: ScheduleSpec;
  switch (spec.kind) {
    case "linear": {
      const {T = 1000, betaStart = 1e-4, betaEnd = 0.02} = spec;
      beta = linearBetas(T, betaStart, betaEnd);
      normalized = {kind: "linear", T, betaStart, betaEnd};
      break;
    }
    case "cosine": {
      const {T = 1000, s = 0.008, maxBeta = 0.999} = spec;
      beta = cosineBetas(T, s, maxBeta);
      normalized = {kind: "cosine", T, s, maxBeta};
      break;
    }
    case "custom":
      beta = validateBetas(spec.beta);
      normalized = {kind: "custom", beta: Float64Array.from(beta)};
      break;
    default:
      throw new Error(`unknown schedule kind ${JSON.stringify((spec as {kind: unknown}).kind)}; expected "linear", "cosine" or "custom"`);
  }
  validateBetas(beta);
  return deriveSchedule(beta, normalized);
}

function deriveSchedule(beta: Float64Array, spec: ScheduleSpec): Schedule {
  const T = beta.length;
  const f = () => new Float64Array(T);
  const alpha = f(), alphaBar = f(), oneMinusAlphaBar = f(), alphaBarPrev = f();
  const sqrtAlphaBar = f(), sqrtOneMinusAlphaBar = f(), betaTilde = f();
  const posteriorMeanCoef1 = f(), posteriorMeanCoef2 = f();
  // Accumulate log ᾱ_t = Σ log(1 − β_s): the product and its complement 1 − ᾱ_t then both keep
  // full relative precision (1 − ᾱ_1 = β_1 exactly, even for β_1 ≈ 1e-20).
  let logAlphaBar = 0;
  for (let i = 0; i < T; i++) {
    alpha[i] = 1 - beta[i];
    logAlphaBar += Math.log1p(-beta[i]);
    alphaBar[i] = Math.exp(logAlphaBar);
    oneMinusAlphaBar[i] = -Math.expm1(logAlphaBar);
  }
  if (!(alphaBar[T - 1] > 0)) {
    throw new Error(`alphaBar_T underflows to 0 (log ᾱ_T = ${logAlphaBar.toFixed(1)}): the schedule destroys x_0 beyond double precision`);
  }
  for (let i = 0; i < T; i++) {
    alphaBarPrev[i] = i === 0 ? 1 : alphaBar[i - 1];
    const oneMinusPrev = i === 0 ? 0 : oneMinusAlphaBar[i - 1];
    sqrtAlphaBar[i] = Math.sqrt(alphaBar[i]);
    sqrtOneMinusAlphaBar[i] = Math.sqrt(oneMinusAlphaBar[i]);
    betaTilde[i] = (oneMinusPrev * beta[i]) / oneMinusAlphaBar[i];
    posteriorMeanCoef1[i] = (Math.sqrt(alphaBarPrev[i]) * beta[i]) / oneMinusAlphaBar[i];
    posteriorMeanCoef2[i] = (Math.sqrt(alpha[i]) * oneMinusPrev) / oneMinusAlphaBar[i];
  }
  return {
    T, spec, beta, alpha, alphaBar, oneMinusAlphaBar, alphaBarPrev, sqrtAlphaBar, sqrtOneMinusAlphaBar,
    betaTilde, posteriorMeanCoef1, posteriorMeanCoef2
  };
}

/** Throws unless t is one of the paper's timesteps 1 … T of schedule `s`. */
export function checkT(s: {T: number}, t: number): void {
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > s.T) {
    throw new Error(`t = ${t} is outside 1..${s.T}`);
  }
}

function checkSigma2Kind(kind: string): void {
  if (kind !== "beta" && kind !== "betaTilde") throw new Error(`sigma2Kind must be "beta" or "betaTilde", got ${JSON.stringify(kind)}`);
}

/**
 * σ_t² of the reverse process p_θ(x_{t−1}|x_t) = N(μ_θ(x_t, t), σ_t² I) (Sec. 3.2): β_t, or the
 * posterior variance β̃_t. At t = 1 β̃_1 = 0, which would make the decoder L_0's density a point
 * mass; as the authors' released code does (it clips the log variance to log β̃_2 there), we use
 * β̃_2 when T ≥ 2, and β_1 when T = 1.
 *
 * With kind "beta" we keep σ_1² = β_1, as the definition reads. The authors' code differs here: for
 * σ_t² = β_t it also uses β̃_2 at t = 1 (to get a better decoder log-likelihood, its comment says),
 * so our L_0, and with it the bound, for σ_t² = β_t is not the one their code reports.
 */
export function sigmaSquared(s: Schedule, t: number, kind: Sigma2Kind = "betaTilde"): number {
  checkT(s, t);
  checkSigma2Kind(kind);
  if (kind === "beta") return s.beta[t - 1];
  if (t > 1) return s.betaTilde[t - 1];
  return s.T >= 2 ? s.betaTilde[1] : s.beta[0];
}

/** The signal-to-noise ratio SNR(t) = ᾱ_t / (1 − ᾱ_t) of q(x_t|x_0) (Eq. 4); index i ↔ t = i + 1. */
export function signalToNoise(s: Schedule): Float64Array {
  const snr = new Float64Array(s.T);
  for (let i = 0; i < s.T; i++) snr[i] = s.alphaBar[i] / s.oneMinusAlphaBar[i];
  return snr;
}
