// Small d3 charts that follow the page's theme: SVG axes in currentColor, points on a canvas
// (thousands of moving points), colours from the theme's CSS variables.
import * as d3 from "d3";
import {html} from "htl";

export interface CloudLayer {
  points: ArrayLike<number>; // flat [x0, y0, x1, y1, …]
  color?: string; // a CSS colour; defaults to the theme's first categorical colour
  label?: string;
  radius?: number;
  opacity?: number;
}

export interface CloudOptions {
  width?: number;
  height?: number;
  /** Square domain [−extent, extent]² so that clouds at different t stay comparable. */
  extent?: number;
  title?: string;
  ariaLabel?: string;
}

export const PALETTE = ["var(--theme-foreground-focus)", "#e45756", "#54a24b", "#f58518", "#b279a2"];

/** Resolves a CSS colour (possibly a var()) against an element, for drawing on a canvas. */
export function resolveColor(element: Element, color: string): string {
  const probe: HTMLElement = html`<span style=${{color, display: "none"}}></span>`;
  element.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved || color;
}

/** A square 2D plot: a figure holding a canvas for points under an SVG with axes and a title. */
export interface ScatterFrame {
  root: HTMLElement;
  svg: d3.Selection<SVGSVGElement, undefined, null, undefined>;
  x: d3.ScaleLinear<number, number>;
  y: d3.ScaleLinear<number, number>;
  width: number;
  height: number;
  /** Space around the axes' area, for legends drawn by the caller. */
  margin: {top: number; right: number; bottom: number; left: number};
  /** Calls `paint` with a cleared, pixel-ratio-scaled context once the figure is in the document
   *  (theme colours resolve only then). */
  paint(paint: (context: CanvasRenderingContext2D) => void): void;
  /** Draws points (flat [x, y, …]) as small squares, skipping those outside the axes. */
  dots(context: CanvasRenderingContext2D, points: ArrayLike<number>, color: string, alpha: number, radius: number): void;
}

export function scatterFrame(options: {width: number; height: number; extent: number; title?: string; ariaLabel: string; className: string}): ScatterFrame {
  const {extent, title, ariaLabel, className} = options;
  // Framework's reactive `width` can be 0 for a moment while a page lays out; never draw inside-out axes.
  const width = Math.max(120, options.width);
  const height = Math.max(120, options.height);
  const margin = {top: title ? 22 : 8, right: 8, bottom: 22, left: 30};
  const x = d3.scaleLinear([-extent, extent], [margin.left, width - margin.right]);
  const y = d3.scaleLinear([-extent, extent], [height - margin.bottom, margin.top]);
  const ratio = globalThis.devicePixelRatio ?? 1;
  const canvas: HTMLCanvasElement = html`<canvas width=${Math.round(width * ratio)} height=${Math.round(height * ratio)} style=${`position:absolute;left:0;top:0;width:${width}px;height:${height}px`}></canvas>`;
  const svg = d3
    .create("svg")
    .attr("width", width)
    .attr("height", height)
    .attr("aria-hidden", "true")
    .style("position", "absolute")
    .style("left", "0")
    .style("top", "0")
    .style("overflow", "visible");
  svg.append("g").attr("transform", `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(5)).attr("color", "var(--theme-foreground-muted)");
  svg.append("g").attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(5)).attr("color", "var(--theme-foreground-muted)");
  if (title) svg.append("text").attr("x", margin.left).attr("y", 14).attr("fill", "currentColor").attr("font-size", 12).text(title);
  const root: HTMLElement = html`<figure class=${className} style=${`position:relative;width:${width}px;height:${height}px;margin:0;max-width:none`} role="img" aria-label=${ariaLabel}>${canvas}${svg.node()}</figure>`;
  const inside = (px: number, py: number) => px >= margin.left && px <= width - margin.right && py >= margin.top && py <= height - margin.bottom;
  return {
    root,
    svg,
    x,
    y,
    width,
    height,
    margin,
    paint(paint) {
      requestAnimationFrame(() => {
        const context = canvas.getContext("2d");
        if (!context) return;
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        context.clearRect(0, 0, width, height);
        paint(context);
      });
    },
    dots(context, points, color, alpha, radius) {
      context.fillStyle = resolveColor(root, color);
      context.globalAlpha = alpha;
      for (let k = 0; k + 1 < points.length; k += 2) {
        const px = x(points[k]);
        const py = y(points[k + 1]);
        if (inside(px, py)) context.fillRect(px - radius / 2, py - radius / 2, radius, radius);
      }
    },
  };
}

/** A 2D scatter of one or more point clouds on a canvas, with axes and a legend. */
export function PointCloud(layers: CloudLayer[], {width = 360, height = width, extent = 3.5, title, ariaLabel}: CloudOptions = {}): HTMLElement {
  const frame = scatterFrame({width, height, extent, title, ariaLabel: ariaLabel ?? title ?? "scatter plot of 2D points", className: "point-cloud"});
  const labelled = layers.filter((l) => l.label);
  labelled.forEach((layer, i) => {
    const g = frame.svg.append("g").attr("transform", `translate(${frame.width - frame.margin.right - 4},${frame.margin.top + 10 + i * 14})`);
    g.append("circle").attr("r", 4).attr("cx", -4).attr("fill", layer.color ?? PALETTE[i]);
    g.append("text").attr("x", -12).attr("dy", "0.32em").attr("text-anchor", "end").attr("font-size", 11).attr("fill", "currentColor").text(layer.label!);
  });
  frame.paint((context) => layers.forEach((layer, i) => frame.dots(context, layer.points, layer.color ?? PALETTE[i], layer.opacity ?? 0.55, layer.radius ?? 1.6)));
  return frame.root;
}

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dash?: string;
  /** Draw a dot at each point (a curve known only at a few x). */
  dots?: boolean;
  /** Line width in pixels; default 2. */
  strokeWidth?: number;
}

export interface LineChartOptions {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  xType?: "linear" | "log";
  yType?: "linear" | "log";
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Dashed horizontal lines, e.g. a check's thresholds. */
  rules?: {y: number; label: string}[];
  /** Where the legend goes: top-right suits rising curves, bottom-left falling ones. */
  legend?: "top-right" | "bottom-left";
  /** A vertical rule at this x, e.g. the t a slider selects. */
  marker?: number;
  ariaLabel?: string;
  /**
   * Labels of a logarithmic y axis: "decades" (default) labels powers of ten only; "values" labels
   * round values in between too (0.5, 1, 2), for a range of a decade or two such as a loss curve.
   */
  yLogTicks?: "decades" | "values";
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** A log axis's tick: "10⁴", "10⁻⁸" at powers of ten, nothing in between. */
export function powerOfTen(v: number): string {
  const k = Math.round(Math.log10(v));
  if (Math.abs(Math.log10(v) - k) > 1e-9) return "";
  if (k === 0) return "1";
  if (k === 1) return "10";
  return `10${k < 0 ? "⁻" : ""}${String(Math.abs(k)).replace(/\d/g, (d) => SUPERSCRIPT[+d])}`;
}

/**
 * Lines y(x) for a few series, e.g. ᾱ_t of two schedules, with a legend, optional threshold rules
 * and a marker; either axis linear (default) or logarithmic, where values ≤ 0 are left out.
 */
export function LineChart(series: Series[], options: LineChartOptions = {}): SVGSVGElement {
  const {width = 480, height = 240, xLabel, yLabel, xType = "linear", yType = "linear", rules = [], marker, legend = "top-right", ariaLabel} = options;
  const margin = {top: yLabel ? 24 : 10, right: 20, bottom: 34, left: 56};
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
  const yAxis =
    yType !== "log"
      ? d3.axisLeft(y).ticks(5)
      : options.yLogTicks === "values"
        ? d3.axisLeft(y).ticks(5, "~g")
        : d3.axisLeft(y).ticks(5).tickFormat((v) => powerOfTen(+v));
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
    svg.append("path").attr("fill", "none").attr("stroke", color).attr("stroke-width", s.strokeWidth ?? 2).attr("stroke-dasharray", s.dash ?? null).attr("d", d3.line()(points.map(([a, b]) => [x(a), y(b)])));
    if (s.dots) {
      svg.append("g").selectAll("circle").data(points).join("circle").attr("cx", ([a]) => x(a)).attr("cy", ([, b]) => y(b)).attr("r", 3).attr("fill", color);
    }
    const left = legend === "bottom-left";
    const key = svg
      .append("g")
      .attr("transform", left ? `translate(${margin.left + 8},${height - margin.bottom - 10 - (series.length - 1 - i) * 16})` : `translate(${width - margin.right - 4},${margin.top + 8 + i * 16})`);
    key.append("line").attr("x1", left ? 0 : -26).attr("x2", left ? 18 : -8).attr("stroke", color).attr("stroke-width", s.strokeWidth ?? 2).attr("stroke-dasharray", s.dash ?? null);
    key.append("text").attr("x", left ? 22 : -30).attr("dy", "0.32em").attr("text-anchor", left ? "start" : "end").attr("font-size", 12).attr("fill", "currentColor").text(s.label);
  });
  if (marker !== undefined && okX(marker)) {
    svg.append("line").attr("x1", x(marker)).attr("x2", x(marker)).attr("y1", margin.top).attr("y2", height - margin.bottom).attr("stroke", "currentColor").attr("stroke-opacity", 0.5).attr("stroke-dasharray", "3,3");
  }
  return svg.node()!;
}
