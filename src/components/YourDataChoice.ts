// The reader's own dataset as the Training page meets it: read from the browser's storage (where
// the Forward page's drawer keeps it), watched for changes made in another tab, and described in
// a line under the panel's controls — what is kept, where to draw some when nothing is, and,
// while the panel trains on it, how it is split and what cannot be measured on drawn data.
import {html} from "htl";
import {STORAGE_KEY} from "../lib/custom-data-keep.js";
import {MIN_POINTS} from "../lib/custom-data.js";
import {YOUR_DATA_SPLIT_SEED} from "../lib/seeds.js";
import {yourRaceDataset} from "../model/race.js";
import type {RaceDatasetChoice} from "./RacePanel.js";
import {NO_YOUR_DATA_LABEL, trainingDatasetLabel} from "./dataset-words.js";
import {readKeptData, yourDataSplit, type KeptData, type TrainingDataset, type YourTrainingData, YOUR_DATA} from "../lib/your-data-training.js";

/** The kept dataset now, updated when another tab changes it. */
export interface KeptDataWatch {
  current(): KeptData;
  dispose(): void;
}

/** The page's localStorage for reading, or null where the browser blocks it. */
function readableStorage(): Storage | null {
  try {
    const storage = globalThis.localStorage;
    storage.getItem(STORAGE_KEY);
    return storage;
  } catch {
    return null;
  }
}

const BLOCKED: KeptData = {ok: false, empty: true, reason: "This browser does not let the page read stored data, so points drawn on the Forward page cannot reach this page."};

/** Reads what `storage` keeps (blocked storage reads as nothing usable, and says why). */
function readFrom(storage: Storage | null): KeptData {
  if (!storage) return BLOCKED;
  try {
    return readKeptData(storage.getItem(STORAGE_KEY));
  } catch {
    return BLOCKED;
  }
}

/** Reads the kept dataset and calls `onChange` whenever another tab changes or clears it. */
export function watchKeptData(onChange: (kept: KeptData) => void, storage: Storage | null = readableStorage()): KeptDataWatch {
  const read = () => readFrom(storage);
  let kept = read();
  const listener = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    const next = read();
    const before = kept.ok ? kept.data.fingerprint : null;
    const after = next.ok ? next.data.fingerprint : null;
    kept = next;
    if (before !== after || !next.ok) onChange(kept);
  };
  globalThis.addEventListener?.("storage", listener);
  return {
    current: () => kept,
    dispose: () => globalThis.removeEventListener?.("storage", listener)
  };
}

const count = (n: number) => n.toLocaleString("en");
// Underlined: a link inside a sentence must not rely on its colour alone.
const forwardLink = () => html`<a href="./forward" style="text-decoration: underline">Forward page</a>`;

/**
 * The line under the controls: on your data, its split and what is not measured; otherwise what is
 * kept and how to choose it, or where to draw some.
 */
export function yourDataNote(kept: KeptData, dataset: TrainingDataset, trainedOn?: YourTrainingData): HTMLElement {
  if (dataset === YOUR_DATA && trainedOn) {
    const split = yourDataSplit(trainedOn.points);
    const stale = !kept.ok || kept.data.fingerprint !== trainedOn.fingerprint;
    const staleText = stale
      ? html` <strong>These are not the points kept in this browser now (${kept.ok ? `${count(kept.data.points.length / 2)} points` : "none usable"}): they changed in another tab. Start from scratch to train on the kept points.</strong>`
      : "";
    return html`<div class=tp-your-data data-testid=your-data-note data-state=${stale ? "stale" : "training"}>Training on your data: ${count(trainedOn.points.length / 2)} points (${trainedOn.source}), ${count(split.train.length / 2)} to train on and ${count(split.heldOut.length / 2)} held out to measure against (split with seed ${YOUR_DATA_SPLIT_SEED}, as on the ${forwardLink()}). No reference model exists for your data: the model starts from scratch. Modes and the data's entropy are not known for drawn data, so they are not shown.${staleText}</div>` as HTMLElement;
  }
  if (kept.ok) {
    return html`<div class=tp-your-data data-testid=your-data-note data-state=kept>Your data (${count(kept.data.points.length / 2)} points, ${kept.data.source}) are kept in this browser: choose “Your data” in the Dataset menu to train on them.</div>` as HTMLElement;
  }
  const where = html`Draw or paste at least ${MIN_POINTS} points under “Your data” on the ${forwardLink()}: they then appear in the Dataset menu.`;
  const state = kept.empty ? "none" : "unusable";
  return html`<div class=tp-your-data data-testid=your-data-note data-state=${state}>${kept.reason} ${where}</div>` as HTMLElement;
}

/**
 * The race's choice of your data (RacePanel's extraDatasets): labelled with what is kept when the
 * page opens, and read again when a race starts, so it races on the points kept then, or says why not.
 */
export function yourDataRaceChoice(storage: Storage | null = readableStorage()): RaceDatasetChoice {
  const read = () => readFrom(storage);
  const first = read();
  const why = (reason: string) => `${reason} Draw or paste at least ${MIN_POINTS} points under “Your data” on the Forward page`;
  const choice: RaceDatasetChoice = {
    key: YOUR_DATA,
    label: first.ok ? trainingDatasetLabel(YOUR_DATA, first.data) : NO_YOUR_DATA_LABEL,
    dataset: () => {
      const kept = read();
      // Its name in the race's sentences ("Race done on your data (120 points)…").
      if (kept.ok) return {...yourRaceDataset(kept.data), label: `your data (${count(kept.data.points.length / 2)} points)`};
      choice.unavailable = why(kept.reason);
      return null;
    }
  };
  if (!first.ok) choice.unavailable = why(first.reason);
  return choice;
}
