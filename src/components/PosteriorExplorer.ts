// The Reverse-process page's 2D explorer: drag x_0 and x_t on the 8-Gaussian ring, pick t, and
// see the forward posterior q(x_{t−1}|x_t, x_0) (Eq. 6–7) beside the optimal model's reverse step
// p_θ(x_{t−1}|x_t) (Eq. 11 with ε_θ = ε*), with their KL, the bound's term L_{t−1}. The numbers
// come from src/lib/checks/posterior-explorer.ts; this file holds the controls, the data panel and
// the dragging, PosteriorExplorerViews.ts the zoom panel and the readout.
import * as Inputs from "@observablehq/inputs";
import * as d3 from "d3";
import {qSample} from "../lib/forward.js";
import type {GaussianMixture} from "../lib/mixture.js";
import {posteriorExplorerState, type PosteriorExplorerState} from "../lib/checks/posterior-explorer.js";
import {createRng} from "../lib/random.js";
import type {Schedule, Sigma2Kind} from "../lib/schedule.js";
import {html} from "htl";
import {StepSlider} from "./StepSlider.js";
import {MARGIN, P_COLOR, Q_COLOR, drawZoomPanel, explorerReadout, pt, textColor, zoomWindow} from "./PosteriorExplorerViews.js";

export interface PosteriorExplorerOptions {
  schedule: Schedule;
  /** The data's exact mixture (the ring): ε* is computed from it. */
  mixture: GaussianMixture;
  /** Steps the slider offers (each ≥ 2); default dense at small t, where x_0 matters most. */
  timesteps?: number[];
  t?: number;
  x0?: [number, number];
  xt?: [number, number];
  sigma2Kind?: Sigma2Kind;
  /** Side of each square panel, px. */
  size?: number;
  /** Seed of the noise behind "Draw x_t". */
  seed?: number;
}

const EXTENT = 2; // the data panel shows [−EXTENT, EXTENT]²; the ring has radius ≈ 1.41, its modes σ = 0.1
const CLOSE_UP = 0.35; // half-width of the data panel's close-up, for small t where x_0 and x_t nearly coincide
const LIMIT = 4; // points stay in [−LIMIT, LIMIT]²
export function defaultTimesteps(T: number): number[] {
  const steps: number[] = [];
  const add = (from: number, to: number, by: number) => {
    for (let t = from; t <= Math.min(to, T); t += by) if (t >= 2 && !steps.includes(t)) steps.push(t);
  };
  add(2, 20, 1);
  add(25, 100, 5);
  add(110, 300, 10);
  add(325, T, 25);
  if (!steps.includes(T) && T >= 2) steps.push(T);
  return steps;
}


export function PosteriorExplorer(options: PosteriorExplorerOptions): HTMLElement & {value: PosteriorExplorerState} {
  const {schedule: s, mixture: gm, size = 330} = options;
  const timesteps = options.timesteps ?? defaultTimesteps(s.T);
  let t = options.t ?? 30;
  let tIndex = timesteps.indexOf(t);
  if (tIndex < 0) {
    tIndex = 0;
    t = timesteps[0];
  }
  const x0: [number, number] = options.x0 ? [...options.x0] : [1.43, 0.28];
  const xt: [number, number] = options.xt ? [...options.xt] : (Array.from(qSample(s, x0, t, [-1.2, -0.8])) as [number, number]);
  let sigma2Kind: Sigma2Kind = options.sigma2Kind ?? "betaTilde";
  const rng = createRng(options.seed ?? 2020);
  let state: PosteriorExplorerState;

  const root = html`<div class="posterior-explorer" data-testid="posterior-explorer" style="font: 13px var(--sans-serif); margin: 1rem 0;"></div>` as HTMLElement & {value: PosteriorExplorerState};

  // Controls: the step, the model's variance, two shortcuts.
  const slider = StepSlider(timesteps, {value: tIndex, label: "Step"});
  slider.classList.add("pe-step");
  // Inputs forms sized to their content, as the controls of one row (their default is a 360 px block).
  const compact = <T extends HTMLElement>(form: T): T => {
    form.style.cssText = "width:auto;margin:0;--label-width:auto";
    for (const part of form.querySelectorAll<HTMLElement>(":scope > label, select")) part.style.width = "auto";
    form.querySelector<HTMLElement>(":scope > label")?.style.setProperty("margin-right", "var(--length2)"); // on phones too
    return form;
  };
  const sigmaKinds: Sigma2Kind[] = ["betaTilde", "beta"];
  const sigmaField = compact(Inputs.select(sigmaKinds, {label: "Model variance", value: sigma2Kind, format: (k) => (k === "beta" ? "σₜ² = βₜ" : "σₜ² = β̃ₜ")}));
  // Each button a one-button Inputs form; data-action names it for the tests.
  const actionButton = (action: string, text: string) => {
    const form = compact(Inputs.button(text));
    form.querySelector("button")!.dataset.action = action;
    return form;
  };
  const drawButton = actionButton("draw-xt", "Draw xₜ ~ q(xₜ | x₀)");
  const snapButton = actionButton("snap-x0", "Move x₀ to E[x₀ | xₜ]");
  const closeUpButton = actionButton("close-up", "Close-up of the data");
  const closeUpToggle = closeUpButton.querySelector("button")!;
  closeUpToggle.setAttribute("aria-pressed", "false");
  const row = (...children: Node[]): HTMLDivElement => html`<div style="display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:center;margin:0.4rem 0;">${children}</div>`;

  // Keyboard and exact entry: four number inputs mirror the two draggable points.
  const coordInput = (label: string): HTMLInputElement => html`<input type="number" step="0.01" min="-4" max="4" aria-label=${label} style="width:5.5em">`;
  const inputs = {x0: [coordInput("x₀, first coordinate"), coordInput("x₀, second coordinate")], xt: [coordInput("xₜ, first coordinate"), coordInput("xₜ, second coordinate")]};
  const coordGroup = (name: string, color: string, pair: HTMLInputElement[]) => {
    const label = html`<span style=${`color:${textColor(color)};font-weight:600`}>${name} = (</span>`;
    return html`<span>${label}${pair[0]}, ${pair[1]})</span>`;
  };

  // Two panels: the data space, and a zoom on x_{t−1}'s neighbourhood, where q and p_θ live.
  const makeSvg = (aria: string) =>
    d3.create("svg").attr("width", size).attr("height", size).attr("viewBox", `0 0 ${size} ${size}`).attr("role", "group").attr("aria-label", aria).style("max-width", "100%").style("height", "auto").style("touch-action", "none").style("overflow", "hidden");
  const dataSvg = makeSvg("data space: the 8-Gaussian ring with draggable points x₀ and xₜ");
  const zoomSvg = makeSvg("zoom on x_{t−1}: the posterior q and the model p_θ as circles of two standard deviations");
  // The data panel shows the whole ring, or a close-up that follows the two points.
  const view = {cx: 0, cy: 0, half: EXTENT, closeUp: false};
  let dragging = false; // the close-up does not move under the pointer; it refits when the drag ends
  const dataScale = d3.scaleLinear([-EXTENT, EXTENT], [MARGIN, size - MARGIN]);
  const dataScaleY = d3.scaleLinear([-EXTENT, EXTENT], [size - MARGIN, MARGIN]);
  const inView = (p: ArrayLike<number>) => Math.abs(p[0] - view.cx) < 0.85 * view.half && Math.abs(p[1] - view.cy) < 0.85 * view.half;
  const fitView = () => {
    if (!view.closeUp && !dragging) {
      // The whole ring, widened if a drawn or typed point lies outside it.
      const far = Math.max(...x0.map(Math.abs), ...xt.map(Math.abs));
      Object.assign(view, {cx: 0, cy: 0, half: Math.max(EXTENT, 1.1 * far)});
    }
    else if (!dragging && (!inView(x0) || !inView(xt))) {
      Object.assign(view, {cx: (x0[0] + xt[0]) / 2, cy: (x0[1] + xt[1]) / 2, half: Math.max(CLOSE_UP, 0.75 * Math.hypot(x0[0] - xt[0], x0[1] - xt[1]))});
    }
    dataScale.domain([view.cx - view.half, view.cx + view.half]);
    dataScaleY.domain([view.cy - view.half, view.cy + view.half]);
  };
  dataSvg.append("rect").attr("x", 0.5).attr("y", 0.5).attr("width", size - 1).attr("height", size - 1).attr("fill", "none").attr("stroke", "var(--theme-foreground-faintest)");
  const modeLayer = dataSvg.append("g");
  const dataTitle = dataSvg.append("text").attr("x", MARGIN + 2).attr("y", MARGIN + 10).attr("font-size", 11).attr("fill", "var(--theme-foreground-muted)");
  const dataLayer = dataSvg.append("g");
  const zoomFrame = zoomSvg.append("rect").attr("x", 0.5).attr("y", 0.5).attr("width", size - 1).attr("height", size - 1).attr("fill", "none").attr("stroke", "var(--theme-foreground-faintest)");
  void zoomFrame;
  const zoomLayer = zoomSvg.append("g");

  const handle = (name: string, color: string, label: string, labelAt: [number, number]) => {
    const g = dataSvg.append("g").attr("tabindex", 0).attr("role", "slider").attr("aria-label", `${label}: drag, or use the arrow keys (Shift for bigger steps)`).attr("data-handle", name).style("cursor", "grab").style("outline", "none");
    g.append("circle").attr("r", 14).attr("fill", "transparent"); // a larger target for fingers
    g.append("circle").attr("class", "ring").attr("r", 5).attr("fill", color).attr("fill-opacity", 0.85).attr("stroke", "var(--theme-background)").attr("stroke-width", 1.5);
    g.append("text").attr("x", labelAt[0]).attr("y", labelAt[1]).attr("text-anchor", labelAt[0] < 0 ? "end" : "start").attr("font-size", 12).attr("font-weight", 600).attr("fill", textColor(color)).text(label);
    g.on("focus", () => g.select(".ring").attr("stroke", "currentColor").attr("stroke-width", 2.5));
    g.on("blur", () => g.select(".ring").attr("stroke", "var(--theme-background)").attr("stroke-width", 1.5));
    return g;
  };
  const x0Handle = handle("x0", Q_COLOR, "x₀", [-7, -7]);
  const xtHandle = handle("xt", P_COLOR, "xₜ", [7, -7]);

  const klLine: HTMLParagraphElement = html`<p data-testid="posterior-kl" style="font-size:16px;margin:0.5rem 0 0.25rem 0;max-width:none;"></p>`;
  const detailList: HTMLUListElement = html`<ul style="margin:0.25rem 0;padding-left:1.2rem;max-width:none;"></ul>`;
  const readout: HTMLDivElement = html`<div aria-live="polite">${klLine}${detailList}</div>`;
  const checkSlot: HTMLDivElement = html`<div></div>`;

  const panels: HTMLDivElement = html`<div style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;">${dataSvg.node()}${zoomSvg.node()}</div>`;
  root.append(
    row(slider, sigmaField),
    row(coordGroup("x₀", Q_COLOR, inputs.x0), coordGroup("xₜ", P_COLOR, inputs.xt)),
    row(drawButton, snapButton, closeUpButton),
    panels,
    readout,
    checkSlot
  );

  function render(): void {
    state = posteriorExplorerState(s, gm, t, x0, xt, sigma2Kind);
    root.value = state;
    const zoom = zoomWindow(state, size);
    const {cx, cy, half} = zoom;
    // Data panel: the ring's modes, x̂_0 = E[x_0|x_t], the zoom window, and the handles.
    fitView();
    dataTitle.text(view.closeUp ? `close-up of the data (×${Math.round(EXTENT / view.half)})` : "data space (grey: the ring's 8 modes, 2σ)");
    modeLayer.selectAll("*").remove();
    for (let k = 0; k < gm.weights.length; k++) {
      const r = 2 * Math.sqrt(gm.variances[k]);
      modeLayer.append("circle").attr("cx", dataScale(gm.means[2 * k])).attr("cy", dataScaleY(gm.means[2 * k + 1])).attr("r", dataScale(r) - dataScale(0)).attr("fill", "currentColor").attr("fill-opacity", 0.1);
    }
    dataLayer.selectAll("*").remove();
    dataLayer.append("line").attr("x1", dataScale(x0[0])).attr("y1", dataScaleY(x0[1])).attr("x2", dataScale(state.x0Hat[0])).attr("y2", dataScaleY(state.x0Hat[1])).attr("stroke", "currentColor").attr("stroke-opacity", 0.45).attr("stroke-dasharray", "3,3");
    dataLayer.append("circle").attr("cx", dataScale(state.x0Hat[0])).attr("cy", dataScaleY(state.x0Hat[1])).attr("r", 6).attr("fill", "none").attr("stroke", P_COLOR).attr("stroke-width", 2);
    dataLayer.append("text").attr("x", dataScale(state.x0Hat[0]) + 8).attr("y", dataScaleY(state.x0Hat[1]) + 14).attr("font-size", 11).attr("fill", P_COLOR).text("E[x₀|xₜ]");
    const boxSide = Math.max(4, 2 * (dataScale(half) - dataScale(0)));
    dataLayer.append("rect").attr("x", dataScale(cx) - boxSide / 2).attr("y", dataScaleY(cy) - boxSide / 2).attr("width", boxSide).attr("height", boxSide).attr("fill", "none").attr("stroke", "currentColor").attr("stroke-opacity", 0.6);
    x0Handle.attr("transform", `translate(${dataScale(x0[0])},${dataScaleY(x0[1])})`).attr("aria-valuetext", `x₀ = ${pt(x0, 2)}`);
    xtHandle.attr("transform", `translate(${dataScale(xt[0])},${dataScaleY(xt[1])})`).attr("aria-valuetext", `xₜ = ${pt(xt, 2)}`);
    xtHandle.raise();
    // Each label on the side away from the other point, so that neither reads as the other's.
    const x0Left = x0[0] <= xt[0];
    x0Handle.select("text").attr("x", x0Left ? -7 : 7).attr("text-anchor", x0Left ? "end" : "start");
    xtHandle.select("text").attr("x", x0Left ? 7 : -7).attr("text-anchor", x0Left ? "start" : "end");

    drawZoomPanel(zoomLayer, state, xt, size, zoom, view.half);

    // Inputs mirror the points unless the reader is typing in them.
    const sync = (input: HTMLInputElement, v: number) => {
      if (document.activeElement !== input) input.value = v.toFixed(3);
    };
    sync(inputs.x0[0], x0[0]);
    sync(inputs.x0[1], x0[1]);
    sync(inputs.xt[0], xt[0]);
    sync(inputs.xt[1], xt[1]);

    const {kl, items, check} = explorerReadout(state, t, sigma2Kind);
    klLine.replaceChildren(kl);
    detailList.replaceChildren(...items);
    checkSlot.replaceChildren(check);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // Dragging: d3.drag on each handle (mouse and touch; it follows the pointer outside the panel).
  // Its event's x and y are in the data panel's own coordinates, the handle's parent.
  const toData = (event: d3.D3DragEvent<SVGGElement, undefined, unknown>): [number, number] => {
    const [x0d, x1d] = dataScale.domain();
    const [y0d, y1d] = dataScaleY.domain();
    const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
    return [clamp(dataScale.invert(event.x), x0d, x1d), clamp(dataScaleY.invert(event.y), y0d, y1d)];
  };
  const draggable = (g: d3.Selection<SVGGElement, undefined, null, undefined>, point: [number, number]) => {
    const node = g.node()!;
    g.call(
      d3
        .drag<SVGGElement, undefined>()
        .on("start", () => {
          dragging = true;
          node.focus();
          g.style("cursor", "grabbing");
        })
        .on("drag", (event) => {
          [point[0], point[1]] = toData(event);
          render();
        })
        .on("end", () => {
          g.style("cursor", "grab");
          dragging = false;
          render();
        })
    );
    node.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 0.1 : 0.01;
      const moves: Record<string, [number, number]> = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step]};
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      point[0] = Math.max(-LIMIT, Math.min(LIMIT, point[0] + move[0]));
      point[1] = Math.max(-LIMIT, Math.min(LIMIT, point[1] + move[1]));
      render();
    });
  };
  draggable(x0Handle, x0);
  draggable(xtHandle, xt);

  const bindInput = (input: HTMLInputElement, point: [number, number], i: number) => {
    input.addEventListener("input", (event) => {
      event.stopPropagation(); // the explorer's own "input" event carries its state
      const v = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(v)) return;
      point[i] = Math.max(-LIMIT, Math.min(LIMIT, v));
      render();
    });
    input.addEventListener("change", () => render());
  };
  inputs.x0.forEach((input, i) => bindInput(input, x0, i));
  inputs.xt.forEach((input, i) => bindInput(input, xt, i));

  slider.addEventListener("input", (event) => {
    event.stopPropagation();
    t = timesteps[slider.value];
    render();
  });
  // The controls' own "input" events stop here: the explorer's "input" event carries its state.
  const onInput = (control: HTMLElement, act: () => void) =>
    control.addEventListener("input", (event) => {
      event.stopPropagation();
      act();
      render();
    });
  onInput(sigmaField, () => (sigma2Kind = sigmaField.value));
  onInput(drawButton, () => ([xt[0], xt[1]] = qSample(s, x0, t, rng.normals(2))));
  onInput(closeUpButton, () => {
    view.closeUp = !view.closeUp;
    if (view.closeUp) Object.assign(view, {cx: (x0[0] + xt[0]) / 2, cy: (x0[1] + xt[1]) / 2, half: Math.max(CLOSE_UP, 0.75 * Math.hypot(x0[0] - xt[0], x0[1] - xt[1]))});
    closeUpToggle.textContent = view.closeUp ? "Whole ring" : "Close-up of the data";
    closeUpToggle.setAttribute("aria-pressed", String(view.closeUp));
  });
  onInput(snapButton, () => ([x0[0], x0[1]] = [state.x0Hat[0], state.x0Hat[1]]));

  render();
  return root;
}
