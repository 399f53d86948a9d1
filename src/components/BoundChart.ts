// A line chart with logarithmic axes, for quantities that span decades over t or T: the bound's
// terms L_1 … L_T, L_T against the chain length, the weight λ_t. The shared LineChart has a linear
// x axis only; this one follows its look (theme colours, SVG in currentColor).
import * as d3 from "d3";
import {PALETTE, powerOfTen} from "./charts.js";

export interface LogSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dash?: string;
  /** Draw a dot at each point (a curve known only at a few x). */
  dots?: boolean;
}

export interface LogChartOptions {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  xType?: "log" | "linear";
  yType?: "log" | "linear";
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Dashed horizontal lines, e.g. a check's thresholds. */
  rules?: {y: number; label: string}[];
  /** A vertical rule at this x, e.g. the value a slider selects. */
  marker?: number;
  legend?: "top-right" | "bottom-left";
  ariaLabel?: string;
}

/** Lines y(x) on log (default) or linear axes; values a log axis cannot show (≤ 0) are left out. */
export function LogChart(series: LogSeries[], options: LogChartOptions = {}): SVGSVGElement {
  const {width = 480, height = 260, xLabel, yLabel, xType = "log", yType = "log", rules = [], marker, legend = "top-right", ariaLabel} = options;
  const margin = {top: yLabel ? 24 : 10, right: 14, bottom: 34, left: 56};
  const okX = (v: number) => Number.isFinite(v) && (xType !== "log" || v > 0);
  const okY = (v: number) => Number.isFinite(v) && (yType !== "log" || v > 0);
  const pairs = series.map((s) => Array.from(s.x, (xv, k) => [xv, s.y[k]] as [number, number]).filter(([a, b]) => okX(a) && okY(b)));
  const xs = pairs.flat().map(([a]) => a);
  const ys = pairs.flat().map(([, b]) => b).concat(rules.map((r) => r.y).filter(okY));
  const xDomain = options.xDomain ?? (d3.extent(xs) as [number, number]);
  const yDomain = options.yDomain ?? (d3.extent(ys) as [number, number]);
  const x = (xType === "log" ? d3.scaleLog(xDomain, [margin.left, width - margin.right]) : d3.scaleLinear(xDomain, [margin.left, width - margin.right])).clamp(true);
  const y = (yType === "log" ? d3.scaleLog(yDomain, [height - margin.bottom, margin.top]) : d3.scaleLinear(yDomain, [height - margin.bottom, margin.top])).nice();
  const svg = d3.create("svg").attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`).attr("role", "img");
  svg.attr("aria-label", ariaLabel ?? `${yLabel ?? "y"} against ${xLabel ?? "x"}`).style("max-width", "100%").style("height", "auto");
  const xAxis = xType === "log" ? d3.axisBottom(x).ticks(6, "~s") : d3.axisBottom(x).ticks(6);
  const yAxis = yType === "log" ? d3.axisLeft(y).ticks(5).tickFormat((v) => powerOfTen(+v)) : d3.axisLeft(y).ticks(5);
  svg.append("g").attr("transform", `translate(0,${height - margin.bottom})`).call(xAxis).attr("color", "var(--theme-foreground-muted)");
  svg.append("g").attr("transform", `translate(${margin.left},0)`).call(yAxis).attr("color", "var(--theme-foreground-muted)");
  if (xLabel) svg.append("text").attr("x", width - margin.right).attr("y", height - 4).attr("text-anchor", "end").attr("font-size", 12).attr("fill", "currentColor").text(xLabel);
  if (yLabel) svg.append("text").attr("x", 4).attr("y", 12).attr("font-size", 12).attr("fill", "currentColor").text(yLabel);
  for (const rule of rules) {
    if (!okY(rule.y)) continue;
    svg.append("line").attr("x1", margin.left).attr("x2", width - margin.right).attr("y1", y(rule.y)).attr("y2", y(rule.y)).attr("stroke", "currentColor").attr("stroke-opacity", 0.35).attr("stroke-dasharray", "2,3");
    svg.append("text").attr("x", margin.left + 4).attr("y", y(rule.y) - 3).attr("font-size", 11).attr("fill", "currentColor").attr("fill-opacity", 0.7).text(rule.label);
  }
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const points = pairs[i];
    svg.append("path").attr("fill", "none").attr("stroke", color).attr("stroke-width", 2).attr("stroke-dasharray", s.dash ?? null).attr("d", d3.line()(points.map(([a, b]) => [x(a), y(b)])));
    if (s.dots) {
      svg.append("g").selectAll("circle").data(points).join("circle").attr("cx", ([a]) => x(a)).attr("cy", ([, b]) => y(b)).attr("r", 3).attr("fill", color);
    }
    const left = legend === "bottom-left";
    const key = svg
      .append("g")
      .attr("transform", left ? `translate(${margin.left + 8},${height - margin.bottom - 10 - (series.length - 1 - i) * 16})` : `translate(${width - margin.right - 4},${margin.top + 8 + i * 16})`);
    key.append("line").attr("x1", left ? 0 : -26).attr("x2", left ? 18 : -8).attr("stroke", color).attr("stroke-width", 2).attr("stroke-dasharray", s.dash ?? null);
    key.append("text").attr("x", left ? 22 : -30).attr("dy", "0.32em").attr("text-anchor", left ? "start" : "end").attr("font-size", 12).attr("fill", "currentColor").text(s.label);
  });
  if (marker !== undefined && okX(marker)) {
    svg.append("line").attr("x1", x(marker)).attr("x2", x(marker)).attr("y1", margin.top).attr("y2", height - margin.bottom).attr("stroke", "currentColor").attr("stroke-opacity", 0.5).attr("stroke-dasharray", "3,3");
  }
  return svg.node()!;
}
