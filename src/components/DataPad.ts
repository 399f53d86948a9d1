// The drawing pad of DataDrawer.ts: a canvas of the points under an SVG with axes, the data's
// centre and scale, and the brush; strokes of a mouse, pen or finger (Pointer Events) that add
// points in dabs or erase them. The pad holds no dataset: it shows the points it is given and hands
// each finished stroke to the drawer.
import * as d3 from "d3";
import {html} from "htl";
import {MAX_POINTS} from "../lib/custom-data.js";
import type {Transform} from "../lib/custom-data.js";
import type {Rng} from "../lib/random.js";
import {resolveColor} from "./charts.js";

/** The square of data coordinates the pad shows: centre and half-width. */
export interface View {
  cx: number;
  cy: number;
  half: number;
}

export const DEFAULT_VIEW: View = {cx: 0, cy: 0, half: 3.5};
const SIZE = 400;
const MARGIN = {left: 36, top: 10};
const INNER = SIZE - MARGIN.left - 6;
const count = (n: number) => n.toLocaleString("en");

/** A square view around the points' bounding box, with a margin; the default view when there are none. */
export function fitView(raw: Float64Array): View {
  if (raw.length < 2) return {...DEFAULT_VIEW};
  const xs = d3.extent(raw.filter((_, i) => i % 2 === 0)) as [number, number];
  const ys = d3.extent(raw.filter((_, i) => i % 2 === 1)) as [number, number];
  const half = Math.max(xs[1] - xs[0], ys[1] - ys[0], 1e-9 * (1 + Math.abs(xs[0]) + Math.abs(ys[0]))) * 0.6;
  return {cx: (xs[0] + xs[1]) / 2, cy: (ys[0] + ys[1]) / 2, half};
}

/** A finished stroke: every point after it, whether it met MAX_POINTS, and how many it erased. */
export interface Stroke {
  work: number[];
  full: boolean;
  erased: number;
}

export interface DataPadOptions {
  /** The brush as the controls set it now. */
  brush(): {mode: "draw" | "erase"; radius: number; density: number};
  /** Where the dabs' scatter comes from. */
  rng: Rng;
  /** The points a stroke starts from (the dataset's). */
  start(): Float64Array;
  /** The points while a stroke is under way, to show. */
  drawing(points: number[]): void;
  /** The stroke has ended. */
  end(stroke: Stroke): void;
}

export interface DataPad {
  element: HTMLElement;
  /** Shows `points` in `view`, with the data's centre and unit scale when `transform` is given. */
  show(points: ArrayLike<number>, view: View, transform: Transform | null): void;
}

export function createDataPad(options: DataPadOptions): DataPad {
  const {rng} = options;
  const x = d3.scaleLinear().range([MARGIN.left, MARGIN.left + INNER]);
  const y = d3.scaleLinear().range([MARGIN.top + INNER, MARGIN.top]);
  const ratio = globalThis.devicePixelRatio ?? 1;
  const canvas = html`<canvas width=${Math.round(SIZE * ratio)} height=${Math.round(SIZE * ratio)}>`;
  const svg = d3.create("svg").attr("viewBox", `0 0 ${SIZE} ${SIZE}`).attr("aria-hidden", "true");
  const xAxis = svg.append("g").attr("transform", `translate(0,${MARGIN.top + INNER})`).attr("color", "var(--theme-foreground-muted)");
  const yAxis = svg.append("g").attr("transform", `translate(${MARGIN.left},0)`).attr("color", "var(--theme-foreground-muted)");
  const centre = svg.append("g").attr("stroke", "var(--theme-foreground)").attr("fill", "none").attr("stroke-opacity", 0.7);
  const spread = centre.append("circle").attr("stroke-dasharray", "4,3");
  const cross = centre.append("path");
  const hint = svg
    .append("text")
    .attr("x", MARGIN.left + INNER / 2)
    .attr("y", MARGIN.top + INNER / 2)
    .attr("text-anchor", "middle")
    .attr("fill", "var(--theme-foreground-muted)")
    .attr("font-size", 15)
    .text("Draw here");
  const brush = svg.append("circle").attr("fill", "none").attr("stroke", "var(--theme-foreground-focus)").attr("stroke-width", 1.5).attr("visibility", "hidden");
  const pad: HTMLElement = html`<figure class="data-drawer-pad" role="img">${canvas}${svg.node()}</figure>`;

  let axesFor: View | null = null;
  function setScales(view: View): void {
    x.domain([view.cx - view.half, view.cx + view.half]);
    y.domain([view.cy - view.half, view.cy + view.half]);
    if (axesFor !== view) {
      xAxis.call(d3.axisBottom(x).ticks(5));
      yAxis.call(d3.axisLeft(y).ticks(5));
      axesFor = view;
    }
  }

  let frame = 0;
  function paint(points: ArrayLike<number>): void {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const context = (canvas as HTMLCanvasElement).getContext("2d");
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, SIZE, SIZE);
      context.fillStyle = resolveColor(pad, "var(--theme-foreground-focus)");
      context.globalAlpha = 0.7;
      for (let i = 0; i + 1 < points.length; i += 2) context.fillRect(x(points[i]) - 1.5, y(points[i + 1]) - 1.5, 3, 3);
    });
  }

  function show(points: ArrayLike<number>, view: View, transform: Transform | null): void {
    setScales(view);
    paint(points);
    const n = points.length / 2;
    hint.attr("visibility", n ? "hidden" : "visible");
    if (transform) {
      const {mean, scale} = transform;
      const [cx, cy] = [x(mean[0]), y(mean[1])];
      cross.attr("d", `M${cx - 6},${cy}H${cx + 6}M${cx},${cy - 6}V${cy + 6}`);
      spread.attr("cx", cx).attr("cy", cy).attr("r", Math.abs(x(mean[0] + scale) - cx));
      centre.attr("visibility", "visible");
    } else centre.attr("visibility", "hidden");
    pad.setAttribute("aria-label", `Drawing pad holding ${count(n)} points: draw with a mouse, pen or finger, or paste x,y pairs beside it.`);
  }

  // ---- pointer input
  let stroke: {id: number; work: number[]; last: [number, number]; travelled: number; full: boolean; erased: number} | null = null;

  /** The event's position in the pad's own units (the SVG's 400 × 400 viewBox, whatever size the pad is shown at). */
  const padPoint = (event: PointerEvent): [number, number] => d3.pointer(event, svg.node());
  const inside = ([px, py]: [number, number]) => px >= MARGIN.left && px <= MARGIN.left + INNER && py >= MARGIN.top && py <= MARGIN.top + INNER;

  function dab(at: [number, number]): void {
    if (!stroke) return;
    const {mode, radius, density} = options.brush();
    if (mode === "erase") {
      const work = stroke.work;
      let kept = 0;
      for (let i = 0; i + 1 < work.length; i += 2) {
        if (Math.hypot(x(work[i]) - at[0], y(work[i + 1]) - at[1]) > radius) {
          work[kept++] = work[i];
          work[kept++] = work[i + 1];
        } else stroke.erased++;
      }
      work.length = kept;
      return;
    }
    for (let k = 0; k < density; k++) {
      if (stroke.work.length / 2 >= MAX_POINTS) {
        stroke.full = true;
        return;
      }
      const r = radius * Math.sqrt(rng.uniform());
      const a = 2 * Math.PI * rng.uniform();
      const p: [number, number] = [at[0] + r * Math.cos(a), at[1] + r * Math.sin(a)];
      if (inside(p)) stroke.work.push(x.invert(p[0]), y.invert(p[1]));
    }
  }

  function showBrush(at: [number, number]): void {
    brush.attr("cx", at[0]).attr("cy", at[1]).attr("r", options.brush().radius).attr("visibility", "visible");
  }

  const onDown = (event: PointerEvent) => {
    if (stroke || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    try {
      pad.setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser does not track (a synthetic event) cannot be captured; the stroke still works.
    }
    const at = padPoint(event);
    stroke = {id: event.pointerId, work: Array.from(options.start()), last: at, travelled: 0, full: false, erased: 0};
    showBrush(at);
    dab(at);
    options.drawing(stroke.work);
  };
  const onMove = (event: PointerEvent) => {
    const at = padPoint(event);
    showBrush(at);
    if (!stroke || event.pointerId !== stroke.id) return;
    event.preventDefault();
    // One dab per brush radius travelled, along the segment, so a fast stroke leaves no gaps.
    const spacing = Math.max(3, options.brush().radius);
    const [lx, ly] = stroke.last;
    const length = Math.hypot(at[0] - lx, at[1] - ly);
    let along = spacing - stroke.travelled;
    while (along <= length) {
      dab([lx + ((at[0] - lx) * along) / length, ly + ((at[1] - ly) * along) / length]);
      along += spacing;
    }
    stroke.travelled = length - (along - spacing);
    stroke.last = at;
    options.drawing(stroke.work);
  };
  const endStroke = (event: PointerEvent) => {
    if (event.pointerType !== "mouse") brush.attr("visibility", "hidden");
    if (!stroke || event.pointerId !== stroke.id) return;
    const {work, full, erased} = stroke;
    stroke = null;
    options.end({work, full, erased});
  };
  // Pointer Events: one path for a mouse, a pen and a finger (d3.drag listens to mouse and touch
  // events instead, which a pen reaches only through the mouse emulation).
  d3.select(pad)
    .on("pointerdown", onDown)
    .on("pointermove", onMove)
    .on("pointerup pointercancel", endStroke)
    .on("pointerleave", () => {
      if (!stroke) brush.attr("visibility", "hidden");
    });

  return {element: pad, show};
}
