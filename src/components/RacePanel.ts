// The fair race on the Why diffusion page: a GAN and a DDPM trained from scratch on the same data,
// the same seconds each on the same backend, over several seeds, and measured alike. The race runs
// in its own worker (model/race-session.ts) so the page stays responsive; this panel holds the
// controls (Observable Inputs), shows progress while it runs, and writes the outcome from the
// numbers as they come in (RaceViews.ts). dispose() ends the worker and every tensor in it.
import * as Inputs from "@observablehq/inputs";
import {html} from "htl";
import {DATASET_IDS, type DatasetId} from "../lib/datasets.js";
import {fmt} from "../lib/format.js";
import {modeCoverage} from "../lib/metrics.js";
import {summarizeRace, type RunResult} from "../lib/race.js";
import type {BackendName} from "../model/backends.js";
import {builtinRaceDataset, RACE_SAMPLES, type EpsReference, type RaceDataset, type RaceProgress, type RunWithSamples} from "../model/race.js";
import {RaceSession, type RaceEnd} from "../model/race-session.js";
import {PointCloud} from "./charts.js";
import {datasetLabel} from "./dataset-words.js";
import {MODEL_COLOR, MODEL_SHORT, raceSpreadChart, raceTable, raceVerdict, type VerdictContext} from "./RaceViews.js";
import {RingView} from "./WhyDiffusionViews.js";

/** The dataset a race runs on, with its name for the reader ("8 Gaussians (ring)", "your data (1,234 points)"). */
export type NamedRaceDataset = RaceDataset & {label: string};

/** A dataset the reader can race on: a built-in one, or one the page adds (the reader's drawing). */
export interface RaceDatasetChoice {
  key: string;
  label: string;
  /** Builds the dataset when the race starts (null: not available now, with `unavailable` saying why). */
  dataset: () => NamedRaceDataset | null;
  unavailable?: string;
}

export interface RacePanelOptions {
  /** Choices beyond the built-in datasets, listed first (e.g. the reader's drawn dataset). */
  extraDatasets?: RaceDatasetChoice[];
  /** The initial choice (a key); default the ring. */
  dataset?: string;
  /** Initial training seconds per model and seed, and number of seeds. */
  seconds?: number;
  seeds?: number;
  /** Samples drawn from each model (default RACE_SAMPLES). */
  samplePoints?: number;
  backend?: BackendName | "auto";
}

/** The limits of the two numeric controls. */
export const RACE_SECONDS = {min: 1, max: 10, step: 0.5};
export const RACE_SEEDS = {min: 1, max: 5, step: 1};

/** The reader's value of a numeric control, checked against its limits: the value, or the reason in words. */
export function checkRaceField(label: string, text: string, {min, max, step}: {min: number; max: number; step: number}): {value: number} | {error: string} {
  const trimmed = text.trim();
  const value = Number(trimmed);
  const what = step === 1 ? `a whole number from ${min} to ${max}` : `a number from ${min} to ${max} in steps of ${step}`;
  if (trimmed === "" || !Number.isFinite(value)) return {error: `${label}: “${trimmed}” is not a number; choose ${what}.`};
  if (value < min || value > max || Math.abs(value / step - Math.round(value / step)) > 1e-9) return {error: `${label}: ${trimmed} is not allowed; choose ${what}.`};
  return {value};
}

const SECONDS_LABEL = "Training seconds per model";
const SEEDS_LABEL = "Seeds";

function builtinChoices(): RaceDatasetChoice[] {
  return DATASET_IDS.map((id: DatasetId) => {
    const label = datasetLabel(id);
    return {key: id, label, dataset: () => ({...builtinRaceDataset(id), label})};
  });
}

/** What a link to the race restores: the data's key, the seconds and the number of seeds. */
export interface RaceSettings {
  dataset: string;
  seconds: number;
  seeds: number;
}

/** The race as the Why-diffusion page opens it. */
export const RACE_DEFAULTS: RaceSettings = {dataset: "ring-8", seconds: 4, seeds: 3};

/** The keys of the data a race can run on, with the page's extra choices first (a link names one). */
export const raceDatasetKeys = (extra: readonly RaceDatasetChoice[] = []): string[] => [...extra.map((c) => c.key), ...DATASET_IDS];

/** The race panel; call dispose() on invalidation. */
export function RacePanel(options: RacePanelOptions = {}): HTMLElement & {dispose(): void; readonly value: RaceSettings} {
  const samplePoints = options.samplePoints ?? RACE_SAMPLES;
  const choices = [...(options.extraDatasets ?? []), ...builtinChoices()];
  const datasetInput = Inputs.select(choices, {label: "Data", value: choices.find((c) => c.key === (options.dataset ?? RACE_DEFAULTS.dataset)) ?? choices[0], format: (c) => c.label});
  const secondsInput = Inputs.range([RACE_SECONDS.min, RACE_SECONDS.max], {label: SECONDS_LABEL, step: RACE_SECONDS.step, value: options.seconds ?? RACE_DEFAULTS.seconds});
  const seedsInput = Inputs.range([RACE_SEEDS.min, RACE_SEEDS.max], {label: SEEDS_LABEL, step: RACE_SEEDS.step, value: options.seeds ?? RACE_DEFAULTS.seeds});
  const startButton: HTMLButtonElement = html`<button type=button>Start the race</button>`;
  const stopButton: HTMLButtonElement = html`<button type=button disabled>Stop</button>`;
  const status: HTMLElement = html`<div class=tp-status role=status aria-live=polite data-testid=race-status data-state=idle data-races=0>Not started. Both models train here, in a worker of this page, with tfjs.</div>`;
  const progressBar: HTMLProgressElement = html`<progress max=1 value=0 aria-label="Race progress" hidden style="width:100%;max-width:420px">`;
  const message: HTMLElement = html`<div class=tp-message role=alert hidden>`;
  const figures: HTMLElement = html`<div class=race-figures style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start">`;
  const chart: HTMLElement = html`<div class=race-chart>`;
  const table: HTMLElement = html`<div class=race-table style="overflow-x:auto">`;
  const verdict: HTMLElement = html`<div class=race-verdict data-testid=race-verdict aria-live=polite style="font:14px var(--sans-serif)">`;
  const details: HTMLElement = html`<p class=tp-quality data-testid=race-details>`;
  const root = html`<div class="training-panel race-panel" data-testid=race-panel>
    <div class=tp-controls>${datasetInput}${secondsInput}${seedsInput}</div>
    <div class=tp-buttons>${startButton}${stopButton}</div>
    ${status}${progressBar}${message}${figures}${chart}${table}${verdict}${details}
  </div>` as HTMLElement & {dispose(): void; readonly value: RaceSettings};
  Object.defineProperty(root, "value", {get: (): RaceSettings => ({dataset: datasetInput.value.key, seconds: secondsInput.value, seeds: seedsInput.value})});

  let session: RaceSession | null = null;
  let runs: RunWithSamples[] = [];
  let reference: EpsReference | undefined;
  let current: {dataset: NamedRaceDataset; budgetMs: number; seeds: number[]; backend: string; started: number} | null = null;
  let races = 0;

  const controls = () => Array.from(root.querySelectorAll<HTMLInputElement | HTMLSelectElement>(".tp-controls input, .tp-controls select"));
  const numberField = (form: HTMLFormElement) => form.querySelector<HTMLInputElement>("input[type=number]")!;

  function setState(state: "idle" | "starting" | "running" | "stopping" | "done" | "stopped" | "error", text: string) {
    status.dataset.state = state;
    status.textContent = text;
    const busy = state === "starting" || state === "running" || state === "stopping";
    startButton.disabled = busy;
    stopButton.disabled = !busy || state === "stopping";
    for (const c of controls()) c.disabled = busy;
    progressBar.hidden = !busy;
  }

  function showError(text: string) {
    message.hidden = false;
    message.textContent = text;
  }

  function progressText(p: RaceProgress): string {
    const seed = `Seed ${p.seedIndex + 1} of ${p.seedCount}`;
    const budget = fmt(p.budgetMs / 1000, 3);
    if (p.phase === "reference") return "Drawing the reference: Algorithm 2 with the exact ε*…";
    if (p.phase === "sample") {
      return p.model === "gan"
        ? `${seed} · trained; the GAN draws ${samplePoints} samples…`
        : `${seed} · the DDPM draws ${samplePoints} samples: Algorithm 2, step ${p.sampled?.done ?? 0} of ${p.sampled?.total ?? "…"}`;
    }
    const one = (who: "gan" | "ddpm") => `${MODEL_SHORT[who]} ${(p.usedMs[who] / 1000).toFixed(1)} of ${budget} s (${p.steps[who]} steps)`;
    return `${seed} · training, turn by turn: ${one("gan")} · ${one("ddpm")}`;
  }

  function progressFraction(p: RaceProgress): number {
    if (p.phase === "reference") return 0.99;
    const trained = (Math.min(p.usedMs.gan, p.budgetMs) + Math.min(p.usedMs.ddpm, p.budgetMs)) / (2 * p.budgetMs);
    const within = p.phase === "train" ? 0.85 * trained : 0.85 + 0.15 * (p.sampled ? p.sampled.done / p.sampled.total : 0);
    return (p.seedIndex + within) / p.seedCount;
  }

  function context(): VerdictContext {
    const ddpmRun = runs.find((r) => r.model === "ddpm");
    return {backend: current?.backend ?? "?", samples: samplePoints, evaluations: {gan: 1, ddpm: ddpmRun?.evaluations ?? 1000}, reference};
  }

  /** Draws what has come in so far: the latest seed's samples, the spread chart, the table and the words. */
  function renderResults() {
    if (!current) return;
    const {dataset} = current;
    const width = Math.max(280, root.getBoundingClientRect().width || 640);
    // Side by side where they fit at 200 px or more, one above the other on a phone.
    const columns = reference ? 3 : 2;
    const plot = width < 520 ? Math.min(300, Math.floor(width)) : Math.max(200, Math.min(300, Math.floor((width - 16 * (columns - 1)) / columns)));
    const latest = (who: "gan" | "ddpm") => [...runs].reverse().find((r) => r.model === who);
    const panels: HTMLElement[] = [];
    const extent = dataExtent(dataset.heldOut);
    const draw = (samples: Float32Array, title: string, color: string, aria: string) => {
      const gm = dataset.mixture;
      if (gm) {
        const coverage = modeCoverage(samples, gm);
        return RingView({gm, width: plot, extent, samples, sampleColor: color, counts: coverage.counts, total: samples.length / 2, title, ariaLabel: aria});
      }
      return PointCloud(
        [
          {points: dataset.heldOut, color: "var(--theme-foreground-muted)", opacity: 0.35, radius: 1.4},
          {points: samples, color, opacity: 0.7, radius: 2}
        ],
        {width: plot, extent, title, ariaLabel: aria}
      );
    };
    for (const who of ["gan", "ddpm"] as const) {
      const run = latest(who);
      if (run) panels.push(draw(run.x0, `${MODEL_SHORT[who]}, seed ${run.seed}: ${run.steps} steps`, MODEL_COLOR[who], `${samplePoints} samples of the ${MODEL_SHORT[who]} trained with seed ${run.seed} for ${fmt(run.trainMs / 1000, 3)} s`));
    }
    if (reference) panels.push(draw(reference.x0, "ε* reference (no training)", "#54a24b", `${samplePoints} samples of Algorithm 2 with the exact ε*`));
    figures.replaceChildren(...panels);
    const numbers: RunResult[] = runs;
    const summary = summarizeRace(numbers, current.budgetMs);
    if (summary.seeds.length === 0) {
      chart.replaceChildren();
      table.replaceChildren();
      verdict.replaceChildren();
      return;
    }
    const ctx = context();
    chart.replaceChildren(raceSpreadChart(summary, numbers, {width: Math.min(width, 640), reference}));
    table.replaceChildren(raceTable(summary, numbers, ctx));
    verdict.replaceChildren(...raceVerdict(summary, ctx).map((text) => html`<p style="margin:0.4rem 0">${text}`));
  }

  function finish(end: RaceEnd) {
    races += 1;
    reference = end.reference;
    status.dataset.races = String(races);
    status.dataset.backend = end.backend;
    status.dataset.tensorsBefore = String(end.tensorsBefore);
    status.dataset.tensorsAfter = String(end.tensorsAfter);
    const seedsDone = summarizeRace(runs, current!.budgetMs).seeds.length;
    status.dataset.seedsDone = String(seedsDone);
    const seconds = ((performance.now() - current!.started) / 1000).toFixed(1);
    if (end.stopped) setState("stopped", `Stopped after ${seedsDone} of ${current!.seeds.length} seeds (${seconds} s). Press Start to run the race again.`);
    else setState("done", `Done: ${current!.seeds.length} seeds × 2 models × ${fmt(current!.budgetMs / 1000, 3)} s of training on ${end.backend}, ${seconds} s in all.`);
    details.textContent = `Backend ${end.backend}; before the first seed each model ran once off the clock (${Math.round(end.warmupMs)} ms) so neither pays the backend's set-up; tfjs tensors in the worker before the race ${end.tensorsBefore}, after it ${end.tensorsAfter}.`;
    renderResults();
  }

  async function start() {
    message.hidden = true;
    const seconds = checkRaceField(SECONDS_LABEL, numberField(secondsInput).value, RACE_SECONDS);
    const seedCount = checkRaceField(SEEDS_LABEL, numberField(seedsInput).value, RACE_SEEDS);
    const errors = [seconds, seedCount].flatMap((c) => ("error" in c ? [c.error] : []));
    if (errors.length) {
      showError(errors.join(" "));
      return;
    }
    const choice = datasetInput.value as RaceDatasetChoice;
    const dataset = choice.dataset();
    if (!dataset) {
      showError(`Data: ${choice.label} is not available now${choice.unavailable ? `: ${choice.unavailable}` : ""}.`);
      return;
    }
    const budgetMs = 1000 * (seconds as {value: number}).value;
    const seeds = Array.from({length: (seedCount as {value: number}).value}, (_, i) => i + 1);
    runs = [];
    reference = undefined;
    figures.replaceChildren();
    chart.replaceChildren();
    table.replaceChildren();
    verdict.replaceChildren();
    details.textContent = "";
    current = {dataset, budgetMs, seeds, backend: "…", started: performance.now()};
    progressBar.value = 0;
    setState("starting", `Starting the race worker and tfjs (${dataset.label}, ${seeds.length} seeds, ${fmt(budgetMs / 1000, 3)} s each)…`);
    session ??= new RaceSession();
    try {
      const end = await session.race(
        dataset,
        {budgetMs, seeds, samplePoints},
        {
          onReady: (backend, note) => {
            current!.backend = backend;
            status.dataset.backend = backend;
            if (note) showError(note);
            if (status.dataset.state === "starting") setState("running", `Warming up both models on ${backend} (off the clock)…`);
          },
          onProgress: (p) => {
            if (status.dataset.state === "stopping") return;
            setState("running", progressText(p));
            progressBar.value = progressFraction(p);
          },
          onResult: (run) => {
            runs.push(run);
            renderResults();
          }
        },
        options.backend ?? "auto"
      );
      finish(end);
    } catch (error) {
      setState("error", "The race stopped with an error.");
      showError(`The race stopped: ${error instanceof Error ? error.message : String(error)}`);
      session?.dispose();
      session = null;
    }
  }

  startButton.addEventListener("click", () => void start());
  stopButton.addEventListener("click", () => {
    setState("stopping", "Stopping at the next turn…");
    session?.stop();
  });

  root.dispose = () => {
    session?.dispose();
    session = null;
  };
  return root;
}

/** The half-width of a square view that holds the data: 2.2 for the standardised sets, more for wide ones. */
function dataExtent(points: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < points.length; i++) max = Math.max(max, Math.abs(points[i]));
  return Math.min(4, Math.max(2.2, Math.ceil(max * 1.05 * 10) / 10));
}
