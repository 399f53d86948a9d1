/**
 * The numbers of the "fair race" on the Why diffusion page: a GAN and a DDPM trained from scratch on
 * the same data, for the same wall-clock budget on the same backend, over several seeds. This module
 * holds the pure parts, with no tfjs and no words: the time-slice scheduler that shares the clock
 * between the two, the summary of each metric over seeds (mean, sd, range), and the comparison of
 * the two models metric by metric. The models run in src/model/race.ts; the words are in
 * src/components/RaceViews.ts.
 */
import type {Quality} from "./metrics.js";

/** The two models in the race. */
export type Contestant = "gan" | "ddpm";
export const CONTESTANTS: readonly Contestant[] = ["gan", "ddpm"];

/** What the scheduler knows about one contestant. */
export interface SliceState {
  /** Milliseconds of training used so far (the clock runs only while this model trains). */
  usedMs: number;
  /** Measured milliseconds per training step (null before its first slice). */
  msPerStep: number | null;
  /** True once it may not train any more (it diverged); the scheduler never picks it again. */
  stopped?: boolean;
}

/** The next slice: who trains, and for how many steps. */
export interface Slice {
  who: Contestant;
  steps: number;
}

export interface SliceOptions {
  /** Each model's training budget in milliseconds. */
  budgetMs: number;
  /** The length a slice aims at, in milliseconds (the two models take turns every slice). */
  sliceMs: number;
  /** Steps of a contestant's first slice, before its speed is known. */
  probeSteps: Record<Contestant, number>;
  /** The most steps one slice may take. */
  maxSteps?: number;
}

/** Whether a contestant has had its budget: less than half a step's time is left (one more step would overshoot more than stopping undershoots). */
export function budgetSpent(state: SliceState, budgetMs: number): boolean {
  if (state.stopped) return true;
  const left = budgetMs - state.usedMs;
  return left <= 0 || (state.msPerStep !== null && left < state.msPerStep / 2);
}

/**
 * The time-slice scheduler. The contestant that has used less training time goes next (the GAN on a
 * tie), for about `sliceMs`; null when both have spent their budgets. Turns alternate because each
 * slice moves its contestant ahead of the other, so a slowdown of the machine (another tab, another
 * program) falls on both models alike. Within a slice of its end, a contestant's turns plan half of
 * what is left (at least one step): the turns shrink as it nears the budget, so a turn that runs
 * slower than its estimate overshoots by little, and it stops less than half a step short.
 */
export function nextSlice(states: Record<Contestant, SliceState>, options: SliceOptions): Slice | null {
  const {budgetMs, sliceMs, probeSteps, maxSteps = 10_000} = options;
  if (!(budgetMs > 0) || !(sliceMs > 0)) throw new Error(`budgetMs and sliceMs must be > 0, got ${budgetMs} and ${sliceMs}`);
  const open = CONTESTANTS.filter((c) => !budgetSpent(states[c], budgetMs));
  if (open.length === 0) return null;
  const who = open.reduce((a, b) => (states[b].usedMs < states[a].usedMs ? b : a));
  const {usedMs, msPerStep} = states[who];
  if (msPerStep === null) return {who, steps: Math.max(1, Math.floor(probeSteps[who]))};
  const left = budgetMs - usedMs;
  const ms = left > sliceMs ? sliceMs : left / 2;
  return {who, steps: Math.max(1, Math.min(maxSteps, Math.round(ms / msPerStep)))};
}

/**
 * The speed estimate after a slice of `steps` steps that took `ms`: the slice's own rate, averaged
 * with the previous estimate (weights ½) once there is one, so that one slow slice does not size
 * the next one alone.
 */
export function updateRate(previous: number | null, ms: number, steps: number): number {
  if (!(steps >= 1) || !(ms >= 0)) throw new Error(`a slice needs steps ≥ 1 and ms ≥ 0, got ${steps} and ${ms}`);
  const rate = ms / steps;
  return previous === null ? rate : (previous + rate) / 2;
}

/** A metric's values over seeds: how many, their mean, sample standard deviation (n − 1) and range. */
export interface Spread {
  values: number[];
  n: number;
  mean: number;
  /** NaN for a single value. */
  sd: number;
  min: number;
  max: number;
}

/** The spread of the finite values among `values` (a diverged run's NaN is left out; n says how many counted). */
export function spread(values: readonly number[]): Spread {
  const kept = values.filter(Number.isFinite);
  const n = kept.length;
  if (n === 0) return {values: [], n: 0, mean: NaN, sd: NaN, min: NaN, max: NaN};
  const mean = kept.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(kept.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  return {values: kept, n, mean, sd, min: Math.min(...kept), max: Math.max(...kept)};
}

/** One model's run at one seed, as measured after its budget: its sample quality (lib/metrics's Quality) and how it got there. */
export interface RunResult extends Quality {
  model: Contestant;
  seed: number;
  /** Training steps taken within the budget (generator steps for the GAN, Algorithm 1 steps for the DDPM). */
  steps: number;
  /** Milliseconds of training actually used (the budget, give or take part of a step). */
  trainMs: number;
  /** Milliseconds to draw the measured samples, and the network evaluations that took. */
  sampleMs: number;
  evaluations: number;
  /** Samples drawn and measured. */
  samples: number;
  /** Why training ended early (a diverged loss), if it did. */
  diverged?: string;
}

/**
 * The metrics the race compares, each with the direction that is better: the three measures of the
 * samples, and the time to draw them (training steps are not compared: a step of one model is not
 * a step of the other; the summary reports them beside).
 */
export const RACE_METRICS = {
  modesCovered: "higher",
  highQualityFraction: "higher",
  energyRatio: "lower",
  sampleMs: "lower"
} as const satisfies Record<string, "higher" | "lower">;
export type RaceMetric = keyof typeof RACE_METRICS;

/** A run's value of a metric (energyRatio = energy ÷ floor; NaN where the metric does not apply). */
export function metricValue(run: RunResult, metric: RaceMetric): number {
  if (metric === "energyRatio") return run.energy / run.energyFloor;
  const v = run[metric];
  return typeof v === "number" ? v : NaN;
}

/** How two spreads of one metric compare. */
export interface MetricComparison {
  metric: RaceMetric;
  gan: Spread;
  ddpm: Spread;
  /** The better mean, or "tie" when the means are equal (within 10⁻⁹ relative) or either side has no value. */
  better: Contestant | "tie";
  /** True when every seed of the better model beats every seed of the other (the ranges do not overlap). */
  separated: boolean;
  /** The worse mean over the better one, ≥ 1 (NaN on a tie or when a mean is 0): "how many times". */
  factor: number;
}

/** Compares the two models on one metric over their seeds. */
export function compareMetric(runs: readonly RunResult[], metric: RaceMetric): MetricComparison {
  const of = (model: Contestant) => spread(runs.filter((r) => r.model === model).map((r) => metricValue(r, metric)));
  const gan = of("gan");
  const ddpm = of("ddpm");
  const higher = RACE_METRICS[metric] === "higher";
  let better: Contestant | "tie" = "tie";
  if (gan.n > 0 && ddpm.n > 0 && Math.abs(gan.mean - ddpm.mean) > 1e-9 * Math.max(Math.abs(gan.mean), Math.abs(ddpm.mean), 1e-300)) {
    better = gan.mean > ddpm.mean === higher ? "gan" : "ddpm";
  }
  let separated = false;
  let factor = NaN;
  if (better !== "tie") {
    const [win, lose] = better === "gan" ? [gan, ddpm] : [ddpm, gan];
    separated = higher ? win.min > lose.max : win.max < lose.min;
    const ratio = higher ? win.mean / lose.mean : lose.mean / win.mean;
    factor = Number.isFinite(ratio) && ratio > 0 ? ratio : NaN;
  }
  return {metric, gan, ddpm, better, separated, factor};
}

/** The race's outcome: every metric compared, and what the runs had in common. */
export interface RaceSummary {
  /** Seeds with a finished run of both models. */
  seeds: number[];
  comparisons: MetricComparison[];
  /** Whether the data's modes are known (mode coverage and the high-quality share apply). */
  hasModes: boolean;
  /** The data's number of modes, where known. */
  modes?: number;
  /** The budget per model and seed (ms), and the largest amount any run went over it. */
  budgetMs: number;
  maxOvershootMs: number;
  /** Runs whose training diverged, per model. */
  diverged: Record<Contestant, number>;
  /** Training steps each model took within the budget, over the seeds. */
  steps: Record<Contestant, Spread>;
}

/**
 * Summarises finished runs. Only seeds where both models finished count, so that both sides are
 * averaged over the same seeds (a race stopped half-way leaves a seed with one model only).
 */
export function summarizeRace(runs: readonly RunResult[], budgetMs: number): RaceSummary {
  const bySeed = new Map<number, Set<Contestant>>();
  for (const r of runs) bySeed.set(r.seed, (bySeed.get(r.seed) ?? new Set()).add(r.model));
  const seeds = [...bySeed].filter(([, models]) => models.size === CONTESTANTS.length).map(([seed]) => seed);
  const paired = runs.filter((r) => seeds.includes(r.seed));
  const hasModes = paired.length > 0 && paired.every((r) => r.modes !== undefined);
  const metrics = (Object.keys(RACE_METRICS) as RaceMetric[]).filter((m) => hasModes || (m !== "modesCovered" && m !== "highQualityFraction"));
  return {
    seeds,
    comparisons: metrics.map((m) => compareMetric(paired, m)),
    hasModes,
    ...(hasModes ? {modes: paired[0].modes} : {}),
    budgetMs,
    maxOvershootMs: paired.reduce((worst, r) => Math.max(worst, r.trainMs - budgetMs), 0),
    diverged: {gan: paired.filter((r) => r.model === "gan" && r.diverged).length, ddpm: paired.filter((r) => r.model === "ddpm" && r.diverged).length},
    steps: {gan: spread(paired.filter((r) => r.model === "gan").map((r) => r.steps)), ddpm: spread(paired.filter((r) => r.model === "ddpm").map((r) => r.steps))}
  };
}
