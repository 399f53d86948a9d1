// The L_simple page's experiment: two models trained side by side, in two Web Workers, from the
// same initial weights on the same batches, one with L_simple (Eq. 14) and one with the true
// bound's weights λ_t (Eq. 12); then both are scored on the bound (the ledger) and on their
// samples (Algorithm 2). Nothing trains until the reader presses the button.
import * as Inputs from "@observablehq/inputs";
import {html} from "htl";
import {DATASET_IDS, heldOutDataset, type DatasetId} from "../lib/datasets.js";
import {datasetLabel} from "./dataset-words.js";
import {fmt, fmtPercent} from "../lib/format.js";
import {compareRuns, summariseRun, type Comparison, type ComparisonRow, type ObjectiveKind, type RunSummary} from "../lib/checks/lsimple-check.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import {SAMPLE_SEED} from "../lib/seeds.js";
import {DEFAULT_TRAINING, type LedgerResult, type Progress, type SamplesResult, type TrainingConfig} from "../model/protocol.js";
import {ledgerNoiseSeed} from "../model/ledger.js";
import {TrainingSession} from "../model/session.js";
import {LogChart} from "./BoundChart.js";
import {PointCloud} from "./charts.js";
import {richText} from "./Exercise.js";
import {comparisonConclusion, comparisonLabel} from "./LSimpleViews.js";
import {checkFields} from "../lib/validate.js";
import {FIELDS} from "./panel-fields.js";

export interface LSimpleExperimentOptions {
  dataset?: DatasetId;
  /** Training steps of each model (TrainingConfig.maxSteps). */
  steps?: number;
  seed?: number;
  sigma2Kind?: Sigma2Kind;
  /** Held-out points of the ledger, and samples drawn from each model. */
  ledgerPoints?: number;
  samplePoints?: number;
}

/** What a link to the experiment restores: the dataset, and the steps and seed as last typed correctly. */
export interface LSimpleSettings {
  dataset: DatasetId;
  steps: number;
  seed: number;
}

/** The experiment as the L_simple page opens it. */
export const LSIMPLE_DEFAULTS: LSimpleSettings = {dataset: "ring-8", steps: 1500, seed: 1};

/** The experiment runs on the built-in datasets only. */
type BuiltinConfig = TrainingConfig & {dataset: DatasetId};
const OBJECTIVES: readonly ObjectiveKind[] = ["simple", "vlb"];
const TITLE: Record<ObjectiveKind, string> = {simple: "L_simple (Eq. 14)", vlb: "true bound, weights λ_t (Eq. 12)"};

interface RunResult {
  summary: RunSummary;
  ledger: LedgerResult;
  samples: SamplesResult;
}


function formatValue(value: number | undefined, format: ComparisonRow["format"]): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  switch (format) {
    case "count":
      return String(value);
    case "percent":
      return fmtPercent(value, 1);
    case "ratio":
      return `${value.toFixed(2)}×`;
    case "energy":
      return value.toFixed(4);
    default:
      return fmt(value);
  }
}

/** The comparison as a table; the better value of a row with a direction is marked. `modes`: the mixture's. */
function comparisonTable(comparison: Comparison, modes: number | undefined): HTMLTableElement {
  const cell = (row: ComparisonRow, kind: ObjectiveKind) => {
    const value = kind === "simple" ? row.simple : row.vlb;
    const stdErr = kind === "simple" ? row.simpleStdErr : row.vlbStdErr;
    const text = formatValue(value, row.format) + (stdErr !== undefined && Number.isFinite(stdErr) ? ` ± ${fmt(stdErr, 2)}` : "");
    return html`<td style="text-align:right" data-value=${String(value ?? "")} data-objective=${kind}>${row.better === kind ? html`<strong>${text}</strong>` : text}</td>`;
  };
  const rows = comparison.rows.map((row) => html`<tr data-row=${row.key}><td>${richText(comparisonLabel(row.key, modes))}</td>${OBJECTIVES.map((kind) => cell(row, kind))}</tr>`);
  // The corner above the row labels is an empty data cell, not an empty column header.
  const head = html`<thead><tr><td></td>${["L_simple", "true bound (λ_t)"].map((text) => html`<th style="text-align:right">${text}</th>`)}</tr></thead>`;
  return html`<table class="compact" data-testid="lsimple-table">${head}<tbody>${rows}</tbody></table>`;
}

/** Builds the experiment; call `dispose()` on invalidation (it terminates both workers). */
export function LSimpleExperiment(options: LSimpleExperimentOptions = {}): HTMLElement & {dispose(): void; readonly value: LSimpleSettings} {
  const {ledgerPoints = 500, samplePoints = 500, sigma2Kind = "betaTilde"} = options;
  const font = "font: 13px var(--sans-serif)";

  const datasetInput = Inputs.select(DATASET_IDS, {label: "Dataset", value: options.dataset ?? LSIMPLE_DEFAULTS.dataset, format: datasetLabel});
  // Text fields, checked by the site's one validation (lib/validate.ts): what is typed is what is checked.
  const textField = (label: string, value: number, testid?: string) => {
    const form = Inputs.text({label, value: String(value), spellcheck: false, autocomplete: "off"});
    const input = form.querySelector("input")!;
    input.inputMode = "numeric";
    if (testid) input.dataset.testid = testid;
    return form;
  };
  const stepsForm = textField(FIELDS.lsimpleSteps.label, options.steps ?? LSIMPLE_DEFAULTS.steps, "lsimple-steps");
  const seedForm = textField(FIELDS.seed.label, options.seed ?? LSIMPLE_DEFAULTS.seed);
  const start = html`<button type=button data-action=lsimple-start>Train both</button>` as HTMLButtonElement;
  const stop = html`<button type=button data-action=lsimple-stop disabled>Stop</button>` as HTMLButtonElement;
  const controls = html`<div class=tp-controls style=${`display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:center;${font};margin:0.5rem 0`}>${[datasetInput, stepsForm, seedForm, start, stop]}</div>` as HTMLElement;
  const statusLine = (kind: ObjectiveKind): HTMLElement =>
    html`<div data-testid=${`lsimple-status-${kind}`} style=${`${font};font-family:var(--monospace);color:var(--theme-foreground-muted)`}>${`${TITLE[kind]}: not started`}</div>`;
  const statusLines: Record<ObjectiveKind, HTMLElement> = {simple: statusLine("simple"), vlb: statusLine("vlb")};
  const message: HTMLElement = html`<div role="alert" style=${`${font};color:#e45756`} hidden data-testid="lsimple-message"></div>`;
  const results: HTMLElement = html`<div data-testid="lsimple-results"></div>`;
  const root: HTMLElement & {dispose(): void; readonly value: LSimpleSettings} = html`<div class="lsimple-experiment training-panel" data-testid="lsimple-experiment" data-state="idle">${controls}${statusLines.simple}${statusLines.vlb}${message}${results}</div>`;

  let sessions: TrainingSession[] = [];
  let generation = 0;

  const setState = (state: string) => (root.dataset.state = state);
  const showMessage = (text: string | null) => {
    message.hidden = !text;
    message.textContent = text ?? "";
  };

  function disposeSessions() {
    for (const s of sessions) s.dispose();
    sessions = [];
  }

  function showStatus(kind: ObjectiveKind, progress: Progress, maxSteps: number, backend: string | null) {
    const loss = Number.isFinite(progress.lossEma) ? `loss ${progress.lossEma.toFixed(4)} (smoothed)` : "loss — (no steps yet)";
    const rate = progress.running ? ` · ${progress.stepsPerSecond.toFixed(0)} steps/s` : "";
    statusLines[kind].textContent = `${TITLE[kind]}: step ${progress.step}/${maxSteps} · ${loss}${rate}${backend ? ` · ${backend}` : ""}`;
    statusLines[kind].dataset.step = String(progress.step);
  }

  /** Trains one model to maxSteps, then computes its ledger and samples. */
  async function runOne(kind: ObjectiveKind, config: BuiltinConfig, mine: number): Promise<RunResult> {
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const trained = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    let session: TrainingSession | null = null;
    let lastStep = 0;
    let evaluating = false;
    session = await TrainingSession.create(config, {
      onProgress: (p) => {
        // The worker still reports progress while it computes the ledger and samples; the status
        // line then says what is being evaluated, and afterwards the result, not "step 40/40".
        if (evaluating) return;
        lastStep = p.step;
        showStatus(kind, p, config.maxSteps, session?.backend ?? null);
        if (!p.running && p.step >= config.maxSteps) finish();
      },
      onError: (errorKind, text) => fail(new Error(`${TITLE[kind]}: ${errorKind === "divergence" ? "training diverged" : errorKind} — ${text}`))
    });
    if (mine !== generation) {
      session.dispose();
      throw new Error("superseded");
    }
    sessions.push(session);
    session.run().catch(() => undefined); // a failure comes through onError

    await trained;
    evaluating = true;
    statusLines[kind].textContent = `${TITLE[kind]}: ${lastStep} steps done · computing the ledger (${ledgerPoints} held-out points, T + 1 terms) and ${samplePoints} samples…`;
    // Same seeds for both models: the ledgers see the same x_t noise, the samplers the same x_T.
    const ledger = await session.ledger({n: ledgerPoints, seed: ledgerNoiseSeed(config.dataset)});
    const samples = await session.sample({n: samplePoints, seed: SAMPLE_SEED});
    statusLines[kind].textContent = `${TITLE[kind]}: ${lastStep} steps, bound ${ledger.total.toFixed(3)} ± ${ledger.totalStdErr.toFixed(3)} nats per example, ${((ledger.ms + samples.ms) / 1000).toFixed(1)} s to evaluate`;
    return {summary: summariseRun(kind, lastStep, ledger, samples.quality, samplePoints), ledger, samples};
  }

  function render(config: BuiltinConfig, simple: RunResult, vlb: RunResult) {
    const comparison = compareRuns(simple.summary, vlb.summary);
    const width = Math.min(640, results.clientWidth || 640);
    const data = heldOutDataset(config.dataset, samplePoints, config.seed);
    const cloud = (run: RunResult, title: string) =>
      PointCloud(
        [
          {points: data, color: "var(--theme-foreground-faint)", opacity: 0.5, label: "data"},
          {points: run.samples.x0 as unknown as Float64Array, color: "var(--theme-foreground-focus)", opacity: 0.7, label: "samples"}
        ],
        {width: Math.min(300, Math.floor(width / 2) - 8), extent: 3, title, ariaLabel: `${title}: samples over the data`}
      );
    const chart = LogChart(
      [
        {label: "L_simple", x: Array.from(simple.ledger.epsError, (_, i) => i + 1), y: simple.ledger.epsError},
        {label: "true bound (λ_t)", x: Array.from(vlb.ledger.epsError, (_, i) => i + 1), y: vlb.ledger.epsError, dash: "5,3"}
      ],
      {width, height: 260, xLabel: "t", yLabel: "E‖ε − ε_θ(x_t, t)‖² on held-out data", legend: "bottom-left", ariaLabel: "noise-prediction error against t for both models"}
    );
    const lines = comparisonConclusion(simple.summary, vlb.summary, comparison).map((line) => html`<p>${line}</p>`);
    const conclusion = html`<div data-testid="lsimple-conclusion" data-bound=${comparison.bound} data-samples=${comparison.samples}>${lines}</div>`;
    results.replaceChildren(
      comparisonTable(comparison, simple.summary.modes),
      html`<div style="display:flex;flex-wrap:wrap;gap:12px;margin:0.8rem 0">${cloud(simple, "L_simple")}${cloud(vlb, "true bound (λ_t)")}</div>`,
      chart,
      conclusion
    );
  }

  const checkForm = () =>
    checkFields([
      ["steps", stepsForm.querySelector("input")!.value, FIELDS.lsimpleSteps],
      ["seed", seedForm.querySelector("input")!.value, FIELDS.seed]
    ] as const);
  // The last values that passed their checks (a field may hold something else while the reader types).
  let settings: LSimpleSettings = {dataset: datasetInput.value, steps: options.steps ?? LSIMPLE_DEFAULTS.steps, seed: options.seed ?? LSIMPLE_DEFAULTS.seed};
  controls.addEventListener("input", () => {
    const {values} = checkForm();
    settings = {dataset: datasetInput.value, steps: values.steps ?? settings.steps, seed: values.seed ?? settings.seed};
  });
  Object.defineProperty(root, "value", {get: () => settings});

  async function run() {
    const {values, errors} = checkForm();
    if (errors.length) return showMessage(errors.map((e) => e.error).join(" "));
    const {steps, seed} = values as {steps: number; seed: number};
    showMessage(null);
    disposeSessions();
    const mine = ++generation;
    const config: BuiltinConfig = {...DEFAULT_TRAINING, dataset: datasetInput.value, seed, maxSteps: steps, sigma2Kind};
    setState("training");
    results.replaceChildren();
    start.disabled = true;
    stop.disabled = false;
    for (const kind of OBJECTIVES) statusLines[kind].textContent = `${TITLE[kind]}: starting a training worker…`;
    try {
      const [simple, vlb] = await Promise.all(OBJECTIVES.map((kind) => runOne(kind, {...config, loss: kind}, mine)));
      if (mine !== generation) return;
      render(config, simple, vlb);
      setState("done");
    } catch (error) {
      if (mine !== generation) return;
      showMessage(`The experiment stopped: ${(error as Error).message}`);
      setState("error");
    } finally {
      if (mine === generation) {
        disposeSessions();
        start.disabled = false;
        stop.disabled = true;
      }
    }
  }

  start.onclick = () => void run();
  stop.onclick = () => {
    generation++;
    disposeSessions();
    for (const kind of OBJECTIVES) statusLines[kind].textContent = `${TITLE[kind]}: stopped`;
    start.disabled = false;
    stop.disabled = true;
    setState("idle");
  };
  root.dispose = () => {
    generation++;
    disposeSessions();
  };
  return root;
}
