// The fair race's results in words and pictures: the outcome written from the numbers (never
// fixed in advance), a table of each metric's mean, spread and range over seeds beside the ε*
// reference, and a chart with one dot per seed. The numbers and comparisons come from
// src/lib/race.ts; the runs from src/model/race.ts.
import * as d3 from "d3";
import {fmt, fmtPercent} from "../lib/format.js";
import {metricValue, RACE_METRICS, type Contestant, type MetricComparison, type RaceMetric, type RaceSummary, type RunResult, type Spread} from "../lib/race.js";
import {labelledTable} from "./common.js";

export const MODEL_NAME: Record<Contestant, string> = {gan: "the GAN", ddpm: "the DDPM"};
export const MODEL_SHORT: Record<Contestant, string> = {gan: "GAN", ddpm: "DDPM"};
/** The colours of each model's samples and dots (the GAN panel's red; the theme's focus colour for the DDPM). */
export const MODEL_COLOR: Record<Contestant, string> = {gan: "#e45756", ddpm: "var(--theme-foreground-focus)"};

/** Each compared metric as the reader reads it. */
export const METRIC_LABEL: Record<RaceMetric, string> = {
  modesCovered: "modes covered",
  highQualityFraction: "high-quality share (within 3σ of a mode)",
  energyRatio: "energy distance ÷ its floor",
  sampleMs: "time to draw the samples"
};

/** The same, short, for lists of metrics in a sentence. */
export const METRIC_SHORT: Record<RaceMetric, string> = {
  modesCovered: "modes covered",
  highQualityFraction: "the high-quality share",
  energyRatio: "energy distance ÷ floor",
  sampleMs: "sampling time"
};

/** A value of a metric for a sentence or a cell. */
export function formatMetric(metric: RaceMetric, value: number): string {
  if (!Number.isFinite(value)) return "—";
  switch (metric) {
    case "modesCovered":
      return fmt(value, 2);
    case "highQualityFraction":
      return fmtPercent(value, 1);
    case "energyRatio":
      return fmt(value, 3);
    case "sampleMs":
      return formatMs(value);
  }
}

/** Milliseconds for a reader: "4 ms", "850 ms", "1.4 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  return ms < 1000 ? `${fmt(ms, ms < 10 ? 2 : 3)} ms` : `${fmt(ms / 1000, 3)} s`;
}

/** A spread as "mean ± sd (min to max)"; one value alone; "—" when there is none. */
export function formatSpread(metric: RaceMetric, s: Spread): string {
  if (s.n === 0) return "—";
  const f = (v: number) => formatMetric(metric, v);
  if (s.n === 1) return f(s.mean);
  if (s.min === s.max) return `${f(s.mean)} at every seed`;
  return `${f(s.mean)} ± ${f(s.sd)} (${f(s.min)} to ${f(s.max)})`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** One metric's comparison in a sentence. */
export function comparisonSentence(c: MetricComparison, modes?: number): string {
  const label = c.metric === "modesCovered" && modes ? `${METRIC_LABEL[c.metric]} (of ${modes})` : METRIC_LABEL[c.metric];
  const both = `${label}: ${MODEL_NAME.gan} ${formatSpread(c.metric, c.gan)}, ${MODEL_NAME.ddpm} ${formatSpread(c.metric, c.ddpm)}`;
  if (c.better === "tie") return `${capitalize(both)} — a tie.`;
  const how = c.separated ? "at every seed" : "on average, but the seeds overlap: these seeds do not separate them";
  return `${capitalize(both)} — ${MODEL_NAME[c.better]} ahead ${how}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the ε* reference measured (Algorithm 2 with the exact optimum of the DDPM objective). */
export interface ReferenceNumbers {
  energy: number;
  energyFloor: number;
  modesCovered?: number;
  modes?: number;
  highQualityFraction?: number;
  sampleMs: number;
}

export interface VerdictContext {
  backend: string;
  samples: number;
  /** Network evaluations per sample of each model (1 for the GAN, T for the DDPM). */
  evaluations: Record<Contestant, number>;
  reference?: ReferenceNumbers;
}

/** The race's outcome in words, one paragraph per string, written from the numbers. */
export function raceVerdict(summary: RaceSummary, context: VerdictContext): string[] {
  const n = summary.seeds.length;
  if (n === 0) return ["No seed has finished with both models yet."];
  const seconds = fmt(summary.budgetMs / 1000, 3);
  const quality = summary.comparisons.filter((c) => c.metric !== "sampleMs");
  const wins = (who: Contestant) => quality.filter((c) => c.better === who);
  const names = (cs: MetricComparison[]) => list(cs.map((c) => METRIC_SHORT[c.metric] + (c.separated ? " (at every seed)" : " (on average only)")));
  const ties = quality.filter((c) => c.better === "tie");
  const head: string[] = [];
  for (const who of ["ddpm", "gan"] as const) if (wins(who).length) head.push(`${MODEL_NAME[who]} did better on ${names(wins(who))}`);
  if (ties.length) head.push(`they tied on ${list(ties.map((c) => METRIC_SHORT[c.metric]))}`);
  const paragraphs = [`Over ${n} seed${n === 1 ? "" : "s"}, with ${seconds} s of training each on ${context.backend}: ${list(head)}.`];

  paragraphs.push(quality.map((c) => comparisonSentence(c, summary.modes)).join(" "));

  // Where the GAN does well: sampling always; training steps; any sample measure it won.
  const sampling = summary.comparisons.find((c) => c.metric === "sampleMs");
  const gan = [
    sampling && sampling.gan.n && sampling.ddpm.n
      ? `Sampling: ${context.samples.toLocaleString("en")} samples took ${MODEL_NAME.gan} ${formatMs(sampling.gan.mean)} (${context.evaluations.gan} network evaluation each) and ${MODEL_NAME.ddpm} ${formatMs(sampling.ddpm.mean)} (${context.evaluations.ddpm.toLocaleString("en")} each), ${fmt(sampling.ddpm.mean / sampling.gan.mean, 2)}× as long; this time is not in the training budget.`
      : "",
    `In the same ${seconds} s ${MODEL_NAME.gan} took ${fmt(summary.steps.gan.mean, 4)} generator steps on average and ${MODEL_NAME.ddpm} ${fmt(summary.steps.ddpm.mean, 4)} training steps.`,
    wins("gan").length ? `On the samples themselves ${MODEL_NAME.gan} won ${names(wins("gan"))}.` : `On the samples themselves ${MODEL_NAME.gan} won no measure here.`
  ].filter(Boolean);
  paragraphs.push(`Where the GAN does well. ${gan.join(" ")}`);

  const ref = context.reference;
  if (ref) {
    const ddpmEnergy = quality.find((c) => c.metric === "energyRatio")?.ddpm;
    const refRatio = ref.energy / ref.energyFloor;
    const modesPart = ref.modes !== undefined ? `${ref.modesCovered} of ${ref.modes} modes, ${fmtPercent(ref.highQualityFraction!, 1)} high quality, ` : "";
    const gap = ddpmEnergy && ddpmEnergy.n ? ` The trained DDPM's energy ratio is ${fmt(ddpmEnergy.mean / refRatio, 3)}× the reference's: what its ${seconds} s of training left undone.` : "";
    paragraphs.push(`The reference, Algorithm 2 with the exact ε* (what the DDPM objective aims at; no training): ${modesPart}energy distance ÷ floor ${fmt(refRatio, 3)}.${gap}`);
  }
  for (const who of ["gan", "ddpm"] as const) {
    const k = summary.diverged[who];
    if (k) paragraphs.push(`${capitalize(MODEL_NAME[who])}'s training diverged at ${k} of ${n} seeds (its loss stopped being finite or exploded); those runs are measured as they stood.`);
  }
  return paragraphs;
}

/** The results table: a row per metric, the two models' spreads over seeds, and the ε* reference where one was drawn (none for data without an exact ε*: drawn points, the swiss roll…). */
export function raceTable(summary: RaceSummary, runs: readonly RunResult[], context: VerdictContext): HTMLTableElement {
  const byMetric = new Map(summary.comparisons.map((c) => [c.metric, c]));
  const ref = context.reference;
  const rows: {label: string; values: string[]; metric: string}[] = [];
  const metricRow = (metric: RaceMetric, refValue: number | undefined) => {
    const c = byMetric.get(metric);
    if (!c) return;
    const label = metric === "modesCovered" && summary.modes ? `modes covered (of ${summary.modes})` : METRIC_LABEL[metric];
    rows.push({metric, label, values: [formatSpread(metric, c.gan), formatSpread(metric, c.ddpm), refValue === undefined ? "—" : formatMetric(metric, refValue)]});
  };
  metricRow("modesCovered", ref?.modesCovered);
  metricRow("highQualityFraction", ref?.highQualityFraction);
  metricRow("energyRatio", ref ? ref.energy / ref.energyFloor : undefined);
  const paired = runs.filter((r) => summary.seeds.includes(r.seed));
  const steps = (who: Contestant) => summary.steps[who];
  const trainMs = (who: Contestant) => paired.filter((r) => r.model === who).map((r) => r.trainMs);
  const stepText = (s: Spread) => (s.n === 0 ? "—" : s.min === s.max ? fmt(s.mean, 5) : `${fmt(s.mean, 4)} (${fmt(s.min, 4)} to ${fmt(s.max, 4)})`);
  rows.push({metric: "steps", label: "training steps in the budget", values: [stepText(steps("gan")), stepText(steps("ddpm")), "none"]});
  const used = (who: Contestant) => {
    const v = trainMs(who);
    return v.length ? `${formatMs(Math.min(...v))} to ${formatMs(Math.max(...v))}` : "—";
  };
  rows.push({metric: "trainMs", label: "training time used", values: [used("gan"), used("ddpm"), "none"]});
  metricRow("sampleMs", ref?.sampleMs);
  rows.push({metric: "evaluations", label: "network evaluations per sample", values: [String(context.evaluations.gan), context.evaluations.ddpm.toLocaleString("en"), `${context.evaluations.ddpm.toLocaleString("en")} (of ε*, exact)`]});
  if (!ref) for (const row of rows) row.values.pop();
  const table = labelledTable("race-table", ["", "GAN", "DDPM", ...(ref ? ["ε* reference"] : [])], rows, {alignHead: true});
  Array.from(table.tBodies[0].rows).forEach((row, i) => (row.dataset.metric = rows[i].metric));
  const caption = table.createCaption();
  caption.textContent = `${summary.seeds.length} seed${summary.seeds.length === 1 ? "" : "s"} each (mean ± standard deviation, then the lowest and highest seed); ${fmt(summary.budgetMs / 1000, 3)} s of training per model and seed on ${context.backend}; ${context.samples.toLocaleString("en")} samples each.`;
  caption.style.cssText = "caption-side: bottom; text-align: left; font: 12px var(--sans-serif); color: var(--theme-foreground-muted); padding-top: 0.3rem";
  return table;
}

/**
 * One dot per seed and model for each sample measure, the mean as a tick, the ε* reference as a
 * diamond; energy ÷ floor on a log axis (1 = the floor).
 */
export function raceSpreadChart(summary: RaceSummary, runs: readonly RunResult[], {width, reference}: {width: number; reference?: ReferenceNumbers}): SVGSVGElement {
  const metrics = summary.comparisons.map((c) => c.metric).filter((m) => m !== "sampleMs");
  const paired = runs.filter((r) => summary.seeds.includes(r.seed));
  const rowHeight = 58;
  const margin = {top: 8, right: 16, bottom: 4, left: 16};
  const height = margin.top + margin.bottom + metrics.length * rowHeight;
  const w = Math.max(260, width);
  const svg = d3.create("svg").attr("width", w).attr("height", height).attr("viewBox", `0 0 ${w} ${height}`).attr("role", "img").style("max-width", "100%").style("height", "auto");
  svg.attr("aria-label", `each seed's result for ${metrics.map((m) => METRIC_LABEL[m]).join(", ")}: GAN and DDPM`);
  metrics.forEach((metric, i) => {
    const top = margin.top + i * rowHeight;
    const values = paired.map((r) => metricValue(r, metric)).filter(Number.isFinite);
    const refValue = reference ? referenceValue(reference, metric) : undefined;
    if (refValue !== undefined && Number.isFinite(refValue)) values.push(refValue);
    const g = svg.append("g").attr("transform", `translate(0,${top})`);
    g.append("text").attr("x", margin.left).attr("y", 11).attr("font-size", 12).attr("fill", "currentColor").text(METRIC_LABEL[metric] + (RACE_METRICS[metric] === "higher" ? " (higher is better)" : " (lower is better)"));
    if (!values.length) return;
    let x: d3.ScaleContinuousNumeric<number, number>;
    if (metric === "energyRatio") {
      const lo = Math.min(1, ...values);
      const hi = Math.max(lo * 10, ...values);
      x = d3.scaleLog([lo / 1.2, hi * 1.2], [margin.left, w - margin.right]);
    } else if (metric === "modesCovered") {
      x = d3.scaleLinear([0, summary.modes ?? Math.max(...values)], [margin.left, w - margin.right]);
    } else {
      x = d3.scaleLinear([0, 1], [margin.left, w - margin.right]);
    }
    const axis = metric === "energyRatio" ? d3.axisBottom(x).ticks(5, "~g") : metric === "highQualityFraction" ? d3.axisBottom(x).ticks(5, "%") : d3.axisBottom(x).ticks(Math.min(8, summary.modes ?? 8)).tickFormat(d3.format("d"));
    g.append("g").attr("transform", `translate(0,${rowHeight - 20})`).call(axis).attr("color", "var(--theme-foreground-muted)").attr("font-size", 10);
    (["gan", "ddpm"] as const).forEach((who, lane) => {
      const y = 22 + lane * 12;
      const mine = paired.filter((r) => r.model === who).map((r) => metricValue(r, metric)).filter(Number.isFinite);
      g.append("g")
        .selectAll("circle")
        .data(mine)
        .join("circle")
        .attr("cx", (v) => x(v))
        .attr("cy", y)
        .attr("r", 4)
        .attr("fill", MODEL_COLOR[who])
        .attr("fill-opacity", 0.75);
      if (mine.length) {
        const mean = d3.mean(mine)!;
        g.append("line").attr("x1", x(mean)).attr("x2", x(mean)).attr("y1", y - 6).attr("y2", y + 6).attr("stroke", "currentColor").attr("stroke-width", 2);
      }
      g.append("text").attr("x", w - margin.right).attr("y", y).attr("dy", "0.32em").attr("text-anchor", "end").attr("font-size", 10).attr("fill", MODEL_COLOR[who]).text(MODEL_SHORT[who]);
    });
    if (refValue !== undefined && Number.isFinite(refValue)) {
      g.append("path").attr("d", d3.symbol(d3.symbolDiamond, 40)()).attr("transform", `translate(${x(refValue)},${28})`).attr("fill", "none").attr("stroke", "currentColor").attr("stroke-width", 1.2);
    }
  });
  return svg.node()!;
}

function referenceValue(ref: ReferenceNumbers, metric: RaceMetric): number | undefined {
  switch (metric) {
    case "modesCovered":
      return ref.modesCovered;
    case "highQualityFraction":
      return ref.highQualityFraction;
    case "energyRatio":
      return ref.energy / ref.energyFloor;
    case "sampleMs":
      return ref.sampleMs;
  }
}
