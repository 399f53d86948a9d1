// The view of the Training page's algorithm steppers (AlgorithmStepper.ts): the algorithm's lines
// with a value column beside each, the buttons, the model choice, a status line, and the chart of
// the points. It shows what the stepper hands it and calls back on the buttons; it runs nothing.
import * as Inputs from "@observablehq/inputs";
import * as d3 from "d3";
import {html} from "htl";
import {tex} from "./tex.js";

/** The chart: the data faint, the current points, and the highlighted point with its path. */
export function pointChart(width: number, label: string) {
  const size = Math.max(160, Math.min(width, 300));
  const extent = 3;
  const x = d3.scaleLinear([-extent, extent], [6, size - 6]);
  const y = d3.scaleLinear([-extent, extent], [size - 6, 6]);
  const svg = d3.create("svg").attr("width", size).attr("height", size).attr("role", "img").attr("aria-label", label).attr("class", "stepper-chart");
  svg.append("rect").attr("width", size).attr("height", size).attr("fill", "none").attr("stroke", "var(--theme-foreground-faintest)");
  const backdrop = svg.append("g").attr("fill", "var(--theme-foreground-faint)");
  const others = svg.append("g").attr("fill", "var(--theme-foreground-muted)");
  const trail = svg.append("path").attr("data-testid", "stepper-path").attr("fill", "none").attr("stroke", "var(--theme-foreground-focus)").attr("stroke-width", 1.2).attr("opacity", 0.6);
  const from = svg.append("circle").attr("r", 4).attr("fill", "none").attr("stroke", "var(--theme-foreground-focus)").attr("data-testid", "stepper-from").style("display", "none");
  const point = svg.append("circle").attr("r", 5).attr("fill", "var(--theme-foreground-focus)").attr("data-testid", "stepper-point").style("display", "none");
  const clip = (v: number) => Math.max(-extent, Math.min(extent, v));
  return {
    node: svg.node()!,
    backdrop(points: ArrayLike<number>) {
      const xy = d3.range(0, Math.min(points.length / 2, 600)).map((j) => [points[2 * j], points[2 * j + 1]]);
      backdrop.selectAll("circle").data(xy).join("circle").attr("r", 1.2).attr("cx", (d) => x(clip(d[0]))).attr("cy", (d) => y(clip(d[1])));
    },
    set({points, highlight, origin, path}: {points?: ArrayLike<number> | null; highlight?: [number, number] | null; origin?: [number, number] | null; path?: [number, number][]}) {
      const xy = points ? d3.range(1, points.length / 2).map((j) => [points[2 * j], points[2 * j + 1]]) : [];
      others.selectAll("circle").data(xy).join("circle").attr("r", 2.5).attr("cx", (d) => x(clip(d[0]))).attr("cy", (d) => y(clip(d[1])));
      point.style("display", highlight ? "inline" : "none");
      if (highlight) point.attr("cx", x(clip(highlight[0]))).attr("cy", y(clip(highlight[1])));
      from.style("display", origin ? "inline" : "none");
      if (origin) from.attr("cx", x(clip(origin[0]))).attr("cy", y(clip(origin[1])));
      trail.attr("d", path && path.length > 1 ? d3.line()(path.map(([a, b]) => [x(clip(a)), y(clip(b))])) : null);
    }
  };
}

/** The stepper's root: a section that the page disposes on invalidation. */
export type StepperElement = HTMLElement & {dispose(): void};

/** What the buttons do; set once the stepper's life exists (Frame.on). */
export interface StepperHandlers {
  next(): void;
  run(): void;
  reset(): void;
}

export interface Frame {
  root: StepperElement;
  /** Marks `line` (1-based; 0 none) as current and writes each line's values. */
  show(line: number, values: string[]): void;
  status(text: string): void;
  setBusy(busy: boolean): void;
  chart: ReturnType<typeof pointChart>;
  /** Whether the reader chose their own model (the Training panel's) over the reference model. */
  wantsOwnModel(): boolean;
  buttons: HTMLFormElement;
  /** Connects the buttons and the model choice (another model starts the stepper afresh). */
  on(handlers: StepperHandlers): void;
}

const OWN = "your current model";
const REFERENCE = "the reference model";

/** The stepper's frame: the algorithm's lines with a value column, the buttons, a status line, the chart. */
export function frame(id: "1" | "2", title: string, lines: string[], width: number): Frame {
  let handlers: StepperHandlers | null = null;
  const rows = lines.map((source, i) => {
    const value: HTMLElement = html`<div class="stepper-values" data-testid=${`values-${i + 1}`}></div>`;
    const row: HTMLLIElement = html`<li class="stepper-line" data-line=${String(i + 1)}><div class="stepper-tex">${tex(source)}</div>${value}</li>`;
    return {row, value};
  });
  const buttons = Inputs.button([
    ["Next line", () => handlers?.next()],
    ["Run to the end", () => handlers?.run()],
    ["Reset", () => handlers?.reset()]
  ]) as HTMLFormElement;
  buttons.classList.add("stepper-buttons");
  const modelChoice = Inputs.radio([REFERENCE, OWN], {label: "Model", value: REFERENCE});
  modelChoice.addEventListener("input", () => handlers?.reset());
  const status: HTMLElement = html`<p class="stepper-status" data-testid=${`stepper-status-${id}`} aria-live="polite"></p>`;
  const chart = pointChart(width, id === "1" ? "the batch: x_0 (ring) and x_t (dot) of the highlighted example, x_t of the others" : "the points of Algorithm 2: the highlighted point and its path, the others as dots");
  const root: StepperElement = html`<section class="algorithm-stepper" data-testid=${`algorithm-stepper-${id}`} aria-label=${`Algorithm ${id} stepper`}><h3 aria-level="2">${title}</h3><ol class="stepper-lines">${rows.map((r) => r.row)}</ol>${buttons}${modelChoice}${status}<div class="stepper-figure">${chart.node}</div></section>`;
  return {
    root,
    chart,
    buttons,
    wantsOwnModel: () => modelChoice.value === OWN,
    on(h) {
      handlers = h;
    },
    show(line, values) {
      rows.forEach(({row, value}, i) => {
        const current = i + 1 === line;
        row.classList.toggle("is-current", current);
        if (current) row.setAttribute("aria-current", "step");
        else row.removeAttribute("aria-current");
        value.textContent = values[i] ?? "";
      });
    },
    status(text) {
      status.textContent = text;
    },
    setBusy(busy) {
      for (const button of buttons.querySelectorAll("button")) if (button.textContent !== "Reset") button.disabled = busy;
    }
  };
}
