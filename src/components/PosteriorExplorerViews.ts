// The posterior explorer's views that follow from its state alone (PosteriorExplorer.ts holds the
// controls, the data panel and the dragging): the zoom panel on x_{t−1}, where the posterior q and
// the model p_θ are drawn as circles of two standard deviations, and the readout of L_{t−1} with
// its parts and the check that μ_θ from ε* lands on the posterior mean at E[x₀ | xₜ].
import * as d3 from "d3";
import {html} from "htl";
import {fmtFixed, fmtPrecision} from "../lib/format.js";
import {EXPLORER_CONSISTENCY_TOLERANCE, explorerConsistencyPasses, type PosteriorExplorerState} from "../lib/checks/posterior-explorer.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import {CheckResult} from "./CheckResult.js";

/** The colours: red for the forward posterior q and x_0, the theme's accent for the model p_θ and x_t. */
export const Q_COLOR = "#e45756";
export const P_COLOR = "var(--theme-foreground-focus)";
/** A colour for text: the red alone is 3.6:1 on white; mixed with the text colour it reads at 5.8:1 (6:1 in dark). */
export const textColor = (color: string) => `color-mix(in srgb, ${color} 70%, var(--theme-foreground))`;
export const MARGIN = 8; // px inside each panel's edge
const LEGEND = 52; // px above the zoom panel's plot for its title and legend

export const pt = (p: ArrayLike<number>, digits = 3) => `(${fmtFixed(p[0], digits)}, ${fmtFixed(p[1], digits)})`;
const nats = (v: number) => fmtPrecision(v, 4);

/** A round length (1, 2 or 5 × 10^k) no longer than `max`, for a scale bar. */
function niceLength(max: number): number {
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [5, 2, 1]) if (m * p <= max) return m * p;
  return p;
}

/** The zoom panel's window: centred between the two means, wide enough for both circles, and its scales. */
export function zoomWindow(state: PosteriorExplorerState, size: number) {
  const rq = 2 * Math.sqrt(state.betaTilde);
  const rp = 2 * Math.sqrt(state.sigma2);
  const cx = (state.muTilde[0] + state.muTheta[0]) / 2;
  const cy = (state.muTilde[1] + state.muTheta[1]) / 2;
  const reach = (m: Float64Array, r: number) => Math.hypot(m[0] - cx, m[1] - cy) + r;
  const half = 1.3 * Math.max(reach(state.muTilde, rq), reach(state.muTheta, rp));
  // The top LEGEND px hold the title and legend; the circles get the square below them.
  const side = size - 2 * MARGIN - LEGEND;
  const left = (size - side) / 2;
  const zx = d3.scaleLinear([cx - half, cx + half], [left, left + side]);
  const zy = d3.scaleLinear([cy - half, cy + half], [size - MARGIN, size - MARGIN - side]);
  const zr = (r: number) => zx(r) - zx(0);
  return {rq, rp, cx, cy, half, side, zx, zy, zr};
}

/** The zoom panel: q(x_{t−1}|x_t, x_0) and p_θ(x_{t−1}|x_t) as circles of radius 2σ around their means, x_t if in view, a legend and a scale bar. */
export function drawZoomPanel(zoomLayer: d3.Selection<SVGGElement, undefined, null, undefined>, state: PosteriorExplorerState, xt: ArrayLike<number>, size: number, zoom: ReturnType<typeof zoomWindow>, dataHalf: number): void {
  const {rq, rp, cx, cy, half, side, zx, zy, zr} = zoom;
  zoomLayer.selectAll("*").remove();
  zoomLayer.append("text").attr("x", MARGIN + 2).attr("y", MARGIN + 10).attr("font-size", 11).attr("fill", "var(--theme-foreground-muted)").text(`zoom on xₜ₋₁ (×${Math.round((dataHalf / half) * (side / (size - 2 * MARGIN))).toLocaleString("en")} the left panel)`);
  zoomLayer.append("circle").attr("cx", zx(state.muTilde[0])).attr("cy", zy(state.muTilde[1])).attr("r", zr(rq)).attr("fill", Q_COLOR).attr("fill-opacity", 0.12).attr("stroke", Q_COLOR).attr("stroke-width", 2);
  zoomLayer.append("circle").attr("cx", zx(state.muTheta[0])).attr("cy", zy(state.muTheta[1])).attr("r", zr(rp)).attr("fill", "none").attr("stroke", P_COLOR).attr("stroke-width", 2).attr("stroke-dasharray", "6,4");
  zoomLayer.append("circle").attr("cx", zx(state.muTilde[0])).attr("cy", zy(state.muTilde[1])).attr("r", 3.5).attr("fill", Q_COLOR);
  zoomLayer.append("circle").attr("cx", zx(state.muTheta[0])).attr("cy", zy(state.muTheta[1])).attr("r", 3.5).attr("fill", P_COLOR);
  if (Math.abs(xt[0] - cx) < half && Math.abs(xt[1] - cy) < half) {
    const g = zoomLayer.append("g").attr("transform", `translate(${zx(xt[0])},${zy(xt[1])})`).attr("stroke", P_COLOR).attr("stroke-width", 1.5);
    g.append("line").attr("x1", -5).attr("x2", 5).attr("y1", -5).attr("y2", 5);
    g.append("line").attr("x1", -5).attr("x2", 5).attr("y1", 5).attr("y2", -5);
    g.append("text").attr("x", 7).attr("y", -6).attr("font-size", 11).attr("stroke", "none").attr("fill", P_COLOR).text("xₜ");
  }
  const legend = [
    {color: Q_COLOR, dash: null, text: "q(xₜ₋₁ | xₜ, x₀): μ̃ₜ, radius 2√β̃ₜ"},
    {color: P_COLOR, dash: "6,4", text: "p_θ(xₜ₋₁ | xₜ): μ_θ, radius 2σₜ"}
  ];
  legend.forEach((item, i) => {
    const y = MARGIN + 26 + i * 15;
    zoomLayer.append("line").attr("x1", MARGIN + 4).attr("x2", MARGIN + 24).attr("y1", y).attr("y2", y).attr("stroke", item.color).attr("stroke-width", 2).attr("stroke-dasharray", item.dash);
    zoomLayer.append("text").attr("x", MARGIN + 28).attr("y", y).attr("dy", "0.32em").attr("font-size", 11).attr("fill", "currentColor").text(item.text);
  });
  const bar = niceLength(half * 0.5);
  const barY = MARGIN + 12;
  const barX = size - MARGIN - 6 - zr(bar);
  zoomLayer.append("line").attr("x1", barX).attr("x2", barX + zr(bar)).attr("y1", barY).attr("y2", barY).attr("stroke", "currentColor").attr("stroke-width", 2);
  zoomLayer.append("text").attr("x", barX - 4).attr("y", barY + 4).attr("text-anchor", "end").attr("font-size", 11).attr("fill", "currentColor").text(String(Number(bar.toPrecision(1))));
}

/** The readout: the live L_{t−1} (its line), what it is made of (list items), and the consistency check. */
export function explorerReadout(state: PosteriorExplorerState, t: number, sigma2Kind: Sigma2Kind): {kl: DocumentFragment; items: HTMLLIElement[]; check: HTMLElement} {
  const sigmaName = sigma2Kind === "beta" ? "βₜ" : "β̃ₜ";
  const kl: DocumentFragment = html`<strong>L</strong><sub>t−1</sub> = KL(q(xₜ₋₁ | xₜ, x₀) ‖ p_θ(xₜ₋₁ | xₜ)) = <strong data-testid="posterior-kl-value">${nats(state.kl)}</strong> nats at t = ${t}`;
  const lines = [
    `means: ‖μ̃ₜ − μ_θ‖² / (2σₜ²) = ${nats(state.klMeans)} nats; variances: ${nats(state.klVariances)} nats${sigma2Kind === "betaTilde" ? " (0: σₜ² = β̃ₜ)" : ""}`,
    `averaged over every x₀ that could have produced this xₜ, E[Lₜ₋₁ | xₜ] = ${nats(state.expectedKl)} nats: what even the optimal model pays here`,
    `μ̃ₜ = ${pt(state.muTilde, 4)}, β̃ₜ = ${fmtFixed(state.betaTilde, 5)};  μ_θ = ${pt(state.muTheta, 4)}, σₜ² = ${sigmaName} = ${fmtFixed(state.sigma2, 5)}`,
    `ε*(xₜ, t) = ${pt(state.epsStar)}, so E[x₀ | xₜ] = ${pt(state.x0Hat)}`,
    `xₜ lies ${state.xtDistance.toFixed(2)} standard deviations of q(xₜ | x₀) from √ᾱₜ x₀${state.xtDistance > 3.5 ? " — an unlikely xₜ for this x₀ (press “Draw xₜ”)" : ""}`
  ];
  const items: HTMLLIElement[] = lines.map((text) => html`<li>${text}</li>`);
  const check = CheckResult({
    pass: explorerConsistencyPasses(state),
    title: `t = ${t}: μ_θ from ε* (Eq. 11) lands on μ̃ₜ(xₜ, E[x₀ | xₜ]) (Eq. 7)`,
    details: [
      `|μ_θ − μ̃ₜ(xₜ, E[x₀|xₜ])| = ${state.consistencyGap.toExponential(2)}, i.e. ${(state.consistencyGap / Math.sqrt(state.betaTilde)).toExponential(2)} posterior standard deviations (pass below ${EXPLORER_CONSISTENCY_TOLERANCE.toExponential(0)})`,
      `so the optimal model's mean is the posterior mean at the average x₀ — not at the x₀ you chose`
    ]
  });
  return {kl, items, check};
}
