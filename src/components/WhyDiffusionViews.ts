// Views of the "Why diffusion" page: the 8-Gaussian ring with its modes' 3σ discs, samples of a
// generator over it, a GAN discriminator's verdict D(x) as a background (GAN Lab style), and the
// reverse process's drift field as arrows. Built on charts.ts's scatterFrame.
import * as d3 from "d3";
import type {CoverageCheck, DriftCheck} from "../lib/checks/why-diffusion.js";
import type {GaussianMixture} from "../lib/mixture.js";
import {resolveColor, scatterFrame} from "./charts.js";
import {CheckResult} from "./CheckResult.js";

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

/** The ring (or any 2D mixture) with what a page wants on it; see RingViewOptions. */
export function RingView(options: RingViewOptions): HTMLElement {
  const {gm, width = 340, extent = 2.2, title, ariaLabel, data, samples, sampleColor = SAMPLE_COLOR, counts, total, k = 3, heat, arrows} = options;
  const {root, svg, x, y, paint, dots} = scatterFrame({width, height: width, extent, title, ariaLabel: ariaLabel ?? title ?? "points on the 8-Gaussian ring", className: "ring-view"});

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

  paint((ctx) => {
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
    if (data) dots(ctx, data, "var(--theme-foreground-muted)", 0.55, 1.4);
    if (samples) dots(ctx, samples, sampleColor, 0.7, 2);
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
  });
  return root;
}

/** The data's own mode coverage (draw `draw`), the yardstick for the samplers. */
export function coverageCheckView(check: CoverageCheck, draw: number): HTMLElement {
  return CheckResult({
    pass: check.pass,
    title: `draw ${draw}: ${check.coverage.modesCovered} of 8 modes covered, ${(100 * check.coverage.highQualityFraction).toFixed(1)}% of ${check.n} points within 3σ`,
    details: [
      `outside the circles: ${check.outside} (expected ${check.expectedOutside.toFixed(1)}), z = ${check.z.toFixed(2)}`,
      `points per mode: ${Array.from(check.coverage.counts).join(", ")}`,
      `KL of the mode shares to uniform: ${check.modeKL.toFixed(4)} nats (sampling noise alone gives ≈ 7/(2·${check.n}) = ${(7 / (2 * check.n)).toFixed(4)})`
    ]
  });
}

/** Eq. 11 with ε* against the score form (W5) at `points` grid points; `betaT` is β_t at the check's step. */
export function driftCheckView(drift: DriftCheck, points: number, betaT: number): HTMLElement {
  return CheckResult({
    pass: drift.pass,
    title: `t = ${drift.t}: Eq. 11 with ε* equals the score form (W5) at ${points} grid points`,
    details: [
      `largest difference ${drift.maxAbsDiff.toExponential(2)} against a largest drift of ${drift.scale.toExponential(3)} (pass: below 10⁻⁹ of it)`,
      `first-order form (W6): off by ${(100 * drift.firstOrderRelErr).toFixed(3)}% of the largest drift (of order βₜ/2 = ${(50 * betaT).toFixed(3)}%)`
    ]
  });
}
