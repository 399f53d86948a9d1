// The live DDPM: controls, status, loss curve, samples against data, reverse trajectories,
// the bound's ledger L_0 … L_T and sample quality, all fed by a TrainingSession (a worker).
//
// What the panel promises a reader: every click changes something on screen at once (a button
// says what it is doing, or why it is off); the settings shown are the settings in force (a
// value that fails its check stops Train until it is fixed, a change that needs a new model asks
// first, the others apply to the running model from its next step); every figure belongs to the
// model on screen (a fresh start clears the old model's); and the numbers are measured the same
// way every time (the quality of 500 samples against the same 500 held-out points — on the
// reader's own data, against its held-out split; steps per second of wall-clock time).
//
// The reader's own data (drawn or pasted on the Forward page) are read, watched and described in
// YourDataChoice.ts, and measured by lib/your-data-training.ts; this module only wires them in.
// Its size: one closure holds the state that every control and figure reads and writes.
import * as Inputs from "@observablehq/inputs";
import {html} from "htl";
import {datasetEntropy, DATASET_IDS, heldOutDataset, type DatasetId} from "../lib/datasets.js";
import {backendChoiceLabel, BACKEND_NAMES, BACKEND_ORDER, type BackendName} from "../model/backends.js";
import {DEFAULT_TRAINING, LIVE_SETTINGS, MODEL_SETTINGS, type LedgerResult, type LiveSettings, type Progress, type SamplesResult, type TrainingConfig} from "../model/protocol.js";
import {JobCancelled, TrainingSession, type JobHandle} from "../model/session.js";
import {ledgerSeries} from "./ledger-series.js";
import {TRAJECTORY_STEPS, type ReferenceModel} from "../model/reference.js";
import {termCoefficients} from "../lib/bound.js";
import {DEFAULT_SCHEDULE, makeSchedule, SIGMA2_KINDS} from "../lib/schedule.js";
import {SAMPLE_SEED} from "../lib/seeds.js";
import {toBitsPerDim} from "../lib/gaussian.js";
import {ledgerNoiseSeed} from "../model/ledger.js";
import {DATA_RATIO_95, MIN_PREVIEW_STEPS, QUALITY_POINTS, comparableQuality} from "../lib/sample-quality.js";
import {fmt} from "../lib/format.js";
import {checkFields} from "../lib/validate.js";
import {FIELDS} from "./panel-fields.js";
import {Announcer} from "./announcer.js";
import {LineChart, PointCloud} from "./charts.js";
import {LedgerReadings} from "./LedgerReadings.js";
import {runningMean} from "../lib/stats.js";
import {sameYourData, YOUR_DATA, YOUR_DATA_LEDGER_SEED, yourDataSplit, type KeptData, type TrainingDataset, type YourTrainingData} from "../lib/your-data-training.js";
import {watchKeptData, yourDataNote} from "./YourDataChoice.js";
import {urlProblem} from "./url-state.js";
import {fittedMixture} from "./your-data-words.js";
import {NO_YOUR_DATA_LABEL, trainingDatasetLabel} from "./dataset-words.js";

type PlotlyLike = {react(el: HTMLElement, data: object[], layout: object, config?: object): Promise<unknown>; purge(el: HTMLElement): void};

export interface TrainingPanelOptions {
  config?: Partial<TrainingConfig>;
  /** Plotly, or a function that loads it: the panel is usable while it loads. */
  Plotly?: PlotlyLike;
  loadPlotly?: () => Promise<PlotlyLike>;
  /** Seconds between live sample previews and between ledger updates while training. */
  sampleEvery?: number;
  ledgerEvery?: number;
  /** Held-out points for the ledger. */
  ledgerPoints?: number;
  dark?: boolean;
  /**
   * The model trained at build time for a dataset (instant start), or null. Used when the
   * settings are the defaults the reference was trained with.
   */
  loadReference?: (dataset: DatasetId) => Promise<ReferenceModel | null>;
  /** Silence of a busy worker after which it is replaced (ms). */
  stallMs?: number;
  /** Where the reader's own dataset is kept (default: the page's localStorage; null: none). */
  storage?: Storage | null;
  /** The backend chosen when the panel opens (default: the automatic choice). */
  backend?: BackendChoice;
}

/** What a link to the panel restores: the settings in force (not a value still being typed) and the backend chosen. */
export type TrainingPanelSettings = Pick<TrainingConfig, "dataset" | "loss" | "sigma2Kind" | "model" | "learningRate" | "batchSize" | "seed"> & {backend: BackendChoice};

/** The panel fires this event when its settings in force or the chosen backend change (its `value`). */
export const SETTINGS_EVENT = "settings";

export type TrainingPanelElement = HTMLElement & {dispose(): void; session(): TrainingSession | null; readonly value: TrainingPanelSettings};

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
  // Reference models exist for the built-in datasets only.
  const entropy = datasetEntropy(reference.config.dataset as DatasetId, reference.config.seed) ?? undefined;
  return {
    terms: Float64Array.from(reference.ledger.terms),
    termStdErr: Float64Array.from(reference.ledger.termStdErr),
    epsError: Float64Array.from(reference.ledger.epsError),
    weight,
    total: reference.ledger.total,
    totalStdErr: reference.ledger.totalStdErr,
    totalBitsPerDim: reference.ledger.totalBitsPerDim,
    examples: reference.ledger.examples,
    sigma2Kind,
    atStep: reference.steps,
    ms: 0,
    entropy: entropy && {value: entropy.value, stdErr: entropy.stdErr}
  };
}

/** Held-out points of the live ledger: few, so that it is recomputed in about a second while training. */
export const LIVE_LEDGER_POINTS = 250;

const TRAJECTORY = TRAJECTORY_STEPS;
export const BACKEND_CHOICES = ["auto", ...BACKEND_ORDER] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
const LOSS_LABELS = {simple: "L_simple (Eq. 14)", vlb: "true bound weights λₜ (Eq. 12)", hybrid: "hybrid"} as const;
/** The menus' choices (a link names one of them: panel-urls.ts). */
export const LOSS_CHOICES = ["simple", "vlb", "hybrid"] as const;
export const MODEL_CHOICES = ["default", "large"] as const;
const SETTING_NAMES: Record<keyof TrainingConfig, string> = {
  dataset: "dataset",
  custom: "points of your data",
  points: "number of training points",
  model: "model size",
  seed: "seed",
  batchSize: "batch size",
  learningRate: "learning rate",
  loss: "loss",
  sigma2Kind: "σₜ²",
  maxSteps: "step limit"
};
const pct = (x: number) => `${Math.round(100 * x)}%`;
const count = (n: number) => n.toLocaleString("en-US");
let panels = 0;

/** Builds the panel; call `dispose()` on invalidation (it terminates the worker). */
export function TrainingPanel(options: TrainingPanelOptions = {}): TrainingPanelElement {
  const {loadReference, sampleEvery = 5, ledgerEvery = 12, ledgerPoints = LIVE_LEDGER_POINTS, dark = false, stallMs} = options;
  const uid = `tp${++panels}`;
  /** The settings the model in the worker trains with (the worker's word once it is running). */
  let applied: TrainingConfig = {...DEFAULT_TRAINING, ...options.config};
  let session: TrainingSession | null = null;
  let phase: "starting" | "ready" | "moving" | "failed" = "starting";
  let failure = "";
  let disposed = false;
  /** A click on Train before the worker was ready: training starts as soon as it is. */
  let queuedRun = false;
  /** A control request on its way: the button says so until the worker has done it. */
  let action: null | "run" | "pause" | "step" | "reset" | "apply" = null;
  let fieldErrors: string[] = [];
  /** A change of dataset, model size or seed, waiting for the reader to confirm it discards the model. */
  let pendingChange: {keys: (keyof TrainingConfig)[]; next: TrainingConfig} | null = null;
  let progress: Progress | null = null;
  /** Steps of the reference model the current model started from (0: from random weights). */
  let referenceSteps = 0;
  let modelGeneration = -1;
  /** "Sample now", running: its job and the latest x_t it streamed. */
  let sampleNow: JobHandle<SamplesResult> | null = null;
  let sampleStopping = false;
  let stream: {t: number; done: number; total: number; x: Float32Array | null} | null = null;
  /** What became of the last "Sample now" when it did not finish. */
  let sampleNote: string | null = null;
  let preview: JobHandle<SamplesResult> | null = null;
  let ledgerJob: JobHandle<LedgerResult> | null = null;
  let previewDone = 0;
  /** The model generation of the last preview asked for: each model's first preview is asked for at once. */
  let previewGeneration = -1;
  let ledgerDone = 0;
  let Plotly: PlotlyLike | null = options.Plotly ?? null;
  let plotlyState: "ready" | "loading" | "failed" = Plotly ? "ready" : options.loadPlotly ? "loading" : "failed";
  // Each loss with the running mean up to it, kept as points arrive so a redraw does not redo it.
  const lossHistory: {step: number; loss: number; mean: number}[] = [];
  const pushLoss = (step: number, loss: number) => {
    const last = lossHistory.at(-1);
    lossHistory.push({step, loss, mean: runningMean(last?.mean ?? null, loss, last ? step - last.step : 1)});
  };
  let latestSamples: (SamplesResult & {early?: boolean; reference?: boolean}) | null = null;
  let latestLedger: LedgerResult | null = null;
  let figuresNote = "Loading the reference model…";
  /** The reader's own dataset as kept by the Forward page (watched for changes in other tabs). */
  const keptWatch = watchKeptData((now) => keptChanged(now), options.storage);
  let kept: KeptData = keptWatch.current();
  // A link (or a page) that opens the panel on your data: the points kept in this browser, or, with none, the default dataset and a message that says why.
  let openingProblem: HTMLElement | null = null;
  if (applied.dataset === YOUR_DATA && !applied.custom) {
    if (kept.ok) applied = {...applied, custom: kept.data};
    else {
      openingProblem = urlProblem(`The link opens the panel on your data, but ${kept.reason.replace(/^./, (c) => c.toLowerCase())} Showing ${trainingDatasetLabel(DEFAULT_TRAINING.dataset, null)} instead; draw or paste points on the Forward page.`);
      applied = {...applied, dataset: DEFAULT_TRAINING.dataset};
    }
  }
  const yourDataBox = html`<div class=tp-your-data-box></div>` as HTMLElement;
  /** Your data's points this model keeps training on after the kept ones changed ("Keep the current model"). */
  let pinned: YourTrainingData | null = null;

  // ---- Controls (Observable Inputs), with labels the reader and the tests find them by. ----------
  const DATASET_CHOICES: readonly TrainingDataset[] = [...DATASET_IDS, YOUR_DATA];
  const datasetInput = Inputs.select(DATASET_CHOICES, {label: "Dataset", value: applied.dataset, format: (id: TrainingDataset) => trainingDatasetLabel(id, kept.ok ? kept.data : null)});
  const lossInput = Inputs.select(LOSS_CHOICES, {label: "Loss", value: applied.loss, format: (v) => LOSS_LABELS[v]});
  const sigmaInput = Inputs.select(SIGMA2_KINDS, {label: "σₜ²", value: applied.sigma2Kind, format: (v) => (v === "beta" ? "βₜ" : "β̃ₜ (Eq. 7)")});
  const sizeInput = Inputs.select(MODEL_CHOICES, {label: "Model", value: applied.model, format: (v) => (v === "default" ? "3×128 MLP" : "3×256 MLP")});
  const textField = (label: string, value: number) => {
    const form = Inputs.text({label, value: String(value), spellcheck: false, autocomplete: "off"});
    const input = form.querySelector("input")!;
    input.inputMode = "decimal";
    input.setAttribute("aria-describedby", `${uid}-errors`);
    return form;
  };
  const lrInput = textField(FIELDS.learningRate.label, applied.learningRate);
  const batchInput = textField(FIELDS.batchSize.label, applied.batchSize);
  const seedInput = textField(FIELDS.seed.label, applied.seed);
  const backendInput = Inputs.select(BACKEND_CHOICES, {label: "Backend", value: options.backend ?? "auto", format: (v: BackendChoice) => (v === "auto" ? "automatic" : backendChoiceLabel(v))});
  const rawOf = (form: HTMLFormElement) => form.querySelector("input")!.value;
  const selectOf = (form: HTMLFormElement) => form.querySelector("select")!;

  const button = (actionName: string, label: string) => html`<button type=button data-action=${actionName} aria-describedby=${`${uid}-reason`}>${label}</button>` as HTMLButtonElement;
  const trainButton = button("start", "Train");
  const stepButton = button("step", "Step");
  const sampleButton = button("sample", "Sample now");
  const resetButton = button("reset", "Start from scratch");
  const confirmButton = html`<button type=button data-action=confirm-change>Discard it and build the new model</button>` as HTMLButtonElement;
  const keepButton = html`<button type=button data-action=keep-model>Keep the current model</button>` as HTMLButtonElement;
  const confirmText = html`<span></span>` as HTMLElement;
  const confirmBar = html`<div class=tp-confirm role=alertdialog aria-label="A change that needs a new model" hidden>${confirmText} ${confirmButton} ${keepButton}</div>` as HTMLElement;
  const reason = html`<div class=tp-reason id=${`${uid}-reason`} data-testid=reason></div>` as HTMLElement;
  // The status line changes with every progress report (~10 a second): not a live region. Screen
  // readers hear the announcer, which says when training starts or pauses and what Sample now found.
  const status = html`<div class=tp-status data-testid=status>Starting the training worker…</div>` as HTMLElement;
  const announcer = Announcer();
  const activityLine = html`<div class=tp-activity data-testid=activity></div>` as HTMLElement;
  const fieldErrorBox = html`<div class=tp-message id=${`${uid}-errors`} role=alert data-testid=field-errors hidden></div>` as HTMLElement;
  const message = html`<div class=tp-message role=alert data-testid=message hidden></div>` as HTMLElement;

  // ---- Figures. -----------------------------------------------------------------------------------
  const lossBox = html`<div class=tp-figure data-testid=loss-chart></div>` as HTMLElement;
  const samplesBox = html`<div class=tp-figure data-testid=samples></div>` as HTMLElement;
  const sampleProgress = html`<div class=tp-sample-progress data-testid=sample-progress hidden></div>` as HTMLElement;
  const qualityBox = html`<div class=tp-quality data-testid=quality></div>` as HTMLElement;
  const trajectoryBox = html`<div class=tp-trajectory data-testid=trajectory></div>` as HTMLElement;
  const ledgerSummary = html`<div class=tp-ledger-summary data-testid=ledger-summary></div>` as HTMLElement;
  // The Plotly chart reads as one image; its numbers are in the table under it.
  const ledgerBox = html`<div class=tp-ledger data-testid=ledger role=img aria-label="Chart: the bound's terms L_{t−1} against t on log axes, with the noise error E‖ε − εθ‖² and the weight λ_t; the table below it gives the numbers"></div>` as HTMLElement;
  const ledgerNumbers = html`<details class=tp-ledger-numbers><summary>The chart's numbers</summary></details>` as HTMLDetailsElement;

  const root = html`<div class=training-panel data-testid=training-panel>
    ${openingProblem}<div class=tp-controls>${[datasetInput, lossInput, sigmaInput, sizeInput, lrInput, batchInput, seedInput, backendInput]}</div>
    <div class=tp-buttons>${[trainButton, stepButton, sampleButton, resetButton]}</div>
    ${yourDataBox}${reason}${confirmBar}${status}${announcer}${activityLine}${fieldErrorBox}${message}
    <div class="grid grid-cols-2 tp-figures">
      <div class=tp-loss-cell><h3>Loss</h3>${lossBox}</div>
      <div class=tp-samples-cell><h3>Samples (Algorithm 2) and data</h3>${samplesBox}${sampleProgress}${qualityBox}</div>
    </div>
    <h3>Reverse trajectories: x<sub>T</sub> → x<sub>0</sub></h3>
    ${trajectoryBox}
    <h3>The bound, term by term: L<sub>0</sub> … L<sub>T</sub> on held-out data</h3>
    ${ledgerSummary}${ledgerBox}${ledgerNumbers}
  </div>` as TrainingPanelElement;

  const showMessage = (text: string | null) => {
    message.hidden = !text;
    message.textContent = text ?? "";
  };

  // ---- Your data: the menu's entry, the note under the controls, changes made in another tab. ----
  function updateDatasetMenu() {
    const option = selectOf(datasetInput).options[DATASET_CHOICES.indexOf(YOUR_DATA)];
    option.textContent = kept.ok ? trainingDatasetLabel(YOUR_DATA, kept.data) : kept.empty ? NO_YOUR_DATA_LABEL : "Your data (not usable: see below)";
    option.disabled = !kept.ok && datasetInput.value !== YOUR_DATA;
  }

  let noteKey = "";
  function renderYourData() {
    const key = `${applied.dataset}|${applied.custom?.fingerprint ?? ""}|${kept.ok ? kept.data.fingerprint : kept.reason}`;
    if (key === noteKey) return;
    noteKey = key;
    yourDataBox.replaceChildren(yourDataNote(kept, applied.dataset, applied.custom));
  }

  /** The kept data changed in another tab: say so, pause, and let the panel's rule for a new model decide. */
  function keptChanged(now: KeptData) {
    const before = applied.dataset === YOUR_DATA ? applied.custom : undefined;
    kept = now;
    pinned = null;
    updateDatasetMenu();
    renderYourData();
    if (!before && datasetInput.value !== YOUR_DATA) return;
    if (now.ok && before?.fingerprint === now.data.fingerprint) {
      // Back to the very points this model trains on (an undo in the other tab): nothing is stale.
      showMessage(null);
      void applyForm();
      return;
    }
    const had = before ? ` this model was trained on the ${count(before.points.length / 2)} points it had` : "";
    showMessage(
      now.ok
        ? `Your data changed in another tab: ${count(now.data.points.length / 2)} points now;${had}. Training is paused until you choose.`
        : `Your data changed in another tab and can no longer be trained on: ${now.reason} Training is paused; choose another dataset, or draw again on the Forward page.`
    );
    if (session && progress?.running) void session.pause();
    void applyForm();
  }

  // ---- The state of the controls: what each button does now, or why it is off. -----------------
  const liveSteps = () => (progress ? progress.step - progress.startStep : 0);
  const ready = () => phase === "ready" && session !== null;

  function renderControls() {
    const running = Boolean(progress?.running);
    const blocked = fieldErrors.length > 0 || pendingChange !== null;
    const reasons: string[] = [];
    // Train / Pause.
    if (phase === "starting" || phase === "moving") {
      trainButton.textContent = queuedRun ? "Train (queued)" : "Train";
      trainButton.disabled = blocked;
      trainButton.setAttribute("aria-pressed", String(queuedRun));
      reasons.push(queuedRun ? "Training starts as soon as the worker is ready (press Train again to cancel)." : "The training worker is starting; Train now queues training.");
    } else {
      trainButton.removeAttribute("aria-pressed");
      trainButton.textContent =
        action === "run" ? "Starting…" : action === "pause" ? "Pausing…" : running ? "Pause" : (progress?.step ?? 0) > 0 ? "Continue training" : "Train";
      trainButton.disabled = phase === "failed" || action === "run" || action === "pause" || action === "reset" || (!running && blocked);
    }
    stepButton.textContent = action === "step" ? "Stepping…" : "Step";
    stepButton.disabled = !ready() || blocked || action !== null;
    sampleButton.textContent = sampleNow ? (sampleStopping ? "Stopping…" : "Stop sampling") : "Sample now";
    sampleButton.disabled = !ready() || sampleStopping || action === "reset";
    resetButton.textContent = action === "reset" ? "Starting from scratch…" : "Start from scratch";
    resetButton.disabled = !ready() || fieldErrors.length > 0 || action === "reset";
    if (phase === "failed") reasons.push(`Training is off: ${failure}`);
    if (fieldErrors.length) reasons.push(`Train, Step and Start from scratch are off until ${fieldErrors.length === 1 ? "this value is" : "these values are"} fixed (see below).`);
    if (pendingChange) reasons.push("Train and Step are off until you confirm or cancel the change above.");
    if ((phase === "ready" || phase === "moving") && !ready()) reasons.push("Step and Sample now wait for the worker.");
    reason.textContent = reasons.join(" ");
    reason.hidden = reasons.length === 0;
    const disableSettings = phase === "moving" || action === "reset";
    for (const form of [datasetInput, lossInput, sigmaInput, sizeInput, backendInput]) selectOf(form).disabled = disableSettings;
    announceSettings();
  }

  /** The settings in force, for a link (every state change passes through renderControls, which calls this). */
  const settings = (): TrainingPanelSettings => ({
    dataset: applied.dataset,
    loss: applied.loss,
    sigma2Kind: applied.sigma2Kind,
    model: applied.model,
    learningRate: applied.learningRate,
    batchSize: applied.batchSize,
    seed: applied.seed,
    backend: backendInput.value
  });
  let announced = "";
  function announceSettings() {
    const now = JSON.stringify(settings());
    if (now === announced) return;
    announced = now;
    // After the current task: the first one, while the panel is being built, reaches a listener added once it is returned.
    queueMicrotask(() => root.dispatchEvent(new Event(SETTINGS_EVENT)));
  }

  // ---- The settings form: checked on every keystroke, applied when committed. -------------------
  function checkForm(): TrainingConfig | null {
    const {values, errors} = checkFields([
      ["learningRate", rawOf(lrInput), FIELDS.learningRate],
      ["batchSize", rawOf(batchInput), FIELDS.batchSize],
      ["seed", rawOf(seedInput), FIELDS.seed]
    ] as const);
    for (const [key, form] of [["learningRate", lrInput], ["batchSize", batchInput], ["seed", seedInput]] as const) {
      form.querySelector("input")!.setAttribute("aria-invalid", String(errors.some((e) => e.key === key)));
    }
    fieldErrors = errors.map((e) => e.error);
    const dataset = datasetInput.value;
    if (dataset === YOUR_DATA && !pinned && !kept.ok) fieldErrors.push(`Dataset “Your data”: ${kept.reason} Choose another dataset, or draw or paste points on the Forward page.`);
    fieldErrorBox.hidden = fieldErrors.length === 0;
    fieldErrorBox.replaceChildren(...fieldErrors.map((text) => html`<div>${text}</div>`));
    if (fieldErrors.length) return null;
    return {
      ...applied,
      dataset,
      // The points travel with the configuration; other datasets carry none (the worker checks).
      custom: dataset === YOUR_DATA ? (pinned ?? (kept.ok ? kept.data : undefined)) : undefined,
      loss: lossInput.value,
      sigma2Kind: sigmaInput.value,
      model: sizeInput.value,
      learningRate: values.learningRate!,
      batchSize: values.batchSize!,
      seed: values.seed!
    };
  }

  /** Puts the form back to the settings in force (after "Keep the current model"). */
  function showApplied() {
    setDataset(applied.dataset);
    setLoss(applied.loss);
    setSigma(applied.sigma2Kind);
    setSize(applied.model);
    const set = (form: HTMLFormElement, value: number) => {
      if (Number(rawOf(form)) !== value) form.querySelector("input")!.value = String(value);
    };
    set(lrInput, applied.learningRate);
    set(batchInput, applied.batchSize);
    set(seedInput, applied.seed);
  }

  /** Applies the form: live settings at once, a new model after confirmation. */
  async function applyForm(): Promise<void> {
    const next = checkForm();
    renderControls();
    if (!next) return;
    const modelKeys = MODEL_SETTINGS.filter((k) => (k === "custom" ? !sameYourData(next.custom, applied.custom) : next[k] !== applied[k]));
    if (modelKeys.length) {
      if (!ready()) {
        // Nothing trained yet: the model is built with these settings when the worker is ready.
        applied = next;
        return;
      }
      if (liveSteps() > 0) {
        pendingChange = {keys: modelKeys, next};
        const named = modelKeys.includes("dataset") ? modelKeys.filter((k) => k !== "custom") : modelKeys;
        const what = named.map((k) => SETTING_NAMES[k]).join(" and ");
        confirmText.textContent = `Changing the ${what} needs a new model: the current one, trained for ${count(progress!.step)} steps, will be discarded.`;
        confirmBar.hidden = false;
        renderControls();
        confirmButton.focus();
        return;
      }
      await rebuild(next, false);
      return;
    }
    if (pendingChange) {
      pendingChange = null;
      confirmBar.hidden = true;
    }
    const changes: Partial<LiveSettings> = {};
    for (const key of LIVE_SETTINGS) if (next[key] !== applied[key]) Object.assign(changes, {[key]: next[key]});
    if (!Object.keys(changes).length) return renderControls();
    if (!ready()) {
      applied = {...applied, ...changes};
      return renderControls();
    }
    action = action ?? "apply";
    const names = Object.keys(changes).map((k) => `${SETTING_NAMES[k as keyof TrainingConfig]} ${String(changes[k as keyof LiveSettings])}`);
    activityLine.textContent = `Applying ${names.join(", ")} to the model from its next step…`;
    renderControls();
    try {
      await session!.configure(changes);
      applied = session!.config;
      showMessage(null);
    } catch (error) {
      showMessage(`The new settings were refused: ${(error as Error).message}`);
    } finally {
      if (action === "apply") action = null;
      renderControls();
    }
  }

  for (const form of [lrInput, batchInput, seedInput]) {
    form.addEventListener("input", () => {
      checkForm();
      renderControls();
    });
    form.addEventListener("change", () => void applyForm());
    form.addEventListener("submit", () => void applyForm());
  }
  // A selection can arrive as two input events (Observable Inputs re-dispatches "change" as "input"
  // until it has seen a trusted one): act on a value once.
  const onChoice = <T>(form: HTMLFormElement & {value: T}, act: (value: T) => void) => {
    let last = form.value;
    form.addEventListener("input", () => {
      if (Object.is(form.value, last)) return;
      last = form.value;
      act(form.value);
    });
    return (value: T) => {
      form.value = value;
      last = value;
    };
  };
  const setDataset = onChoice(datasetInput, () => {
    pinned = null; // a dataset chosen from the menu: your data as kept now
    openingProblem?.remove();
    void applyForm();
  });
  const setLoss = onChoice(lossInput, () => void applyForm());
  const setSigma = onChoice(sigmaInput, () => void applyForm());
  const setSize = onChoice(sizeInput, () => void applyForm());
  const setBackend = onChoice(backendInput, (choice) => void moveTo(choice));

  confirmButton.onclick = () => {
    if (!pendingChange) return;
    const next = pendingChange.next;
    pendingChange = null;
    confirmBar.hidden = true;
    void rebuild(next, false);
  };
  keepButton.onclick = () => {
    // The kept points changed under a trained model, and the reader keeps it: it goes on with its own points, and the note says so.
    if (pendingChange?.keys.includes("custom") && !pendingChange.keys.includes("dataset") && applied.custom) pinned = applied.custom;
    pendingChange = null;
    confirmBar.hidden = true;
    showApplied();
    void applyForm(); // any live setting changed meanwhile still applies
  };

  // ---- Figures. ----------------------------------------------------------------------------------
  function drawLoss() {
    if (lossHistory.length < 2) {
      lossBox.replaceChildren(html`<p class=tp-placeholder>${figuresNote === "" ? "No steps yet: the loss curve starts with the first training step." : figuresNote}</p>`);
      return;
    }
    const stride = Math.ceil(lossHistory.length / 1500);
    const points = stride > 1 ? lossHistory.filter((_, i) => i % stride === 0) : lossHistory;
    const width = Math.min(420, lossBox.clientWidth || 420);
    lossBox.replaceChildren(
      LineChart(
        [
          {label: "each step's minibatch loss", x: points.map((d) => d.step), y: points.map((d) => d.loss), color: "var(--theme-foreground-faint)", strokeWidth: 1},
          // A running mean over ~50 steps makes the trend readable through minibatch noise.
          {label: "running mean (~50 steps)", x: points.map((d) => d.step), y: points.map((d) => d.mean), color: "var(--theme-foreground-focus)"}
        ],
        {width, height: 220, xLabel: "step", yType: "log", yLogTicks: "values", ariaLabel: "training loss against step"}
      )
    );
  }
  // Progress arrives ~10 times a second; draw the loss chart at most four times a second.
  let lossTimer: ReturnType<typeof setTimeout> | null = null;
  const scheduleLossDraw = () => {
    lossTimer ??= setTimeout(() => {
      lossTimer = null;
      if (!disposed) drawLoss();
    }, 250);
  };

  const cloudWidth = () => Math.min(360, samplesBox.clientWidth || root.clientWidth || 360);
  let yourHeldOut: {fingerprint: string; points: Float64Array} | null = null;
  /** The held-out points the figures compare with: the dataset's, or the held-out part of your data. */
  const heldOutFor = (c: TrainingConfig): Float64Array => {
    if (c.dataset !== YOUR_DATA) return heldOutDataset(c.dataset, 2000, c.seed);
    if (!c.custom) return new Float64Array(0);
    if (yourHeldOut?.fingerprint !== c.custom.fingerprint) yourHeldOut = {fingerprint: c.custom.fingerprint, points: yourDataSplit(c.custom.points).heldOut};
    return yourHeldOut.points;
  };

  function drawSamples() {
    const data = heldOutFor(applied).subarray(0, 2 * QUALITY_POINTS);
    const layers = [{points: data, color: "var(--theme-foreground-muted)", label: applied.dataset === YOUR_DATA ? "your held-out points" : "data", opacity: 0.6}];
    if (stream?.x) {
      layers.push({points: stream.x as unknown as Float64Array, color: "var(--theme-foreground-focus)", label: `x_t, t = ${stream.t}`, opacity: 0.7});
      samplesBox.replaceChildren(PointCloud(layers, {width: cloudWidth(), extent: 3, ariaLabel: `Algorithm 2 running: the samples at t = ${stream.t} over the data`}));
      return;
    }
    if (latestSamples) layers.push({points: latestSamples.x0 as unknown as Float64Array, color: "var(--theme-foreground-focus)", label: `samples (step ${count(latestSamples.atStep)})`, opacity: 0.7});
    samplesBox.replaceChildren(PointCloud(layers, {width: cloudWidth(), extent: 3, ariaLabel: latestSamples ? "generated samples over the data" : "the held-out data; no samples of this model yet"}));
  }

  function drawQuality() {
    const box = qualityBox.dataset;
    for (const key of ["energyRatio", "modesCovered", "points", "floor", "step", "verdict", "early"]) delete box[key];
    if (!latestSamples) {
      qualityBox.replaceChildren(html`<div>${figuresNote || `No samples of this model yet: the first preview comes after ${MIN_PREVIEW_STEPS} steps of training, or press Sample now.`}</div>`);
      trajectoryBox.replaceChildren(html`<p class=tp-placeholder>No trajectories of this model yet: they come with its first samples.</p>`);
      return;
    }
    const q = latestSamples.quality;
    const ratio = q.energy / Math.max(q.energyFloor, 1e-12);
    const parts: (string | Node)[] = [];
    if (latestSamples.verdict) parts.push(html`<strong>These samples are absurd: ${latestSamples.verdict.replace(/^the samples are absurd: /, "")}</strong>`);
    if (latestSamples.early) parts.push(`An early model (step ${latestSamples.atStep}, fewer than ${MIN_PREVIEW_STEPS} steps): its samples are still mostly noise.`);
    if (q.heldOut !== undefined) {
      // Your data: against the held-out part of the split, whose size the floor depends on.
      parts.push(
        `energy distance to your ${count(q.heldOut)} held-out points ${fmt(q.energy, 3)} (floor ${fmt(q.energyFloor, 3)}: the expected distance between ${q.points ?? QUALITY_POINTS} samples and ${count(q.heldOut)} points of your data's own distribution, from the held-out points' own spread; ratio ${fmt(ratio, 3)}×)`
      );
      parts.push("modes covered and the high-quality share: not available for drawn data (its modes are not known)");
    } else {
      parts.push(
        `energy distance to held-out data ${fmt(q.energy, 3)} (floor ${fmt(q.energyFloor, 3)}: the expected distance between two data samples of ${q.points ?? QUALITY_POINTS} points each; ratio ${fmt(ratio, 3)}×, where two samples of the data itself score below ${DATA_RATIO_95}× in 95% of draws)`
      );
    }
    if (q.modes) parts.push(`modes covered ${q.modesCovered}/${q.modes}, high-quality samples ${(100 * q.highQualityFraction!).toFixed(1)}%`);
    const sampler = latestSamples.sampler === "ddim" ? "DDIM (beyond the paper)" : "Algorithm 2";
    parts.push(
      `${q.points ?? QUALITY_POINTS} samples, ${latestSamples.steps} steps of ${sampler} ${latestSamples.reference ? "(the reference model's, computed when the site was built)" : `in ${(latestSamples.ms / 1000).toFixed(1)} s`}`
    );
    qualityBox.replaceChildren(...parts.map((p) => html`<div>${p}</div>`));
    box.energyRatio = String(ratio);
    box.modesCovered = String(q.modesCovered ?? "");
    box.points = String(q.points ?? "");
    box.floor = String(q.energyFloor);
    box.step = String(latestSamples.atStep);
    if (latestSamples.verdict) box.verdict = latestSamples.verdict;
    if (latestSamples.early) box.early = "true";
    trajectoryBox.replaceChildren(
      ...latestSamples.trajectory.map((f) => PointCloud([{points: f.x as unknown as Float64Array, radius: 1.2}], {width: 130, extent: 3.2, title: `t = ${f.t}`, ariaLabel: `samples at t = ${f.t}`}))
    );
  }

  function drawSampleProgress() {
    if (!stream) {
      sampleProgress.hidden = !sampleNote;
      sampleProgress.replaceChildren(sampleNote ?? "");
      return;
    }
    sampleProgress.hidden = false;
    const label = stream.done === 0 ? "Algorithm 2: drawing x_T ~ N(0, I)…" : `Algorithm 2: t = ${stream.t}, step ${stream.done} of ${stream.total}`;
    sampleProgress.replaceChildren(html`<progress max=${stream.total} value=${stream.done} aria-label="Sampling progress"></progress> <span>${label}</span>`);
  }

  let streamFrame = 0;
  const scheduleStreamDraw = () => {
    if (!streamFrame)
      streamFrame = requestAnimationFrame(() => {
        streamFrame = 0;
        if (disposed) return;
        drawSamples();
        drawSampleProgress();
      });
  };

  function drawLedger() {
    const ledger = latestLedger;
    delete ledgerSummary.dataset.total;
    delete ledgerSummary.dataset.totalStdErr;
    delete ledgerSummary.dataset.entropy;
    delete ledgerSummary.dataset.baseline;
    delete ledgerSummary.dataset.terms;
    if (!ledger) {
      ledgerSummary.replaceChildren(html`<div>${figuresNote || "No ledger of this model yet: it is computed every few seconds while training, or press Sample now."}</div>`);
      if (Plotly) Plotly.purge(ledgerBox);
      ledgerBox.replaceChildren();
      ledgerNumbers.replaceChildren(ledgerNumbers.firstElementChild!);
      return;
    }
    const T = ledger.terms.length - 1;
    ledgerNumbers.replaceChildren(ledgerNumbers.firstElementChild!, LedgerReadings(ledgerSeries(ledger), {T, value: ledger.terms[T]}));
    // ± one standard error of the Monte Carlo estimate (the examples' own totals, over √n).
    const sum = `${ledger.total.toFixed(3)} ± ${ledger.totalStdErr.toFixed(3)} nats per example = ${ledger.totalBitsPerDim.toFixed(3)} ± ${toBitsPerDim(ledger.totalStdErr, 2).toFixed(3)} bits/dim`;
    const entropy = ledger.entropy
      ? ` · data entropy ${ledger.entropy.value.toFixed(3)} ± ${ledger.entropy.stdErr.toFixed(3)} nats (the bound must stay above it)`
      : ledger.baseline
        ? ` · for comparison, ${fittedMixture(ledger.baseline.K, "training points")} scores ${ledger.baseline.value.toFixed(3)} ± ${ledger.baseline.stdErr.toFixed(3)} nats per example (its exact −log p) on the same ${count(ledger.baseline.examples)} held-out points; like the bound, this is an upper bound on the data's entropy, not that entropy`
        : "";
    ledgerSummary.replaceChildren(
      ...(ledger.entropyNote ? [html`<div data-testid=entropy-note>${ledger.entropyNote}</div>`] : []),
      html`<div>At step ${count(ledger.atStep)}: L = L_T + Σ L_{t−1} + L_0 = ${sum}${entropy}. L_0 = ${ledger.terms[0].toFixed(3)} ± ${ledger.termStdErr[0].toFixed(3)} (a log-density on continuous data, so it can be negative; not on the log-scale chart), L_T = ${ledger.terms[T].toExponential(2)}; ± is one standard error over the ${count(ledger.examples)} held-out points, σ_t² = ${ledger.sigma2Kind === "beta" ? "β_t" : "β̃_t"}${ledger.ms ? `, ${(ledger.ms / 1000).toFixed(1)} s` : " (the reference model's, computed when the site was built)"}.</div>`
    );
    ledgerSummary.dataset.total = String(ledger.total);
    ledgerSummary.dataset.totalStdErr = String(ledger.totalStdErr);
    ledgerSummary.dataset.entropy = String(ledger.entropy?.value ?? "");
    ledgerSummary.dataset.baseline = String(ledger.baseline?.value ?? "");
    ledgerSummary.dataset.terms = String(ledger.terms.length);
    if (!Plotly) {
      ledgerBox.replaceChildren(html`<p class=tp-placeholder>${plotlyState === "loading" ? "Loading the chart library…" : "The ledger's chart could not be loaded; the numbers above are complete."}</p>`);
      return;
    }
    if (!ledgerBox.querySelector(".plot-container")) ledgerBox.replaceChildren();
    const series = ledgerSeries(ledger);
    const fg = dark ? "#ddd" : "#333";
    const grid = dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.1)";
    void Plotly.react(
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
        // Decades only: Plotly writes the 2s and 5s between them at three quarters of the font's size, too small on a slide.
        xaxis: {title: {text: "k (term Lₖ; Lₜ₋₁ sits at k = t − 1)"}, type: "log", dtick: 1, range: [-0.2, Math.log10(T) + 0.05], gridcolor: grid},
        yaxis: {title: {text: "nats per example"}, type: "log", exponentformat: "power", gridcolor: grid},
        yaxis2: {title: {text: "ε error, weight"}, overlaying: "y", side: "right", type: "log", dtick: 1, exponentformat: "power", showgrid: false},
        legend: {orientation: "h", y: -0.32},
        // The box's width, followed by the panel's resize observer (Plotly's own `responsive` only
        // follows the window, and presenting changes the box, not the window).
        width: ledgerBox.clientWidth || undefined
      },
      // No mode bar: its buttons would sit in the Tab order inside a figure that reads as one image;
      // zooming by dragging and resetting by double-click remain.
      {displayModeBar: false}
    );
  }

  function drawFigures() {
    drawLoss();
    drawSamples();
    drawSampleProgress();
    drawQuality();
    drawLedger();
  }

  /** Forgets every figure of the model on screen (a new model is on its way). */
  function clearFigures(note: string) {
    lossHistory.length = 0;
    latestSamples = null;
    latestLedger = null;
    stream = null;
    sampleNote = null;
    figuresNote = note;
    root.dataset.reference = "false";
    drawFigures();
  }

  // ---- Progress from the worker. -------------------------------------------------------------------
  function renderStatus() {
    const p = progress;
    if (!p) return;
    status.dataset.step = String(p.step);
    status.dataset.baseSteps = String(referenceSteps);
    status.dataset.running = String(p.running);
    status.dataset.tensors = String(p.numTensors);
    status.dataset.loss = String(p.lossEma);
    status.dataset.stepsPerSecond = String(p.stepsPerSecond);
    status.dataset.previewShare = String(p.previewShare);
    status.dataset.learningRate = String(p.config.learningRate);
    status.dataset.batchSize = String(p.config.batchSize);
    const backendName = session?.backend ? BACKEND_NAMES[session.backend] : "…";
    const loss = Number.isFinite(p.lossEma) ? `loss ${p.lossEma.toFixed(4)} (smoothed)` : "loss — (not measured yet)";
    const rate = p.running
      ? ` · ${fmt(p.stepsPerSecond, 3)} steps/s of wall-clock time${p.previewShare >= 0.01 ? ` (previews took ${pct(p.previewShare)} of it)` : ""}`
      : "";
    const from = referenceSteps ? ` (from the reference model's ${count(referenceSteps)})` : "";
    const settings = `learning rate ${p.config.learningRate}, batch ${p.config.batchSize}`;
    announceState(p, backendName);
    status.textContent = `${p.running ? "Training" : "Paused"} on ${backendName} · step ${count(p.step)}${from} · ${loss}${rate} · ${settings} · ${session?.parameterCount ?? 0} parameters · ${p.numTensors} live tensors`;
    if (action !== "apply") activityLine.textContent = `Worker: ${p.activity.text}.`;
  }

  // What a screen reader hears of the progress reports: training starting and pausing, not every report.
  let lastState: string | null = null;
  function announceState(p: Progress, backendName: string) {
    const state = p.running ? "running" : `paused at ${p.step}`;
    if (state === lastState) return;
    const first = lastState === null;
    lastState = state;
    if (first) return; // the panel's opening state is on screen; nothing happened yet
    const loss = Number.isFinite(p.lossEma) ? `, smoothed loss ${p.lossEma.toFixed(4)}` : "";
    announcer.say(p.running ? `Training on ${backendName} from step ${p.step}.` : `Paused at step ${p.step}${loss}.`);
  }

  /** What Sample now found, in a sentence for the announcer. */
  function sampleSummary(result: SamplesResult): string {
    const q = result.quality;
    const parts = [`Samples at step ${result.atStep}`];
    if (q.modes) parts.push(`${q.modesCovered} of ${q.modes} modes covered`);
    parts.push(`energy distance ${fmt(q.energy / Math.max(q.energyFloor, 1e-12), 3)} times its floor`);
    const bound = latestLedger && current(latestLedger) ? `; bound ${latestLedger.total.toFixed(3)} ± ${latestLedger.totalStdErr.toFixed(3)} nats per example` : "";
    return `${parts.join(", ")}${bound}.`;
  }

  function render(p: Progress) {
    if (action === "reset") return; // the old model's last reports: the new one is on its way
    if (p.generation !== modelGeneration) {
      modelGeneration = p.generation;
      // The old model's preview is cancelled by the worker and its result ignored (current()).
      preview = null;
    }
    progress = p;
    applied = p.config;
    renderYourData();
    for (let i = 0; i < p.losses.length; i++) pushLoss(p.step - p.losses.length + 1 + i, p.losses[i]);
    if (p.losses.length) {
      if (figuresNote) {
        figuresNote = "";
        if (!latestSamples) drawQuality();
        if (!latestLedger) drawLedger();
      }
      scheduleLossDraw();
    }
    renderStatus();
    renderControls();
    const now = performance.now() / 1000;
    const trained = p.step >= MIN_PREVIEW_STEPS;
    // A new model's first preview is asked for as soon as it trains, not when the clock allows: the
    // worker holds it until step MIN_PREVIEW_STEPS and copies the weights of exactly that step, so
    // the absurd-samples check looks at the same step of a model on every backend, however fast.
    const first = !trained && previewGeneration !== p.generation;
    if (p.running && (trained || first) && !preview && !sampleNow && (first || now - previewDone > sampleEvery)) startPreview();
    if (p.running && trained && !ledgerJob && now - ledgerDone > ledgerEvery) startLedger();
  }

  /** Keeps samples only if they describe the model on screen now. */
  function current(result: {generation?: number}) {
    return result.generation === undefined || result.generation === modelGeneration;
  }

  function acceptSamples(result: SamplesResult) {
    if (!current(result)) return;
    latestSamples = {...result, early: result.atStep < MIN_PREVIEW_STEPS};
    figuresNote = "";
    if (!sampleNow) sampleNote = null;
    // (If training was running, the worker stops it and its message follows this one.)
    if (result.verdict) showMessage(`At step ${count(result.atStep)}, ${result.verdict}`);
    drawSamples();
    drawQuality();
  }

  function startPreview() {
    if (!session) return;
    const job = session.sampleJob({n: QUALITY_POINTS, seed: SAMPLE_SEED, keep: TRAJECTORY, preview: true});
    preview = job;
    previewGeneration = modelGeneration;
    job.result
      .then(acceptSamples)
      .catch((error) => {
        if (!(error instanceof JobCancelled) && !disposed) showMessage(`Sampling failed: ${(error as Error).message}`);
      })
      .finally(() => {
        if (preview === job) preview = null;
        previewDone = performance.now() / 1000;
      });
  }

  function startLedger() {
    if (!session) return;
    // Each dataset's own noise stream, as for the reference ledgers: successive ledgers of one
    // model differ only by training, and datasets do not share their Monte Carlo errors.
    const job = session.ledgerJob({n: ledgerPoints, seed: applied.dataset === YOUR_DATA ? YOUR_DATA_LEDGER_SEED : ledgerNoiseSeed(applied.dataset)});
    ledgerJob = job;
    job.result
      .then((ledger) => {
        if (!current(ledger)) return;
        latestLedger = ledger;
        figuresNote = "";
        drawLedger();
      })
      .catch((error) => {
        if (!(error instanceof JobCancelled) && !disposed) showMessage(`The ledger failed: ${(error as Error).message}`);
      })
      .finally(() => {
        if (ledgerJob === job) ledgerJob = null;
        ledgerDone = performance.now() / 1000;
      });
  }

  // ---- Buttons. ------------------------------------------------------------------------------------
  trainButton.onclick = () => {
    if (phase === "starting" || phase === "moving") {
      queuedRun = !queuedRun;
      return renderControls();
    }
    if (!session || !progress) return;
    if (progress.running) {
      action = "pause";
      renderControls();
      session.pause().finally(() => {
        if (action === "pause") action = null;
        renderControls();
      });
      return;
    }
    if (fieldErrors.length || pendingChange) return renderControls();
    showMessage(null);
    void run();
  };

  async function run() {
    if (!session) return;
    action = "run";
    renderControls();
    try {
      await applyForm(); // a value typed but not yet committed counts
      if (fieldErrors.length || pendingChange || !session) return;
      await session.run();
    } catch (error) {
      if (!(error instanceof JobCancelled)) showMessage(`Training could not start: ${(error as Error).message}`);
    } finally {
      if (action === "run") action = null;
      renderControls();
    }
  }

  stepButton.onclick = () => {
    if (!session) return;
    action = "step";
    renderControls();
    session
      .step(1)
      .catch((error) => {
        if (!(error instanceof JobCancelled)) showMessage(`The step failed: ${(error as Error).message}`);
      })
      .finally(() => {
        if (action === "step") action = null;
        renderControls();
      });
  };

  sampleButton.onclick = () => {
    if (!session) return;
    if (sampleNow) {
      sampleStopping = true;
      sampleNow.cancel();
      return renderControls();
    }
    stream = {t: 1000, done: 0, total: 1000, x: null};
    sampleNote = null;
    const job = session.sampleJob({
      n: QUALITY_POINTS,
      seed: SAMPLE_SEED,
      keep: TRAJECTORY,
      stream: true,
      onProgress: (p) => {
        if (sampleNow !== job || !stream) return;
        stream = {t: p.t ?? stream.t, done: p.done, total: p.total, x: p.x ?? stream.x};
        scheduleStreamDraw();
      }
    });
    sampleNow = job;
    drawSampleProgress();
    renderControls();
    if (!ledgerJob) startLedger();
    job.result
      .then((result) => {
        stream = null;
        acceptSamples(result);
        if (current(result) && !disposed) announcer.say(sampleSummary(result));
      })
      .catch((error) => {
        const at = stream?.done ? ` at t = ${stream.t}` : "";
        stream = null;
        if (error instanceof JobCancelled) sampleNote = `Sampling stopped${at}; the samples shown are the last complete ones.`;
        else if (!disposed) showMessage(`Sampling failed: ${(error as Error).message}`);
        drawSamples();
      })
      .finally(() => {
        if (sampleNow === job) sampleNow = null;
        sampleStopping = false;
        drawSampleProgress();
        renderControls();
      });
  };

  resetButton.onclick = () => {
    pinned = null; // a fresh model trains on your data as kept now
    const next = checkForm();
    if (!next) return renderControls();
    pendingChange = null;
    confirmBar.hidden = true;
    void rebuild(next, true);
  };

  /** A new model with `next`: the reference model for these settings (unless fromScratch), else fresh weights. */
  async function rebuild(next: TrainingConfig, fromScratch: boolean) {
    if (!session) return;
    action = "reset";
    queuedRun = false;
    showMessage(null);
    sampleNow?.cancel();
    const fresh = next.dataset === YOUR_DATA ? "Building a model on your data: no reference model exists for it, so it starts from scratch…" : "Building the model for the new settings…";
    clearFigures(fromScratch ? `Building a fresh model (seed ${next.seed})…` : fresh);
    status.textContent = fromScratch ? `Starting from scratch: a fresh model, seed ${next.seed}…` : "Building the model for the new settings…";
    renderControls();
    try {
      const reference = fromScratch ? null : await findReference(next);
      if (disposed || !session) return;
      await session.reset(next, reference?.weights, reference?.steps ?? 0);
      applied = next;
      action = null;
      figuresNote = "";
      showReference(reference);
    } catch (error) {
      if (!(error instanceof JobCancelled)) showMessage(`The new model could not be built: ${(error as Error).message}`);
    } finally {
      if (action === "reset") action = null;
      renderControls();
      renderStatus();
    }
  }

  /** The build-time model for these settings, if there is one. */
  async function findReference(c: TrainingConfig): Promise<ReferenceModel | null> {
    if (!loadReference || c.dataset === YOUR_DATA) return null; // no reference model exists for your data
    try {
      const reference = await loadReference(c.dataset);
      return reference && referenceFits(reference, c) ? reference : null;
    } catch {
      return null; // no reference: train from scratch
    }
  }

  /** Shows a reference model's loss curve, samples and ledger at once (instant start), or clears them. */
  function showReference(reference: ReferenceModel | null) {
    referenceSteps = reference?.steps ?? 0;
    lossHistory.length = 0;
    latestSamples = null;
    latestLedger = null;
    root.dataset.reference = reference ? "true" : "false";
    if (reference) {
      for (const [step, loss] of reference.lossCurve) pushLoss(step, loss);
      // The same figure as every preview: QUALITY_POINTS of its samples against the same held-out points.
      const x0 = Float32Array.from(reference.samples.slice(0, 2 * QUALITY_POINTS));
      latestSamples = {
        x0,
        trajectory: reference.trajectory.map(({t, x}) => ({t, x: Float32Array.from(x.slice(0, 2 * QUALITY_POINTS))})),
        ms: 0,
        sampler: "ancestral",
        steps: 1000,
        sigma2Kind: reference.config.sigma2Kind,
        quality: comparableQuality(x0, heldOutFor(reference.config), reference.config.dataset as DatasetId),
        atStep: reference.steps,
        reference: true
      };
      latestLedger = referenceLedger(reference);
    }
    drawFigures();
  }

  // ---- The worker. -----------------------------------------------------------------------------------
  /** Each open() gets a number: a later one makes an earlier one, still starting, stand down. */
  let opening = 0;
  async function open(backendChoice: BackendChoice, start: {flat?: Float32Array; startStep?: number} = {}) {
    const mine = ++opening;
    const stale = () => disposed || mine !== opening;
    phase = session ? "moving" : "starting";
    session?.dispose();
    session = null;
    progress = null;
    renderControls();
    const reference = start.flat ? null : await findReference(applied);
    if (stale()) return;
    if (!start.flat) {
      figuresNote = "";
      showReference(reference);
    }
    status.textContent = start.flat ? `Moving the model to ${backendChoice === "auto" ? "the automatic choice" : BACKEND_NAMES[backendChoice]}…` : "Starting the training worker…";
    try {
      const created = await TrainingSession.create(applied, {
        backend: backendChoice,
        weights: start.flat ? undefined : reference?.weights,
        flat: start.flat,
        startStep: start.flat ? start.startStep : (reference?.steps ?? 0),
        stallMs,
        onProgress: render,
        onError: (kind, text) => {
          if (kind === "internal" && !session) return; // reported by create's rejection below
          showMessage(kind === "divergence" ? (text.startsWith("Training stopped") ? text : `Training stopped: ${text}`) : `Error (${kind}): ${text}`);
          if (kind === "internal" || kind === "backend") {
            if (kind === "internal") {
              phase = "failed";
              failure = text;
            }
            renderControls();
          }
        },
        onBackend: (name, note) => {
          showMessage(note);
          root.dataset.backend = name;
          setBackend("auto");
          updateBackendMenu();
          renderStatus();
        }
      });
      if (stale()) return created.dispose();
      session = created;
      carried = null;
      phase = "ready";
      showMessage(created.note ?? null);
      root.dataset.backend = created.backend ?? "";
      updateBackendMenu();
      if (created.progress) render(created.progress);
      renderControls();
      if (queuedRun) {
        queuedRun = false;
        void run(); // applies the form first
      } else void applyForm(); // settings changed while the worker started

    } catch (error) {
      if (stale()) return;
      phase = "failed";
      failure = `the training worker could not start (${(error as Error).message}).`;
      status.textContent = "The training worker could not start.";
      activityLine.textContent = "";
      queuedRun = false;
      showMessage(`The model could not start: ${(error as Error).message}`);
      renderControls();
    }
  }

  /** Marks each backend in the menu: unavailable ones off, software or float16 ones named as such. */
  function updateBackendMenu() {
    const select = selectOf(backendInput);
    const probes = session?.probes ?? [];
    for (const option of Array.from(select.options)) {
      // Observable Inputs number the options; the value is an index into BACKEND_CHOICES.
      const name = BACKEND_CHOICES[Number(option.value)];
      if (name === "auto") {
        option.textContent = session?.backend ? `automatic (now ${BACKEND_NAMES[session.backend]})` : "automatic";
        continue;
      }
      const probe = probes.find((p) => p.name === name);
      option.textContent = backendChoiceLabel(name, probe);
      option.disabled = probe ? !probe.ok : false;
    }
  }

  /** The weights and step count on their way to another backend. */
  let carried: {flat: Float32Array; startStep: number} | null = null;
  /** Moves the model to another backend: its weights and step count come along. */
  async function moveTo(choice: BackendChoice) {
    const next = checkForm();
    if (next && !pendingChange) applied = {...applied, ...next};
    const current = session;
    if (current && phase === "ready") {
      phase = "moving";
      renderControls();
      try {
        const checkpoint = await current.takeCheckpoint();
        carried = {flat: checkpoint.flat, startStep: checkpoint.step};
      } catch {
        // The worker is gone or busy failing: its last checkpoint is the best there is.
        carried = current.checkpoint ? {flat: current.checkpoint.flat, startStep: current.checkpoint.step} : carried;
      }
    }
    // (A second choice while the first move is under way carries the same weights.)
    await open(choice, carried ?? {});
  }

  // Each figure is drawn at its box's width; when that width changes (the window resized, the page
  // shown as slides, where the box is the slide's), the figure is drawn again at the new width, in
  // the next frame rather than inside the observer.
  const redraws = new Map<Element, () => void>([
    [lossBox, drawLoss],
    [samplesBox, drawSamples],
    [ledgerBox, drawLedger]
  ]);
  const drawnWidths = new Map<Element, number>();
  const pendingRedraws = new Set<() => void>();
  let resizeFrame = 0;
  const resizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const width = Math.round(entry.contentRect.width);
      const before = drawnWidths.get(entry.target);
      drawnWidths.set(entry.target, width);
      if (before !== undefined && before !== width) pendingRedraws.add(redraws.get(entry.target)!);
    }
    if (pendingRedraws.size && !resizeFrame)
      resizeFrame = requestAnimationFrame(() => {
        resizeFrame = 0;
        if (disposed) return;
        for (const draw of pendingRedraws) draw();
        pendingRedraws.clear();
      });
  });
  for (const box of redraws.keys()) resizes.observe(box);

  root.dispose = () => {
    disposed = true;
    resizes.disconnect();
    cancelAnimationFrame(resizeFrame);
    announcer.dispose();
    keptWatch.dispose();
    if (lossTimer) clearTimeout(lossTimer);
    cancelAnimationFrame(streamFrame);
    session?.dispose();
    if (Plotly) Plotly.purge(ledgerBox);
  };
  root.session = () => session;
  Object.defineProperty(root, "value", {get: settings});

  drawFigures();
  updateDatasetMenu();
  renderYourData();
  renderControls();
  if (!Plotly && options.loadPlotly) {
    options
      .loadPlotly()
      .then((loaded) => {
        Plotly = loaded;
        plotlyState = "ready";
      })
      .catch(() => (plotlyState = "failed"))
      .finally(() => {
        if (!disposed) drawLedger();
      });
  }
  void open(backendInput.value);
  return root;
}
