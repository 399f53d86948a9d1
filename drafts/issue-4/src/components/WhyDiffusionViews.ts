// Views of the "Why diffusion" page: the 8-Gaussian ring with its modes' 3σ discs, samples of a
// generator over it, a GAN discriminator's verdict D(x) as a background (GAN Lab style), and the
// reverse process's drift field as arrows. Points are drawn on a canvas, axes in SVG.
import * as d3 from "d3";
import type {GaussianMixture} from "../lib/mixture.js";

export interface RingViewOptions {
  gm: GaussianMixture;
  width?: number;
  /** Square domain [−extent, extent]². */
  extent?: number;
  title?: string;
  ariaLabel?: string;
  /** Data points, drawn faint under everything else. */
  data?: ArrayLike<number>;
  /** A generator's samples. */
  samples?: ArrayLike<number>;
  sampleColor?: string;
  /** High-quality samples per mode (modeCoverage's counts) and the number of samples: labels the discs. */
  counts?: ArrayLike<number>;
  total?: number;
  /** Radius of a mode's disc in standard deviations (modeCoverage's k). */
  k?: number;
  /** D(x) on an m × m grid over the domain (gridPoints(extent, m) order: rows from the bottom). */
  heat?: {m: number; values: ArrayLike<number>};
  /** Arrows from each point by its vector times `scale` (flat 2D arrays of equal length). */
  arrows?: {points: ArrayLike<number>; vectors: ArrayLike<number>; scale: number};
}

const SAMPLE_COLOR = "#e45756";

/** Resolves a CSS colour (possibly a var()) against an element, for drawing on a canvas. */
function resolveColor(element: Element, color: string): string {
  const probe = document.createElement("span");
  probe.style.color = color;
  probe.style.display = "none";
  element.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved || color;
}

/** The ring (or any 2D mixture) with what a page wants on it; see RingViewOptions. */
export function RingView(options: RingViewOptions): HTMLElement {
  const {gm, width = 340, extent = 2.2, title, ariaLabel, data, samples, sampleColor = SAMPLE_COLOR, counts, total, k = 3, heat, arrows} = options;
  const height = width;
  const margin = {top: title ? 22 : 8, right: 8, bottom: 22, left: 30};
  const root = document.createElement("figure");
  root.className = "ring-view";
  root.style.cssText = `position:relative;width:${width}px;height:${height}px;margin:0;max-width:none`;
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", ariaLabel ?? title ?? "points on the 8-Gaussian ring");
  const x = d3.scaleLinear([-extent, extent], [margin.left, width - margin.right]);
  const y = d3.scaleLinear([-extent, extent], [height - margin.bottom, margin.top]);
  const ratio = globalThis.devicePixelRatio ?? 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px`;
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

  // Each mode's k-sd disc: solid when it holds high-quality samples, dashed when it is missed.
  const sd = Array.from(gm.variances, Math.sqrt);
  const discs = svg.append("g").attr("fill", "none");
  for (let m = 0; m < gm.weights.length; m++) {
    const cx = x(gm.means[2 * m]);
    const cy = y(gm.means[2 * m + 1]);
    const covered = counts ? counts[m] > 0 : true;
    discs
      .append("circle")
      .attr("cx", cx)
      .attr("cy", cy)
      .attr("r", x(k * sd[m]) - x(0))
      .attr("stroke", counts ? (covered ? "#54a24b" : "var(--theme-foreground-muted)") : "var(--theme-foreground-faint)")
      .attr("stroke-width", counts && covered ? 1.6 : 1)
      .attr("stroke-dasharray", counts && !covered ? "3,3" : null);
    if (counts && total) {
      // The mode's share of all samples, outside the disc, away from the centre.
      const angle = Math.atan2(gm.means[2 * m + 1], gm.means[2 * m]);
      const r = x(k * sd[m]) - x(0) + 12;
      svg
        .append("text")
        .attr("x", cx + r * Math.cos(angle))
        .attr("y", cy - r * Math.sin(angle))
        .attr("text-anchor", "middle")
        .attr("dy", "0.32em")
        .attr("font-size", 10)
        .attr("fill", covered ? "currentColor" : "var(--theme-foreground-muted)")
        .text(`${Math.round((100 * counts[m]) / total)}%`);
    }
  }
  root.append(canvas, svg.node()!);

  const draw = () => {
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (heat) {
      // D(x) from 0 (purple: "fake") to 1 (green: "real"), faint so the points stay readable.
      const {m, values} = heat;
      const cell = (x(extent) - x(-extent)) / (m - 1);
      ctx.globalAlpha = 0.35;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          const v = values[i * m + j];
          ctx.fillStyle = d3.interpolatePRGn(Number.isFinite(v) ? v : 0.5);
          const px = x(-extent + (2 * extent * j) / (m - 1));
          const py = y(-extent + (2 * extent * i) / (m - 1));
          ctx.fillRect(px - cell / 2, py - cell / 2, cell + 0.5, cell + 0.5);
        }
      }
    }
    const dot = (points: ArrayLike<number>, color: string, alpha: number, r: number) => {
      ctx.fillStyle = resolveColor(root, color);
      ctx.globalAlpha = alpha;
      for (let p = 0; p + 1 < points.length; p += 2) {
        const px = x(points[p]);
        const py = y(points[p + 1]);
        if (px < margin.left || px > width - margin.right || py < margin.top || py > height - margin.bottom) continue;
        ctx.fillRect(px - r / 2, py - r / 2, r, r);
      }
    };
    if (data) dot(data, "var(--theme-foreground-muted)", 0.35, 1.4);
    if (samples) dot(samples, sampleColor, 0.7, 2);
    if (arrows) {
      const {points, vectors, scale} = arrows;
      ctx.strokeStyle = resolveColor(root, "var(--theme-foreground-focus)");
      ctx.fillStyle = ctx.strokeStyle;
      ctx.globalAlpha = 0.9;
      ctx.lineWidth = 1.2;
      for (let p = 0; p + 1 < points.length; p += 2) {
        const x0 = x(points[p]);
        const y0 = y(points[p + 1]);
        const x1 = x(points[p] + scale * vectors[p]);
        const y1 = y(points[p + 1] + scale * vectors[p + 1]);
        const len = Math.hypot(x1 - x0, y1 - y0);
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        if (len > 3) {
          const a = Math.atan2(y1 - y0, x1 - x0);
          const h = Math.min(5, len / 2);
          ctx.beginPath();
          ctx.moveTo(x1, y1);
          ctx.lineTo(x1 - h * Math.cos(a - 0.45), y1 - h * Math.sin(a - 0.45));
          ctx.lineTo(x1 - h * Math.cos(a + 0.45), y1 - h * Math.sin(a + 0.45));
          ctx.closePath();
          ctx.fill();
        }
      }
    }
  };
  // Theme colours resolve only once the element is in the document.
  requestAnimationFrame(draw);
  return root;
}
