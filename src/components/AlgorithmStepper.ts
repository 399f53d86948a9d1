// The Training page's algorithm stepper: Algorithms 1 and 2 run one line at a time on a small batch
// (a few points for Algorithm 2) with one highlighted point, each line's live values written
// beside it, and the points on a chart. The work is the trainer's and the sampler's own
// (src/model/algorithm-stepper.ts), on tfjs's cpu backend in the page (a batch of 8 and 16 points
// take a few milliseconds per line). The model is the reference model of the panel's dataset or
// the reader's current model from the Training panel's session.
import * as Inputs from "@observablehq/inputs";
import * as d3 from "d3";
import {fmt, fmtFixed} from "../lib/format.js";
import type {TrainingDataset} from "../lib/your-data-training.js";
import {DEFAULT_SCHEDULE, makeSchedule, type Schedule} from "../lib/schedule.js";
import {
  createAlgorithm1Stepper,
  createAlgorithm2Stepper,
  type Algorithm1State,
  type Algorithm1Stepper as Stepper1,
  type Algorithm2State,
  type Algorithm2Stepper as Stepper2
} from "../model/algorithm-stepper.js";
import {setBackendQuietly, type Tf} from "../model/backends.js";
import type {DenoiserWeights} from "../model/denoiser.js";
import {DEFAULT_TRAINING, type TrainingConfig} from "../model/protocol.js";
import type {ReferenceModel} from "../model/reference.js";
import type {TrainingSession} from "../model/session.js";
import {buildTraining, type Training} from "../model/training.js";
import {el} from "./dom.js";
import {tex} from "./tex.js";

/** Examples in Algorithm 1's batch, points sampled by Algorithm 2, and Algorithm 1's iterations. */
export const STEPPER_BATCH = 8;
export const STEPPER_POINTS = 16;
export const STEPPER_ITERATIONS = 50;

export interface AlgorithmStepperOptions {
  /** Loads tfjs for the page (the stepper runs on its cpu backend). */
  loadTf: () => Promise<{tf: Tf}>;
  /** The build-time model of a dataset; null where there is none (the reader's own data). */
  loadReference: (dataset: TrainingDataset) => Promise<ReferenceModel | null>;
  /** The Training panel's session, for the reader's current model. */
  session?: () => TrainingSession | null;
  width?: number;
}

type StepperElement = HTMLElement & {dispose(): void};

const ALGORITHM1: string[] = [
  String.raw`\textbf{repeat}`,
  String.raw`\quad \x_0 \sim q(\x_0)`,
  String.raw`\quad t \sim \mathrm{Uniform}(\{1, \dots, T\})`,
  String.raw`\quad \bfeps \sim \N(\mathbf{0}, \I)`,
  String.raw`\quad \text{gradient step on } \nabla_\theta \big\|\bfeps - \bfeps_\theta\big(\sqrt{\abar_t}\,\x_0 + \sqrt{1-\abar_t}\,\bfeps,\ t\big)\big\|^2`,
  String.raw`\textbf{until} \text{ converged}`
];

const ALGORITHM2: string[] = [
  String.raw`\x_T \sim \N(\mathbf{0}, \I)`,
  String.raw`\textbf{for } t = T, \dots, 1 \textbf{ do}`,
  String.raw`\quad \mathbf{z} \sim \N(\mathbf{0}, \I) \text{ if } t > 1 \text{, else } \mathbf{z} = \mathbf{0}`,
  String.raw`\quad \x_{t-1} = \tfrac{1}{\sqrt{\alpha_t}}\Big(\x_t - \tfrac{1-\alpha_t}{\sqrt{1-\abar_t}}\,\bfeps_\theta(\x_t, t)\Big) + \sigma_t \mathbf{z}`,
  String.raw`\textbf{end for}`,
  String.raw`\textbf{return } \x_0`
];

/** A 2D point as the stepper writes it: (0.512, −1.203). */
function pt(values: ArrayLike<number>, j = 0): string {
  return `(${fmtFixed(values[2 * j]).replace(/-/g, "−")}, ${fmtFixed(values[2 * j + 1]).replace(/-/g, "−")})`;
}

const num = (value: number) => fmt(value).replace(/-/g, "−");

/** The model the stepper runs: the reader's (from the panel's session) or the reference of its dataset. */
async function resolveModel(options: AlgorithmStepperOptions, wantOwn: boolean): Promise<{config: TrainingConfig; weights: DenoiserWeights; label: string}> {
  const session = options.session?.() ?? null;
  const dataset = session?.config.dataset ?? DEFAULT_TRAINING.dataset;
  if (wantOwn && session && !session.disposed) {
    try {
      const weights = await session.weights();
      const step = session.progress?.step;
      return {config: session.config, weights, label: `your current model (${session.config.dataset}${step !== undefined ? `, step ${step.toLocaleString("en")}` : ""})`};
    } catch {
      // The session is busy being replaced or gone: fall back to the reference below, and say so.
    }
  }
  const reference = await options.loadReference(dataset);
  if (!reference) throw new Error(`no reference model for the dataset "${dataset}"`);
  const fallback = wantOwn ? " (the Training panel has no model to hand over yet)" : "";
  return {config: reference.config, weights: reference.weights, label: `the reference model (${reference.config.dataset}, ${reference.steps.toLocaleString("en")} steps)${fallback}`};
}

/** The chart: the data faint, the current points, and the highlighted point with its path. */
function pointChart(width: number, label: string) {
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

interface Frame {
  root: StepperElement;
  /** Marks `line` (1-based; 0 none) as current and writes each line's values. */
  show(line: number, values: string[]): void;
  status(text: string): void;
  setBusy(busy: boolean): void;
  chart: ReturnType<typeof pointChart>;
  modelChoice: Inputs.Input<string>;
  buttons: HTMLFormElement;
}

const OWN = "your current model";
const REFERENCE = "the reference model";

/** The stepper's frame: the algorithm's lines with a value column, the buttons, a status line, the chart. */
function frame(id: "1" | "2", title: string, lines: string[], width: number, handlers: {next(): void; run(): void; reset(): void}): Frame {
  const root = el("section", {class: "algorithm-stepper", "data-testid": `algorithm-stepper-${id}`, "aria-label": `Algorithm ${id} stepper`}) as unknown as StepperElement;
  const list = el("ol", {class: "stepper-lines"});
  const rows = lines.map((source, i) => {
    const value = el("div", {class: "stepper-values", "data-testid": `values-${i + 1}`});
    const row = el("li", {class: "stepper-line", "data-line": String(i + 1)}, el("div", {class: "stepper-tex"}, tex(source)), value);
    list.append(row);
    return {row, value};
  });
  const buttons = Inputs.button([
    ["Next line", () => handlers.next()],
    ["Run to the end", () => handlers.run()],
    ["Reset", () => handlers.reset()]
  ]) as HTMLFormElement;
  buttons.classList.add("stepper-buttons");
  const modelChoice = Inputs.radio([REFERENCE, OWN], {label: "Model", value: REFERENCE});
  // Another model starts the stepper afresh (the next press builds it).
  modelChoice.addEventListener("input", () => handlers.reset());
  const status = el("p", {class: "stepper-status", "data-testid": `stepper-status-${id}`, "aria-live": "polite"});
  const chart = pointChart(width, id === "1" ? "the batch: x_0 (ring) and x_t (dot) of the highlighted example, x_t of the others" : "the points of Algorithm 2: the highlighted point and its path, the others as dots");
  root.append(el("h3", {"aria-level": "2"}, title), list, buttons, modelChoice, status, el("div", {class: "stepper-figure"}, chart.node));
  return {
    root,
    chart,
    modelChoice,
    buttons,
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

/** Resolves once the page has had a chance to paint (at most ~50 ms later, also in a hidden tab). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    const timer = setTimeout(done, 50);
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(timer), done()), 0));
  });
}

/** Loads tfjs once per page and puts it on its cpu backend. */
let tfPromise: Promise<Tf> | null = null;
function cpuTf(loadTf: AlgorithmStepperOptions["loadTf"]): Promise<Tf> {
  tfPromise ??= loadTf().then(async ({tf}) => {
    await setBackendQuietly(tf, "cpu");
    return tf;
  });
  return tfPromise;
}

/**
 * The common life of a stepper: build the model on the first press (and after Reset), answer every
 * press at once, run one action at a time, free everything on reset and dispose.
 */
function lifecycle<S>(
  options: AlgorithmStepperOptions,
  f: Frame,
  build: (tf: Tf, training: Training, label: string) => S,
  free: (stepper: S) => Promise<void> | void,
  initial: () => void
) {
  let stepper: S | null = null;
  let training: Training | null = null;
  let building: Promise<S> | null = null;
  let generation = 0;
  let disposed = false;
  const ensure = (): Promise<S> => {
    if (stepper) return Promise.resolve(stepper);
    if (building) return building;
    const mine = generation;
    f.status("Loading the model…");
    building = (async () => {
      const tf = await cpuTf(options.loadTf);
      const model = await resolveModel(options, f.modelChoice.value === OWN);
      if (mine !== generation || disposed) throw new Error("stale");
      training = buildTraining(tf, {...model.config, batchSize: STEPPER_BATCH}, makeSchedule(DEFAULT_SCHEDULE), {weights: model.weights});
      stepper = build(tf, training, model.label);
      return stepper;
    })();
    building.finally(() => {
      building = null;
    }).catch(() => undefined);
    return building;
  };
  const release = async () => {
    generation++;
    const s = stepper;
    const t = training;
    stepper = null;
    training = null;
    if (s) await free(s);
    if (t) {
      t.trainer.dispose();
      t.denoiser.dispose();
    }
  };
  let chain: Promise<unknown> = Promise.resolve();
  /** Runs `work` after the previous action; a failure is written in the status line. */
  const act = (work: (s: S) => Promise<void> | void) => {
    // Every press is answered at once: the status says the stepper is at work, and the page may
    // paint that before the line runs (the first gradient step can take a few hundred ms on cpu).
    f.status("Working…");
    chain = chain.then(async () => {
      try {
        await afterPaint();
        await work(await ensure());
        // The page's tensor count after each action, for a reader's devtools and the browser test.
        const tf = await cpuTf(options.loadTf);
        f.root.dataset.tensors = String(tf.memory().numTensors);
      } catch (error) {
        if ((error as Error).message !== "stale") f.status(`The stepper stopped: ${(error as Error).message}`);
      }
    });
  };
  return {
    act,
    reset() {
      chain = chain.then(async () => {
        await release();
        f.setBusy(false);
        initial();
      });
    },
    dispose() {
      disposed = true;
      void chain.then(release);
    }
  };
}

/** Algorithm 1, one line at a time, on a batch of STEPPER_BATCH; example 0 is highlighted. */
export function Algorithm1Stepper(options: AlgorithmStepperOptions): StepperElement {
  const width = options.width ?? 300;
  let life: ReturnType<typeof lifecycle<Stepper1>>;
  const f = frame("1", "Step through Algorithm 1", ALGORITHM1, width, {
    next: () => life.act((s) => render(s.next())),
    run: () =>
      life.act(async (s) => {
        f.setBusy(true);
        f.status("Running to the end at full speed…");
        const end = await s.runToEnd({frame: () => new Promise((r) => requestAnimationFrame(() => r())), onSlice: render});
        render(end);
        f.setBusy(false);
      }),
    reset: () => life.reset()
  });
  let label = "";
  const render = (s: Algorithm1State) => {
    const d = s.detail;
    const values: string[] = [];
    values[0] = s.line ? `iteration ${Math.max(1, s.line === 1 ? s.iteration + 1 : s.iteration)} of ${s.iterations}, batch of ${STEPPER_BATCH}` : "";
    if (d && s.line >= 2) values[1] = `x₀ = ${pt(d.x0)} (example ${d.index[0] + 1} of the data)`;
    if (d && s.line >= 3) values[2] = `t = ${d.t[0]}`;
    if (d && s.line >= 4) values[3] = `ε = ${pt(d.eps)}`;
    if (d && s.line >= 5)
      values[4] = `x_t = ${pt(d.xt)}; ε_θ(x_t, t) = ${pt(d.epsTheta)}; loss (batch mean) = ${num(d.loss)}; ‖∇_θ loss‖ = ${num(d.gradNorm)}; ‖Δθ‖ = ${num(d.paramChange)}`;
    if (s.line === 6 || s.done) {
      const first = s.losses[0];
      values[5] = s.done
        ? `done: ${s.iteration} steps; loss ${num(first)} at step 1, ${num(s.losses[s.losses.length - 1])} at step ${s.iteration}`
        : `not yet: step ${s.iteration} of ${s.iterations} (loss ${num(s.losses[s.losses.length - 1])})`;
    }
    f.show(s.done ? 6 : s.line, values);
    f.chart.set({points: d ? d.xt : null, highlight: d && s.line >= 5 ? [d.xt[0], d.xt[1]] : null, origin: d && s.line >= 2 ? [d.x0[0], d.x0[1]] : null});
    f.status(`${label}: ${s.done ? `all ${s.iterations} iterations done` : s.line ? `line ${s.line}, iteration ${Math.max(1, s.iteration)}` : "ready"}; θ is a copy, the panel's model is not changed.`);
  };
  const initial = () => {
    f.show(0, []);
    f.chart.set({});
    f.status(`Press "Next line" to run Algorithm 1 on a batch of ${STEPPER_BATCH} points, one line at a time.`);
  };
  life = lifecycle<Stepper1>(
    options,
    f,
    (_tf, training, modelLabel) => {
      label = modelLabel;
      f.chart.backdrop(training.data);
      return createAlgorithm1Stepper(training.trainer, {iterations: STEPPER_ITERATIONS});
    },
    () => undefined,
    initial
  );
  initial();
  f.root.dispose = () => life.dispose();
  return f.root;
}

/** Algorithm 2, one line at a time, on STEPPER_POINTS points; point 0 is highlighted and its path drawn. */
export function Algorithm2Stepper(options: AlgorithmStepperOptions): StepperElement {
  const width = options.width ?? 300;
  let life: ReturnType<typeof lifecycle<Stepper2>>;
  let path: [number, number][] = [];
  let label = "";
  const f = frame("2", "Step through Algorithm 2", ALGORITHM2, width, {
    next: () => life.act(async (s) => render(await s.next())),
    run: () =>
      life.act(async (s) => {
        f.setBusy(true);
        f.status("Running to the end at full speed…");
        const end = await s.runToEnd({frame: () => new Promise((r) => requestAnimationFrame(() => r())), onSlice: render});
        render(end);
        f.setBusy(false);
      }),
    reset: () => life.reset()
  });
  const render = (s: Algorithm2State) => {
    const d = s.detail;
    const values: string[] = [];
    if (s.x && s.line >= 1) {
      const last = path[path.length - 1];
      if (!last || last[0] !== s.x[0] || last[1] !== s.x[1]) path.push([s.x[0], s.x[1]]);
    }
    if (path.length) values[0] = `x_T = ${pt(path[0])} (the highlighted one of ${STEPPER_POINTS} points)`;
    if (d && s.line >= 2 && s.line <= 5) values[1] = `t = ${d.t}`;
    if (d && s.line >= 3 && s.line <= 5) values[2] = d.z ? `z = ${pt(d.z)}` : "t = 1: z = 0";
    if (d && s.line >= 4 && s.line <= 5)
      values[3] = `x_t = ${pt(d.x)}; ε_θ(x_t, t) = ${pt(d.eps)}; μ_θ = ${pt(d.mean)}; σ_t = ${num(d.sigma)}; x_{t−1} = ${pt(d.xNext)}`;
    if (d && s.line === 5) values[4] = d.next === 0 ? "t = 1 was the last" : `next: t = ${d.next}`;
    if (s.line === 6 && s.x) values[5] = `x₀ = ${pt(s.x)}`;
    if (s.line === 6 && d) values[3] = `last step (t = 1): μ_θ = ${pt(d.mean)}, σ_1 z = 0`;
    f.show(s.line, values);
    f.chart.set({points: s.x, highlight: s.x ? [s.x[0], s.x[1]] : null, path});
    f.status(`${label}: ${s.done ? "x₀ returned" : `line ${s.line}, t = ${s.t}`}.`);
  };
  const initial = () => {
    path = [];
    f.show(0, []);
    f.chart.set({});
    f.status(`Press "Next line" to run Algorithm 2 on ${STEPPER_POINTS} points, one line at a time (T = 1000 iterations).`);
  };
  life = lifecycle<Stepper2>(
    options,
    f,
    (tf, training, modelLabel) => {
      label = modelLabel;
      f.chart.backdrop(training.data);
      const schedule: Schedule = makeSchedule(DEFAULT_SCHEDULE);
      return createAlgorithm2Stepper(tf, training.denoiser, schedule, {n: STEPPER_POINTS, seed: training.trainer.options.seed, sigma2Kind: training.trainer.options.sigma2Kind});
    },
    (s) => s.dispose(),
    initial
  );
  initial();
  f.root.dispose = () => life.dispose();
  return f.root;
}
