// The Training page's algorithm stepper: Algorithms 1 and 2 run one line at a time on a small batch
// (a few points for Algorithm 2) with one highlighted point, each line's live values written
// beside it, and the points on a chart. The work is the trainer's and the sampler's own
// (src/model/algorithm-stepper.ts), on tfjs's cpu backend in the page (a batch of 8 and 16 points
// take a few milliseconds per line). The model is the reference model of the panel's dataset or
// the reader's current model from the Training panel's session. What the reader sees (the lines,
// the buttons, the chart) is AlgorithmStepperFrame.ts; this module runs the steppers behind it.
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
import {frame, type Frame, type StepperElement} from "./AlgorithmStepperFrame.js";

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

/** What the frame's buttons drive: Algorithm 1's or Algorithm 2's stepper (model/algorithm-stepper.ts). */
interface Steps<State> {
  next(): State | Promise<State>;
  runToEnd(options: {frame: () => Promise<void>; onSlice: (state: State) => void}): Promise<State>;
}

/**
 * The common life of a stepper: build the model on the first press (and after Reset), answer every
 * press at once, run one action at a time, free everything on reset and dispose. The frame's
 * buttons call next, run to the end (drawing each slice) and reset.
 */
function lifecycle<State, S extends Steps<State>>(
  options: AlgorithmStepperOptions,
  f: Frame,
  {build, free, initial, render}: {
    build: (tf: Tf, training: Training, label: string) => S;
    free: (stepper: S) => Promise<void> | void;
    initial: () => void;
    render: (state: State) => void;
  }
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
      const model = await resolveModel(options, f.wantsOwnModel());
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
  const reset = () => {
    chain = chain.then(async () => {
      await release();
      f.setBusy(false);
      initial();
    });
  };
  f.on({
    next: () => act(async (s) => render(await s.next())),
    run: () =>
      act(async (s) => {
        f.setBusy(true);
        f.status("Running to the end at full speed…");
        const end = await s.runToEnd({frame: () => new Promise((r) => requestAnimationFrame(() => r())), onSlice: render});
        render(end);
        f.setBusy(false);
      }),
    reset
  });
  initial();
  f.root.dispose = () => {
    disposed = true;
    void chain.then(release);
  };
  return f.root;
}

/** Algorithm 1, one line at a time, on a batch of STEPPER_BATCH; example 0 is highlighted. */
export function Algorithm1Stepper(options: AlgorithmStepperOptions): StepperElement {
  const f = frame("1", "Step through Algorithm 1", ALGORITHM1, options.width ?? 300);
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
  return lifecycle<Algorithm1State, Stepper1>(options, f, {
    build: (_tf, training, modelLabel) => {
      label = modelLabel;
      f.chart.backdrop(training.data);
      return createAlgorithm1Stepper(training.trainer, {iterations: STEPPER_ITERATIONS});
    },
    free: () => undefined,
    initial,
    render
  });
}

/** Algorithm 2, one line at a time, on STEPPER_POINTS points; point 0 is highlighted and its path drawn. */
export function Algorithm2Stepper(options: AlgorithmStepperOptions): StepperElement {
  let path: [number, number][] = [];
  let label = "";
  const f = frame("2", "Step through Algorithm 2", ALGORITHM2, options.width ?? 300);
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
  return lifecycle<Algorithm2State, Stepper2>(options, f, {
    build: (tf, training, modelLabel) => {
      label = modelLabel;
      f.chart.backdrop(training.data);
      const schedule: Schedule = makeSchedule(DEFAULT_SCHEDULE);
      return createAlgorithm2Stepper(tf, training.denoiser, schedule, {n: STEPPER_POINTS, seed: training.trainer.options.seed, sigma2Kind: training.trainer.options.sigma2Kind});
    },
    free: (s) => s.dispose(),
    initial,
    render
  });
}
