// The "Why diffusion" page's live comparison on the 8-Gaussian ring, the GAN side: a GAN trained in
// the page with tfjs (GAN Lab style: its samples over the discriminator's verdict, its mode coverage
// over time). DDPM's side, Algorithm 2 with the exact ε*, is EpsSamplerPanel.ts. Nothing starts by
// itself: each side has a button. dispose() stops training and frees every tensor.
import {fmtPercent} from "../lib/format.js";
import {modeCoverage, type ModeCoverage} from "../lib/metrics.js";
import type {GaussianMixture} from "../lib/mixture.js";
import {expectedHighQualityFraction, gridPoints, modeShareKL} from "../lib/checks/why-diffusion.js";
import type {BackendName, BackendProbe, Tf} from "../model/backends.js";
import {createGan, DEFAULT_GAN, GanDivergenceError, type Gan, type GanConfig} from "../model/why-gan.js";
import {Announcer} from "./announcer.js";
import {LineChart} from "./charts.js";
import {RingView} from "./WhyDiffusionViews.js";
import * as Inputs from "@observablehq/inputs";
import {html} from "htl";
import {checkFields} from "../lib/validate.js";
import {FIELDS} from "./panel-fields.js";

/** What the page hands over to load tfjs only when the reader asks for training. */
export type TfLoader = () => Promise<{tf: Tf; probeAllBackends: () => Promise<{probes: BackendProbe[]; preferred: BackendName | null}>}>;

/** The GAN settings a reader can pick. */
export const GAN_PRESETS = {
  standard: {label: "non-saturating loss", config: {}},
  slowD: {label: "slow discriminator (learning rate 10⁻⁴)", config: {learningRateD: 1e-4}},
  minimax: {label: "minimax loss (W1 as written)", config: {loss: "minimax"}}
} as const satisfies Record<string, {label: string; config: Partial<GanConfig>}>;
export type GanPreset = keyof typeof GAN_PRESETS;

export interface WhyGanPanelOptions {
  gm: GaussianMixture;
  /** The GAN's training set (flat 2D points of gm). */
  data: Float64Array;
  loadTf: TfLoader;
  width?: number;
  /** Steps to train when the button is pressed (the reader can change it). */
  steps?: number;
  seed?: number;
  preset?: GanPreset;
  /** Samples drawn for each measurement, and generator steps between measurements. */
  samplePoints?: number;
  measureEvery?: number;
}


const HEAT_M = 41;
const NOT_STARTED = "Not started: press “Train the GAN”. (It trains here, in this page, with tfjs.)";
const SAMPLE_SEED = 2024;

/** The GAN side; call dispose() on invalidation. */
/** What a link to the GAN panel restores: the preset, and the seed and steps as last typed correctly. */
export interface GanSettings {
  preset: GanPreset;
  seed: number;
  steps: number;
}

/** The panel as the Why-diffusion page opens it. */
export const GAN_DEFAULTS: GanSettings = {preset: "standard", seed: 1, steps: 3000};

export function WhyGanPanel(options: WhyGanPanelOptions): HTMLElement & {dispose(): void; readonly value: GanSettings} {
  const {gm, data, loadTf, width = 340, samplePoints = 1000, measureEvery = 100} = options;
  const presetForm = Inputs.select(Object.keys(GAN_PRESETS) as GanPreset[], {label: "GAN", value: options.preset ?? GAN_DEFAULTS.preset, format: (key) => GAN_PRESETS[key].label});
  presetForm.querySelector("select")!.dataset.input = "gan-preset";
  // Seed and steps are text fields checked by the site's one validation (lib/validate.ts): what the
  // reader typed is what is checked, so "abc" or 1e9 is refused in words rather than read as 1.
  const textField = (label: string, value: number, name: string) => {
    const form = Inputs.text({label, value: String(value), spellcheck: false, autocomplete: "off"});
    const input = form.querySelector("input")!;
    input.inputMode = "numeric";
    input.dataset.input = name;
    return {form, input};
  };
  const seedField = textField(FIELDS.seed.label, options.seed ?? GAN_DEFAULTS.seed, "gan-seed");
  const stepsField = textField(FIELDS.ganSteps.label, options.steps ?? GAN_DEFAULTS.steps, "gan-steps");
  const seedInput = seedField.input;
  const stepsInput = stepsField.input;
  const startButton = html`<button type=button data-action=gan-start>Train the GAN</button>` as HTMLButtonElement;
  const resetButton = html`<button type=button data-action=gan-reset>Start from scratch</button>` as HTMLButtonElement;
  // The status line changes every few steps; screen readers hear the announcer, which speaks when training starts, pauses or ends.
  const status: HTMLElement = html`<div class="tp-status" data-testid="gan-status" data-step="0" data-running="false">${NOT_STARTED}</div>`;
  const announcer = Announcer();
  const message: HTMLElement = html`<div class="tp-message" role="alert" hidden></div>`;
  const figure: HTMLElement = html`<div style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start"></div>`;
  const summary: HTMLElement = html`<p data-testid="gan-summary" style="font:14px var(--sans-serif);margin:0.4rem 0"></p>`;
  const controls = html`<div class="tp-controls">${presetForm}${seedField.form}${stepsField.form}</div>`;
  const root: HTMLElement & {dispose(): void; readonly value: GanSettings} = html`<div class="training-panel why-gan" data-testid="gan-panel">${controls}<div class="tp-buttons">${startButton}${resetButton}</div>${status}${announcer}${message}${figure}${summary}</div>`;

  let gan: Gan | null = null;
  let tf: Tf | null = null;
  let backend: BackendName | null = null;
  let running = false;
  let disposed = false;
  let stepsPerSecond = 0;
  let history: {step: number; covered: number; hq: number}[] = [];
  let last: {samples: Float32Array; heat: Float32Array; coverage: ModeCoverage} | null = null;
  const grid = gridPoints(2.2, HEAT_M);
  let lastState: string | null = null;

  // The last values that passed their checks (the fields may hold something else while the reader types).
  let checked = {seed: options.seed ?? GAN_DEFAULTS.seed, steps: options.steps ?? GAN_DEFAULTS.steps};
  /** Checks both fields: their values, or null with the errors shown and Train off. */
  function checkInputs(): {seed: number; steps: number} | null {
    const {values, errors} = checkFields([
      ["seed", seedInput.value, FIELDS.seed],
      ["steps", stepsInput.value, FIELDS.ganSteps]
    ] as const);
    seedInput.setAttribute("aria-invalid", String(errors.some((e) => e.key === "seed")));
    stepsInput.setAttribute("aria-invalid", String(errors.some((e) => e.key === "steps")));
    startButton.disabled = errors.length > 0 && !running;
    if (errors.length) {
      showError(errors.map((e) => e.error).join(" "));
      return null;
    }
    if (message.dataset.kind === "input") message.hidden = true;
    checked = values as {seed: number; steps: number};
    return checked;
  }
  const config = (): Partial<GanConfig> => ({...GAN_PRESETS[presetForm.value].config, seed: checked.seed});
  const target = () => checked.steps;
  Object.defineProperty(root, "value", {get: (): GanSettings => ({preset: presetForm.value, ...checked})});

  function showError(text: string, kind: "input" | "training" = "input") {
    message.hidden = false;
    message.textContent = text;
    message.dataset.kind = kind;
  }

  function render() {
    const step = gan?.step ?? 0;
    status.dataset.step = String(step);
    status.dataset.running = String(running);
    if (backend) status.dataset.backend = backend;
    const point = history[history.length - 1];
    if (point) {
      status.dataset.modesCovered = String(point.covered);
      status.dataset.hq = point.hq.toFixed(4);
    }
    const speed = stepsPerSecond ? `, ${stepsPerSecond.toFixed(0)} steps/s` : "";
    const state = running ? "Training" : step >= target() ? "Done" : "Paused";
    status.textContent = gan ? `${state}: step ${step} of ${target()} on ${backend}${speed}` : NOT_STARTED;
    if (gan && state !== lastState) {
      const covered = point ? `, ${point.covered} of ${gm.weights.length} modes covered` : "";
      announcer.say(`GAN ${state.toLowerCase()}: step ${step} of ${target()}${covered}.`);
    }
    lastState = gan ? state : null;
    startButton.textContent = running ? "Pause" : gan && step > 0 ? "Continue" : "Train the GAN";
    if (!last) {
      figure.replaceChildren(RingView({gm, width, data, title: "data (grey); GAN samples will appear here", ariaLabel: "the 8-Gaussian ring's data and its modes"}));
      summary.textContent = "";
      return;
    }
    const {coverage} = last;
    const K = gm.weights.length;
    const kl = modeShareKL(coverage.counts, gm.weights);
    figure.replaceChildren(
      RingView({
        gm,
        width,
        samples: last.samples,
        counts: coverage.counts,
        total: samplePoints,
        heat: {m: HEAT_M, values: last.heat},
        title: `GAN, step ${step}`,
        ariaLabel: `${samplePoints} GAN samples at step ${step}: ${coverage.modesCovered} of ${K} modes covered`
      }),
      LineChart(
        [
          {label: `modes covered ÷ ${K}`, x: history.map((h) => h.step), y: history.map((h) => h.covered / gm.weights.length)},
          {label: "share within 3σ", x: history.map((h) => h.step), y: history.map((h) => h.hq), dash: "5,3"}
        ],
        {width: Math.min(340, width), height: 220, xLabel: "generator step", yDomain: [0, 1], legend: "bottom-left", ariaLabel: "GAN mode coverage over training steps"}
      )
    );
    summary.textContent =
      `At step ${step}: ${coverage.modesCovered} of ${coverage.modes} modes covered; ${fmtPercent(coverage.highQualityFraction)} of ${samplePoints} samples lie within 3σ of a mode ` +
      `(the data: ${(100 * expectedHighQualityFraction()).toFixed(1)}%); KL of the mode shares to uniform ${Number.isFinite(kl) ? kl.toFixed(2) : "—"} nats (0: every mode equally often; ln ${K} = ${Math.log(K).toFixed(2)}: all on one).`;
  }

  async function measure() {
    if (!gan) return;
    const [samples, heat] = await Promise.all([gan.sample(samplePoints, SAMPLE_SEED), gan.discriminate(grid)]);
    const coverage = modeCoverage(samples, gm);
    last = {samples, heat, coverage};
    history.push({step: gan.step, covered: coverage.modesCovered, hq: coverage.highQualityFraction});
  }

  async function ensureGan(): Promise<Gan> {
    if (gan) return gan;
    if (!tf) {
      status.textContent = "Loading tfjs and choosing a backend…";
      const loaded = await loadTf();
      const {preferred} = await loaded.probeAllBackends();
      if (!preferred) throw new Error("no tfjs backend works in this browser");
      tf = loaded.tf;
      backend = tf.getBackend() as BackendName; // the tfjs backend the GAN runs on (the kernel trains only the denoiser)
    }
    gan = createGan(tf, data, config());
    history = [];
    await measure(); // step 0: the untrained generator
    return gan;
  }

  // Each press of the button starts a loop with its own id; a loop that finds a newer id (after
  // "Start from scratch" and a new start) ends quietly instead of touching the new run.
  let loopId = 0;
  async function loop() {
    const id = ++loopId;
    const stale = () => disposed || id !== loopId;
    try {
      const g = await ensureGan();
      if (stale()) return;
      let windowStart = performance.now();
      let windowSteps = 0;
      while (running && !disposed && g.step < target()) {
        // Chunks small enough to keep the page responsive; measure every `measureEvery` steps.
        const nextMeasure = (Math.floor(g.step / measureEvery) + 1) * measureEvery;
        const k = Math.min(25, target() - g.step, nextMeasure - g.step);
        await g.train(k);
        if (stale() || g !== gan) return;
        windowSteps += k;
        const elapsed = performance.now() - windowStart;
        if (elapsed > 1000) {
          stepsPerSecond = (1000 * windowSteps) / elapsed;
          windowStart = performance.now();
          windowSteps = 0;
        }
        if (g.step % measureEvery === 0 || g.step >= target()) {
          await measure();
          render();
        } else {
          status.dataset.step = String(g.step);
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } catch (error) {
      if (stale()) return;
      showError(error instanceof GanDivergenceError ? `${error.message}. Start from scratch, or pick another setting.` : `Training stopped: ${error instanceof Error ? error.message : String(error)}`, "training");
    }
    running = false;
    if (!disposed) render();
  }

  function reset() {
    running = false;
    loopId += 1; // ends any loop still in flight
    gan?.dispose();
    gan = null;
    last = null;
    history = [];
    stepsPerSecond = 0;
    message.hidden = true;
    checkInputs(); // a field still wrong keeps its message
    render();
  }

  startButton.addEventListener("click", () => {
    if (running) {
      running = false;
      render();
      return;
    }
    if (!checkInputs()) return;
    if (gan && gan.step >= target()) {
      stepsInput.value = String(Math.min(FIELDS.ganSteps.max, target() + 1000));
      if (!checkInputs()) return;
    }
    running = true;
    message.hidden = true;
    render();
    void loop();
  });
  resetButton.addEventListener("click", reset);
  // A new setting or seed is a new run.
  presetForm.addEventListener("change", reset);
  for (const input of [seedInput, stepsInput]) input.addEventListener("input", () => checkInputs());
  seedInput.addEventListener("change", () => {
    const previous = checked.seed;
    if (checkInputs() && checked.seed !== previous) reset();
  });
  stepsInput.addEventListener("change", () => {
    if (checkInputs()) render();
  });

  root.dispose = () => {
    disposed = true;
    running = false;
    announcer.dispose();
    gan?.dispose();
    gan = null;
  };
  render();
  return root;
}
