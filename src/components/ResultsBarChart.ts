// Horizontal bar charts of the papers' numbers (d3, SVG): one bar per model, coloured by the
// model's family, DDPM's own rows outlined and labelled in bold, upper bounds marked "≤".
import * as d3 from "d3";
import type {ModelFamily} from "../lib/results.js";

/** The legend's name of each family of model. */
const FAMILY_LABELS: Record<ModelFamily, string> = {
  diffusion: "diffusion",
  score: "score-based (NCSN)",
  gan: "GAN",
  autoregressive: "autoregressive / VQ",
  energy: "energy-based"
};

export interface ResultsBar {
  label: string;
  value: number;
  family: ModelFamily;
  /** DDPM's own result: outlined, label in bold. */
  highlight?: boolean;
  /** Printed before the value, e.g. "≤" for an upper bound. */
  prefix?: string;
  /** The value as the paper prints it. */
  text: string;
}

export interface ResultsBarChartOptions {
  width?: number;
  title?: string;
  xLabel?: string;
  /** Which end is better, said in the axis label. */
  better?: "lower" | "higher";
  ariaLabel?: string;
  /** A labelled reference line, e.g. 8 bits/dim for a uniform model. */
  reference?: {value: number; label: string};
}

export const FAMILY_COLORS: Record<ModelFamily, string> = {
  diffusion: "#4c78a8",
  score: "#b279a2",
  gan: "#e45756",
  autoregressive: "#54a24b",
  energy: "#f58518"
};

/** The bars in the order given (sort them first), with a legend of the families shown. */
export function ResultsBarChart(bars: ResultsBar[], {width = 520, title, xLabel, better, ariaLabel, reference}: ResultsBarChartOptions = {}): SVGSVGElement {
  const families = [...new Set(bars.map((b) => b.family))];
  // Legend entries of 135 px, as many to a row as the width allows.
  const perRow = Math.max(1, Math.floor((width - 8) / 135));
  const legendRows = Math.ceil(families.length / perRow);
  // Room for the longest label (≈ 6.6 px a character at 12 px) and no more.
  const longest = d3.max(bars, (b) => b.label.length) ?? 10;
  const margin = {top: (title ? 22 : 4) + legendRows * 16 + 6, right: 58, bottom: 36, left: Math.min(200, 14 + 6.6 * longest)};
  const band = 20;
  const height = margin.top + bars.length * band + margin.bottom;
  const max = d3.max([...bars.map((b) => b.value), reference?.value ?? 0]) ?? 1;
  const x = d3.scaleLinear([0, max], [margin.left, width - margin.right]).nice();
  const y = d3.scaleBand(d3.range(bars.length), [margin.top, margin.top + bars.length * band]).padding(0.2);
  const svg = d3.create("svg").attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`).attr("role", "img");
  svg.attr("aria-label", ariaLabel ?? title ?? "bar chart").style("max-width", "100%").style("height", "auto").attr("class", "results-bars");
  if (title) svg.append("text").attr("x", 4).attr("y", 14).attr("font-size", 13).attr("font-weight", 600).attr("fill", "currentColor").text(title);
  families.forEach((family, i) => {
    const g = svg.append("g").attr("transform", `translate(${4 + (i % perRow) * 135},${(title ? 22 : 4) + Math.floor(i / perRow) * 16 + 6})`);
    g.append("rect").attr("width", 10).attr("height", 10).attr("y", -5).attr("fill", FAMILY_COLORS[family]);
    g.append("text").attr("x", 14).attr("dy", "0.32em").attr("font-size", 11).attr("fill", "currentColor").text(FAMILY_LABELS[family]);
  });
  svg
    .append("g")
    .attr("transform", `translate(0,${margin.top + bars.length * band + 2})`)
    .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor((width - margin.left - margin.right) / 70))))
    .attr("color", "var(--theme-foreground-muted)");
  const axisLabel = [xLabel, better ? `(${better} is better)` : ""].filter(Boolean).join(" ");
  if (axisLabel) svg.append("text").attr("x", width - margin.right).attr("y", height - 4).attr("text-anchor", "end").attr("font-size", 12).attr("fill", "currentColor").text(axisLabel);
  bars.forEach((bar, i) => {
    const top = y(i)!;
    const g = svg.append("g").attr("data-label", bar.label);
    g.append("text")
      .attr("x", margin.left - 6)
      .attr("y", top + y.bandwidth() / 2)
      .attr("dy", "0.32em")
      .attr("text-anchor", "end")
      .attr("font-size", 12)
      .attr("font-weight", bar.highlight ? 700 : 400)
      .attr("fill", "currentColor")
      .text(bar.label);
    g.append("rect")
      .attr("x", x(0))
      .attr("y", top)
      .attr("width", Math.max(1, x(bar.value) - x(0)))
      .attr("height", y.bandwidth())
      .attr("fill", FAMILY_COLORS[bar.family])
      .attr("fill-opacity", bar.prefix ? 0.55 : 0.9)
      .attr("stroke", bar.highlight ? "currentColor" : "none")
      .attr("stroke-width", bar.highlight ? 2 : 0);
    g.append("text")
      .attr("x", x(bar.value) + 4)
      .attr("y", top + y.bandwidth() / 2)
      .attr("dy", "0.32em")
      .attr("font-size", 11)
      .attr("font-weight", bar.highlight ? 700 : 400)
      .attr("fill", "currentColor")
      .text(`${bar.prefix ? `${bar.prefix} ` : ""}${bar.text}`);
  });
  if (reference) {
    const rx = x(reference.value);
    svg.append("line").attr("x1", rx).attr("x2", rx).attr("y1", margin.top - 12).attr("y2", margin.top + bars.length * band).attr("stroke", "currentColor").attr("stroke-dasharray", "3,3").attr("stroke-opacity", 0.6);
    // Above the first bar, left of the line: among the bars it would cover a bar's value label.
    svg.append("text").attr("x", rx - 3).attr("y", margin.top - 1).attr("text-anchor", "end").attr("font-size", 11).attr("fill", "var(--theme-foreground-muted)").text(reference.label);
  }
  return svg.node()!;
}

export interface ResultsPoint {
  label: string;
  x: number;
  y: number;
  family: ModelFamily;
  highlight?: boolean;
}

/** Precision against recall (or any two metrics in [0, 1]), one dot per model, labelled. */
export function ResultsScatter(points: ResultsPoint[], {width = 420, title, xLabel = "recall", yLabel = "precision", ariaLabel}: {width?: number; title?: string; xLabel?: string; yLabel?: string; ariaLabel?: string} = {}): SVGSVGElement {
  const height = Math.round(width * 0.8);
  const families = [...new Set(points.map((p) => p.family))];
  // Title, legend rows, then a line for the y axis's label.
  const margin = {top: (title ? 22 : 6) + Math.ceil(families.length / 3) * 16 + 22, right: 12, bottom: 36, left: 44};
  const x = d3.scaleLinear(d3.extent(points, (p) => p.x) as [number, number], [margin.left, width - margin.right]).nice();
  // A little room below the lowest point, so that no point sits on the x axis.
  const [yMin, yMax] = d3.extent(points, (p) => p.y) as [number, number];
  const y = d3.scaleLinear([yMin - 0.05 * (yMax - yMin || 1), yMax], [height - margin.bottom, margin.top]).nice();
  const svg = d3.create("svg").attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`).attr("role", "img");
  svg.attr("aria-label", ariaLabel ?? `${yLabel} against ${xLabel}`).style("max-width", "100%").style("height", "auto");
  if (title) svg.append("text").attr("x", 4).attr("y", 14).attr("font-size", 13).attr("font-weight", 600).attr("fill", "currentColor").text(title);
  families.forEach((family, i) => {
    const g = svg.append("g").attr("transform", `translate(${4 + (i % 3) * 140},${(title ? 22 : 6) + Math.floor(i / 3) * 16 + 6})`);
    g.append("circle").attr("r", 5).attr("cx", 5).attr("fill", FAMILY_COLORS[family]);
    g.append("text").attr("x", 14).attr("dy", "0.32em").attr("font-size", 11).attr("fill", "currentColor").text(FAMILY_LABELS[family]);
  });
  svg.append("g").attr("transform", `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(6)).attr("color", "var(--theme-foreground-muted)");
  svg.append("g").attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(6)).attr("color", "var(--theme-foreground-muted)");
  svg.append("text").attr("x", width - margin.right).attr("y", height - 4).attr("text-anchor", "end").attr("font-size", 12).attr("fill", "currentColor").text(`${xLabel} (diversity) →`);
  svg.append("text").attr("x", margin.left + 4).attr("y", margin.top - 4).attr("font-size", 12).attr("fill", "currentColor").text(`↑ ${yLabel} (fidelity)`);
  for (const p of points) {
    const g = svg.append("g");
    g.append("circle")
      .attr("cx", x(p.x))
      .attr("cy", y(p.y))
      .attr("r", p.highlight ? 6 : 4.5)
      .attr("fill", FAMILY_COLORS[p.family])
      .attr("fill-opacity", 0.85)
      .attr("stroke", p.highlight ? "currentColor" : "none")
      .attr("stroke-width", 2);
    g.append("title").text(`${p.label}: ${yLabel} ${p.y.toFixed(2)}, ${xLabel} ${p.x.toFixed(2)}`);
  }
  return svg.node()!;
}
