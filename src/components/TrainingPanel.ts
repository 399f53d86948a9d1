// The live DDPM: controls, status, loss curve, samples against data, reverse trajectories,
// the bound's ledger L_0 … L_T and sample quality, all fed by a TrainingSession (a worker).
import * as d3 from "d3";
import {datasetMixture, DATASETS, DATASET_IDS, heldOutDataset, type DatasetId} from "../lib/datasets.js";
import type {BackendName} from "../model/backends.js";
import {DEFAULT_TRAINING, type LedgerResult, type Progress, type SamplesResult, type TrainingConfig} from "../model/protocol.js";
import {TrainingSession} from "../model/session.js";
import {ledgerSeries} from "./ledger-series.js";
import {TRAJECTORY_STEPS, type ReferenceModel} from "../model/reference.js";
import {termCoefficients} from "../lib/bound.js";
import {mixtureEntropy} from "../lib/mixture.js";
import {createRng} from "../lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../lib/schedule.js";
import {PointCloud} from "./charts.js";
import {el} from "./dom.js";
import {runningMean} from "../lib/stats.js";

type PlotlyLike = {react(el: HTMLElement, data: object[], layout: object, config?: object): Promise<unknown>; purge(el: HTMLElement): void};

export interface TrainingPanelOptions {
  config?: Partial<TrainingConfig>;
  /** Plotly, loaded by the page (a dynamic import, so that only pages that plot load it). */
  Plotly?: PlotlyLike;
  /** Seconds between live sample previews and between ledger updates while training. */
  sampleEvery?: number;
  ledgerEvery?: number;
  /** Held-out points for the ledger, and points per sample preview. */
  ledgerPoints?: number;
  samplePoints?: number;
  dark?: boolean;
  /**
   * The model trained at build time for a dataset (instant start), or null. Used when the
   * settings are the defaults the reference was trained with.
   */
  loadReference?: (dataset: DatasetId) => Promise<ReferenceModel | null>;
}

/** Whether a reference model fits these settings (it was trained with the defaults). */
function referenceFits(reference: ReferenceModel, config: TrainingConfig): boolean {
  const keys = ["model", "batchSize", "learningRate", "loss", "seed", "sigma2Kind", "points"] as const;
  return reference.config.dataset === config.dataset && keys.every((k) => reference.config[k] === config[k]);
}

/** A reference model's ledger in the shape the live one has (weights and entropy computed here). */
function referenceLedger(reference: ReferenceModel): LedgerResult {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const sigma2Kind = reference.ledger.sigma2Kind as TrainingConfig["sigma2Kind"];
  const weight = Float64Array.from({length: schedule.T}, (_, i) => termCoefficients(schedule, i + 1, sigma2Kind).weight);
  const gm = datasetMixture(reference.config.dataset);
  const entropy = gm ? mixtureEntropy(gm, {n: 20000, rng: createRng(reference.config.seed + 1)}) : undefined;
  return {
    terms: Float64Array.from(reference.ledger.terms),
    epsError: Float64Array.from(reference.ledger.epsError),
    weight,
    total: reference.ledger.total,
    totalBitsPerDim: reference.ledger.totalBitsPerDim,
    examples: reference.ledger.examples,
    sigma2Kind,
    atStep: reference.steps,
    ms: 0,
    entropy: entropy && {value: entropy.value, stdErr: entropy.stdErr}
  };
}

const TRAJECTORY = TRAJECTORY_STEPS;
const BACKEND_LABELS: Record<BackendName | "auto", string> = {auto: "automatic", webgpu: "WebGPU", webgl: "WebGL", kernel: "WebAssembly SIMD kernel", wasm: "WebAssembly", cpu: "CPU (JavaScript)"};


/** An element whose fixed markup has subscripts (text written here, never the reader's input). */
function sub<K extends keyof HTMLElementTagNameMap>(tag: K, html: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.innerHTML = html;
  return node;
}

function select<T extends string>(label: string, options: readonly T[], value: T, format: (v: T) => string = String): {root: HTMLElement; input: HTMLSelectElement} {
  const input = el("select");
  for (const option of options) input.append(new Option(format(option), option, false, option === value));
  return {root: el("label", {class: "tp-field"}, `${label} `, input), input};
}

function numberField(label: string, value: number, attrs: Record<string, string>): {root: HTMLElement; input: HTMLInputElement} {
  const input = el("input", {type: "number", value: String(value), ...attrs});
  return {root: el("label", {class: "tp-field"}, `${label} `, input), input};
}

/** Builds the panel; call `dispose()` on invalidation (it terminates the worker). */
export function TrainingPanel(options: TrainingPanelOptions = {}): HTMLElement & {dispose(): void; session(): TrainingSession | null} {
  const {Plotly, loadReference, sampleEvery = 5, ledgerEvery = 12, ledgerPoints = 250, samplePoints = 500, dark = false} = options;
  let config: TrainingConfig = {...DEFAULT_TRAINING, ...options.config};
  let session: TrainingSession | null = null;
  let disposed = false;
  let lastSample = 0;
  let lastLedger = 0;
  let busySample = false;
  let busyLedger = false;
  // Each loss with the running mean up to it, kept as points arrive so a redraw does not redo it.
  const lossHistory: {step: number; loss: number; mean: number}[] = [];
  const pushLoss = (step: number, loss: number) => {
    const last = lossHistory.at(-1);
    lossHistory.push({step, loss, mean: runningMean(last?.mean ?? null, loss, last ? step - last.step : 1)});
  };
  // Progress arrives ~10 times a second; draw the loss chart at most once per frame.
  let lossFrame = 0;
  const scheduleLossDraw = () => {
    if (!lossFrame) lossFrame = requestAnimationFrame(() => {
      lossFrame = 0;
      drawLoss();
    });
  };
  let latestSamples: SamplesResult | null = null;
  /** Steps of the reference model the session started from (0: from random weights). */
  let baseSteps = 0;

  const root = el("div", {class: "training-panel", "data-testid": "training-panel"}) as unknown as HTMLElement & {dispose(): void; session(): TrainingSession | null};

  // Controls.
  const dataset = select("Dataset", DATASET_IDS, config.dataset, (id: DatasetId) => DATASETS[id].label);
  const loss = select("Loss", ["simple", "vlb", "hybrid"] as const, config.loss, (v) => ({simple: "L_simple (Eq. 14)", vlb: "true bound weights λₜ (Eq. 12)", hybrid: "hybrid"})[v]);
  const sigma = select("σₜ²", ["betaTilde", "beta"] as const, config.sigma2Kind, (v) => (v === "beta" ? "βₜ" : "β̃ₜ (Eq. 7)"));
  const size = select("Model", ["default", "large"] as const, config.model, (v) => (v === "default" ? "3×128 MLP" : "3×256 MLP"));
  const backend = select("Backend", ["auto", "webgpu", "webgl", "kernel", "wasm", "cpu"] as const, "auto", (v) => BACKEND_LABELS[v]);
  const lr = numberField("Learning rate", config.learningRate, {min: "0", step: "any", style: "width:6em"});
  const batch = numberField("Batch", config.batchSize, {min: "1", max: "8192", step: "1", style: "width:5em"});
  const seed = numberField("Seed", config.seed, {min: "0", step: "1", style: "width:4em"});
  const start = el("button", {type: "button", "data-action": "start"}, "Train");
  const stepButton = el("button", {type: "button", "data-action": "step"}, "Step");
  const reset = el("button", {type: "button", "data-action": "reset"}, "Start from scratch");
  const sampleButton = el("button", {type: "button", "data-action": "sample"}, "Sample now");
  const buttons = el("div", {class: "tp-buttons"}, start, stepButton, reset, sampleButton);
  const controls = el("div", {class: "tp-controls"}, dataset.root, loss.root, sigma.root, size.root, lr.root, batch.root, seed.root, backend.root);
  const status = el("div", {class: "tp-status", "aria-live": "polite", "data-testid": "status"}, "Starting the training worker…");
  const message = el("div", {class: "tp-message", role: "alert", hidden: ""});

  // Figures.
  const lossBox = el("div", {class: "tp-figure"});
  const samplesBox = el("div", {class: "tp-figure", "data-testid": "samples"});
  const qualityBox = el("div", {class: "tp-quality", "data-testid": "quality"});
  const trajectoryBox = el("div", {class: "tp-trajectory"});
  const ledgerBox = el("div", {class: "tp-ledger", "data-testid": "ledger"});
  const ledgerSummary = el("div", {class: "tp-ledger-summary", "data-testid": "ledger-summary"});
  root.append(
    controls,
    buttons,
    status,
    message,
    el("div", {class: "grid grid-cols-2"}, el("div", {}, el("h4", {}, "Loss"), lossBox), el("div", {}, el("h4", {}, "Samples (Algorithm 2) and data"), samplesBox, qualityBox)),
    sub("h4", "Reverse trajectories: x<sub>T</sub> → x<sub>0</sub>"),
    trajectoryBox,
    sub("h4", "The bound, term by term: L<sub>0</sub> … L<sub>T</sub> on held-out data"),
    ledgerSummary,
    ledgerBox
  );

  const showMessage = (text: string | null) => {
    message.hidden = !text;
    message.textContent = text ?? "";
  };

  function readConfig(): TrainingConfig | null {
    const learningRate = Number(lr.input.value);
    const batchSize = Number(batch.input.value);
    const seedValue = Number(seed.input.value);
    if (!(learningRate > 0 && learningRate < 1)) return showMessage(`The learning rate must be between 0 and 1 (got ${lr.input.value}); 1e-3 to 3e-3 works well.`), null;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 8192) return showMessage(`The batch size must be an integer from 1 to 8192 (got ${batch.input.value}).`), null;
    if (!Number.isInteger(seedValue) || seedValue < 0) return showMessage(`The seed must be a whole number ≥ 0 (got ${seed.input.value}).`), null;
    return {
      ...config,
      dataset: dataset.input.value as DatasetId,
      loss: loss.input.value as TrainingConfig["loss"],
      sigma2Kind: sigma.input.value as TrainingConfig["sigma2Kind"],
      model: size.input.value as TrainingConfig["model"],
      learningRate,
      batchSize,
      seed: seedValue
    };
  }

  function drawLoss() {
    const width = Math.min(420, lossBox.clientWidth || 420);
    const height = 220;
    const margin = {top: 8, right: 10, bottom: 28, left: 44};
    const points = lossHistory.length > 2000 ? lossHistory.filter((_, i) => i % Math.ceil(lossHistory.length / 2000) === 0) : lossHistory;
    const svg = d3.create("svg").attr("width", width).attr("height", height).attr("role", "img").attr("aria-label", "training loss against step");
    if (points.length > 1) {
      const x = d3.scaleLinear([0, d3.max(points, (d) => d.step)!], [margin.left, width - margin.right]);
      const y = d3.scaleLog([Math.max(1e-3, d3.min(points, (d) => d.loss)!), d3.max(points, (d) => d.loss)!], [height - margin.bottom, margin.top]).nice();
      svg.append("g").attr("transform", `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(5)).attr("color", "var(--theme-foreground-muted)");
      svg.append("g").attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(4, "~g")).attr("color", "var(--theme-foreground-muted)");
      svg.append("path").attr("fill", "none").attr("stroke", "var(--theme-foreground-faint)").attr("d", d3.line<{step: number; loss: number}>((d) => x(d.step), (d) => y(Math.max(1e-3, d.loss)))(points));
      // A running mean over ~50 steps makes the trend readable through minibatch noise.
      svg.append("path").attr("fill", "none").attr("stroke", "var(--theme-foreground-focus)").attr("stroke-width", 2).attr("d", d3.line<{step: number; mean: number}>((d) => x(d.step), (d) => y(Math.max(1e-3, d.mean)))(points));
      const key = [
        ["each step's minibatch loss", "var(--theme-foreground-faint)", 1],
        ["running mean (~50 steps)", "var(--theme-foreground-focus)", 2]
      ] as const;
      key.forEach(([label, color, strokeWidth], i) => {
        const g = svg.append("g").attr("transform", `translate(${width - margin.right - 4},${margin.top + 8 + i * 15})`);
        g.append("line").attr("x1", -22).attr("x2", -6).attr("stroke", color).attr("stroke-width", strokeWidth);
        g.append("text").attr("x", -26).attr("dy", "0.32em").attr("text-anchor", "end").attr("font-size", 11).attr("fill", "currentColor").text(label);
      });
    }
    lossBox.replaceChildren(svg.node()!);
  }

  function drawSamples() {
    const width = Math.min(360, samplesBox.clientWidth || 360);
    const data = heldOutDataset(config.dataset, samplePoints, config.seed);
    const layers = [{points: data, color: "var(--theme-foreground-muted)", label: "data", opacity: 0.6}];
    if (latestSamples) layers.push({points: latestSamples.x0 as unknown as Float64Array, color: "var(--theme-foreground-focus)", label: `samples (step ${latestSamples.atStep})`, opacity: 0.7});
    samplesBox.replaceChildren(PointCloud(layers, {width, extent: 3, ariaLabel: "generated samples over the data"}));
    if (latestSamples) {
      const q = latestSamples.quality;
      const ratio = q.energy / Math.max(q.energyFloor, 1e-12);
      const parts = [`energy distance to held-out data ${q.energy.toFixed(4)} (floor ${q.energyFloor.toFixed(4)}: the expected distance between two data samples of these sizes; ratio ${ratio.toFixed(1)}×)`];
      if (q.modes) parts.push(`modes covered ${q.modesCovered}/${q.modes}, high-quality samples ${(100 * q.highQualityFraction!).toFixed(1)}%`);
      const sampler = latestSamples.sampler === "ddim" ? "DDIM (beyond the paper)" : "Algorithm 2";
      parts.push(`${latestSamples.steps} steps of ${sampler} ${latestSamples.ms ? `in ${(latestSamples.ms / 1000).toFixed(1)} s` : "(the reference model's, computed when the site was built)"}`);
      qualityBox.replaceChildren(...parts.map((p) => el("div", {}, p)));
      qualityBox.dataset.energyRatio = String(ratio);
      qualityBox.dataset.modesCovered = String(q.modesCovered ?? "");
      const frames = latestSamples.trajectory;
      trajectoryBox.replaceChildren(
        ...frames.map((f) => PointCloud([{points: f.x as unknown as Float64Array, radius: 1.2}], {width: 130, extent: 3.2, title: `t = ${f.t}`, ariaLabel: `samples at t = ${f.t}`}))
      );
    }
  }

  function drawLedger(ledger: LedgerResult) {
    const T = ledger.terms.length - 1;
    const sum = `${ledger.total.toFixed(3)} nats per example = ${ledger.totalBitsPerDim.toFixed(3)} bits/dim`;
    const entropy = ledger.entropy ? ` · data entropy ${ledger.entropy.value.toFixed(3)} ± ${ledger.entropy.stdErr.toFixed(3)} nats (the bound must stay above it)` : "";
    ledgerSummary.replaceChildren(
      el("div", {}, `At step ${ledger.atStep}: L = L_T + Σ L_{t−1} + L_0 = ${sum}${entropy}. L_0 = ${ledger.terms[0].toFixed(3)} (a log-density on continuous data, so it can be negative; not on the log-scale chart), L_T = ${ledger.terms[T].toExponential(2)}; ${ledger.examples} held-out points, σ_t² = ${ledger.sigma2Kind === "beta" ? "β_t" : "β̃_t"}, ${(ledger.ms / 1000).toFixed(1)} s.`)
    );
    ledgerSummary.dataset.total = String(ledger.total);
    ledgerSummary.dataset.entropy = String(ledger.entropy?.value ?? "");
    ledgerSummary.dataset.terms = String(ledger.terms.length);
    if (!Plotly) return;
    const series = ledgerSeries(ledger);
    const fg = dark ? "#ddd" : "#333";
    const grid = dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.1)";
    Plotly.react(
      ledgerBox,
      [
        {x: series.k, y: series.term, name: "Lₜ₋₁ (KL), left axis", type: "scatter", mode: "lines", line: {width: 1.5}},
        {x: series.k, y: series.epsError, name: "E‖ε − εθ‖², right axis", type: "scatter", mode: "lines", yaxis: "y2", line: {width: 1, dash: "dot"}},
        {x: series.k, y: series.weight, name: "weight λₜ, right axis", type: "scatter", mode: "lines", yaxis: "y2", line: {width: 1, dash: "dash"}},
        {x: [T], y: [ledger.terms[T]], name: "L_T (prior)", type: "scatter", mode: "markers", marker: {size: 8}}
      ],
      {
        height: 340,
        margin: {l: 60, r: 64, t: 10, b: 40},
        paper_bgcolor: "rgba(0,0,0,0)",
        plot_bgcolor: "rgba(0,0,0,0)",
        font: {color: fg, size: 12},
        xaxis: {title: {text: "k (term Lₖ; Lₜ₋₁ sits at k = t − 1)"}, type: "log", range: [-0.2, Math.log10(T) + 0.05], gridcolor: grid},
        yaxis: {title: {text: "nats per example"}, type: "log", exponentformat: "power", gridcolor: grid},
        yaxis2: {title: {text: "ε error, weight"}, overlaying: "y", side: "right", type: "log", dtick: 1, exponentformat: "power", showgrid: false},
        legend: {orientation: "h", y: -0.32}
      },
      {displaylogo: false, responsive: true}
    );
  }

  function render(progress: Progress) {
    for (let i = 0; i < progress.losses.length; i++) pushLoss(baseSteps + progress.step - progress.losses.length + 1 + i, progress.losses[i]);
    status.dataset.step = String(progress.step);
    status.dataset.baseSteps = String(baseSteps);
    status.dataset.running = String(progress.running);
    status.dataset.tensors = String(progress.numTensors);
    status.dataset.loss = String(progress.lossEma);
    const backendName = session?.backend ? BACKEND_LABELS[session.backend] : "…";
    status.textContent = `${progress.running ? "Training" : "Paused"} on ${backendName} · step ${baseSteps + progress.step}${baseSteps ? ` (from the reference model's ${baseSteps})` : ""} · loss ${Number.isFinite(progress.lossEma) ? `${progress.lossEma.toFixed(4)} (smoothed)` : "—"} · ${progress.stepsPerSecond.toFixed(0)} steps/s · ${(progress.elapsedMs / 1000).toFixed(1)} s · ${session?.parameterCount ?? 0} parameters · ${progress.numTensors} live tensors`;
    start.textContent = progress.running ? "Pause" : progress.step > 0 || baseSteps > 0 ? "Continue training" : "Train";
    scheduleLossDraw();
    const now = performance.now() / 1000;
    if (progress.running && now - lastSample > sampleEvery) void refreshSamples();
    if (progress.running && now - lastLedger > ledgerEvery) void refreshLedger();
  }

  async function refreshSamples() {
    if (!session || busySample) return;
    busySample = true;
    lastSample = performance.now() / 1000;
    try {
      const result = await session.sample({n: samplePoints, seed: 99, keep: TRAJECTORY});
      latestSamples = {...result, atStep: baseSteps + result.atStep};
      drawSamples();
    } catch (error) {
      if (!disposed) showMessage(`Sampling failed: ${(error as Error).message}`);
    } finally {
      busySample = false;
      lastSample = performance.now() / 1000;
    }
  }

  async function refreshLedger() {
    if (!session || busyLedger) return;
    busyLedger = true;
    lastLedger = performance.now() / 1000;
    try {
      const ledger = await session.ledger({n: ledgerPoints, seed: 5});
      drawLedger({...ledger, atStep: baseSteps + ledger.atStep});
    } catch (error) {
      if (!disposed) showMessage(`The ledger failed: ${(error as Error).message}`);
    } finally {
      busyLedger = false;
      lastLedger = performance.now() / 1000;
    }
  }

  async function open(backendChoice: BackendName | "auto") {
    session?.dispose();
    session = null;
    lossHistory.length = 0;
    latestSamples = null;
    status.textContent = "Starting the training worker…";
    const reference = await findReference(config);
    try {
      const created = await TrainingSession.create(config, {
        backend: backendChoice,
        weights: reference?.weights,
        onProgress: render,
        onError: (kind, text) => {
          showMessage(kind === "divergence" ? `Training stopped: ${text}` : `Error (${kind}): ${text}`);
        },
        onBackend: (_name, note) => showMessage(note)
      });
      if (disposed) return created.dispose();
      session = created;
      showMessage(created.note ?? null);
      root.dataset.backend = created.backend ?? "";
      showReference(reference);
      drawSamples();
      render(created.progress ?? {step: 0, loss: 0, lossEma: 0, stepsPerSecond: 0, elapsedMs: 0, running: false, numTensors: 0, losses: []});
    } catch (error) {
      showMessage(`The model could not start: ${(error as Error).message}`);
    }
  }

  start.onclick = () => {
    if (!session) return;
    if (session.progress?.running) session.pause();
    else {
      showMessage(null);
      session.run();
    }
  };
  stepButton.onclick = () => session?.step(1);
  sampleButton.onclick = () => {
    void refreshSamples();
    void refreshLedger();
  };
  /** The build-time model for these settings, if there is one. */
  async function findReference(c: TrainingConfig): Promise<ReferenceModel | null> {
    if (!loadReference) return null;
    try {
      const reference = await loadReference(c.dataset);
      return reference && referenceFits(reference, c) ? reference : null;
    } catch {
      return null; // no reference: train from scratch
    }
  }

  /** Shows a reference model's loss curve, samples and ledger at once (instant start). */
  function showReference(reference: ReferenceModel | null) {
    baseSteps = reference?.steps ?? 0;
    lossHistory.length = 0;
    latestSamples = null;
    root.dataset.reference = reference ? "true" : "false";
    if (!reference) return;
    for (const [step, loss] of reference.lossCurve) pushLoss(step, loss);
    latestSamples = {
      x0: Float32Array.from(reference.samples),
      trajectory: reference.trajectory.map(({t, x}) => ({t, x: Float32Array.from(x)})),
      ms: 0,
      sampler: "ancestral",
      steps: 1000,
      sigma2Kind: reference.config.sigma2Kind,
      quality: reference.quality,
      atStep: reference.steps
    };
    drawLedger(referenceLedger(reference));
  }

  const restart = async (fromScratch: boolean) => {
    const next = readConfig();
    if (!next || !session) return;
    showMessage(null);
    config = next;
    const reference = fromScratch ? null : await findReference(next);
    if (!session) return;
    session.reset(next, reference?.weights);
    showReference(reference);
    if (!reference) ledgerSummary.replaceChildren("No ledger yet: train, then it fills in every few seconds.");
    drawSamples();
    drawLoss();
  };
  reset.onclick = () => void restart(true);
  for (const field of [dataset, loss, sigma, size, lr, batch, seed]) field.input.onchange = () => void restart(false);
  backend.input.onchange = () => {
    const next = readConfig();
    if (next) config = next;
    void open(backend.input.value as BackendName | "auto");
  };

  root.dispose = () => {
    disposed = true;
    cancelAnimationFrame(lossFrame);
    session?.dispose();
    if (Plotly) Plotly.purge(ledgerBox);
  };
  root.session = () => session;
  void open("auto");
  return root;
}
