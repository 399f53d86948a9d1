// The reader's own dataset: a drawing pad (mouse, pen or touch: DataPad.ts), pasted text, a
// dropped or chosen file, or a built-in dataset to edit; undo and clear; kept in the browser's
// storage and shareable as a link. The checking, standardising and encoding are in
// src/lib/custom-data.ts; this module holds the dataset and its controls around them.
//
// A custom input for Framework's view(): `.value` is the CustomDataset (standardised points, the
// transform, the raw points) or null while there are fewer than MIN_POINTS, and the element fires
// `input` when the value changes (at the end of a stroke, not during it). `.fromLink` is true when
// the page was opened with a share link whose data were loaded.
import * as d3 from "d3";
import * as Inputs from "@observablehq/inputs";
import {html} from "htl";
import {describeTransform} from "./your-data-words.js";
import {
  MAX_POINTS,
  MIN_POINTS,
  decodeTextFile,
  parsePointsText,
  prepareDataset,
  problemsText,
  type CustomDataset,
  type DataProblem
} from "../lib/custom-data.js";
import {
  STORAGE_KEY,
  decodeLink,
  decodeStored,
  encodeLink,
  encodeStored,
  formatPointsCsv,
  hashWithoutPayload,
  linkPayload,
  LINK_PARAM
} from "../lib/custom-data-keep.js";
import {
  formatNumber
} from "../lib/format.js";
import {DATASET_IDS, sampleDataset, type DatasetId} from "../lib/datasets.js";
import {datasetLabel} from "./dataset-words.js";
import {createRng} from "../lib/random.js";
import {createDataPad, DEFAULT_VIEW, fitView, type Stroke, type View} from "./DataPad.js";

export interface DataDrawerOptions {
  /** Where the dataset is kept: the page's localStorage (default) or nothing (null). */
  storage?: Storage | null;
  /** Points of a built-in dataset loaded by "Start from". */
  startPoints?: number;
}

export type DataDrawerElement = HTMLElement & {value: CustomDataset | null; fromLink: boolean};

/** One state of the dataset, as kept on the undo stack. */
interface Drawing {
  raw: Float64Array;
  source: string;
  view: View;
}

const UNDO_DEPTH = 40;
const count = (n: number) => n.toLocaleString("en");

/** The page's localStorage if it can be written, else null (blocked by the browser's settings). */
function openStorage(): Storage | null {
  try {
    const storage = globalThis.localStorage;
    const probe = `${STORAGE_KEY}:probe`;
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

const STYLE = `
.data-drawer { display: grid; grid-template-columns: minmax(0, 400px) minmax(0, 1fr); gap: 0.5rem 1.5rem; align-items: start; margin: 1rem 0; }
@media (max-width: 720px) { .data-drawer { grid-template-columns: minmax(0, 1fr); } }
.data-drawer-pad { position: relative; width: 100%; max-width: 400px; aspect-ratio: 1; margin: 0; touch-action: none; cursor: crosshair; user-select: none; -webkit-user-select: none; border: 1px solid var(--theme-foreground-faintest); border-radius: 4px; }
.data-drawer-pad canvas, .data-drawer-pad svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.data-drawer-pad svg { pointer-events: none; overflow: visible; }
.data-drawer-pad.dropping { outline: 2px dashed var(--theme-foreground-focus); }
.data-drawer-controls form { margin: 0.25rem 0; }
.data-drawer-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.4rem 0; }
.data-drawer-row > form { margin: 0; }
.data-drawer-message { min-height: 1.4em; margin: 0.4rem 0; }
.data-drawer-message[data-kind="error"] { color: color-mix(in srgb, red 75%, var(--theme-foreground)); }
.data-drawer-summary { margin: 0.4rem 0; font-size: 0.9rem; }
.data-drawer-share input { width: 100%; font: inherit; font-size: 0.8rem; }
.data-drawer details { margin: 0.4rem 0; }
`;

/**
 * The dataset editor (see the file's comment). Restores the dataset kept in the browser, then
 * reads a share link (#data=…) from the page's address if there is one.
 */
export function DataDrawer({storage = openStorage(), startPoints = 1000}: DataDrawerOptions = {}): DataDrawerElement {
  const rng = createRng(20200619);
  let current: Drawing = {raw: new Float64Array(0), source: "drawn", view: {...DEFAULT_VIEW}};
  const undoStack: Drawing[] = [];
  let prepared: {for: Drawing; value: CustomDataset | null} | null = null;
  let storageNote = storage ? "Kept in this browser." : "Not kept after a reload: this browser does not let the page store data.";

  // ---- the pad
  const pad = createDataPad({
    brush: () => ({mode: mode.value as "draw" | "erase", radius: size.value, density: density.value}),
    rng,
    start: () => current.raw,
    drawing: (points) => render(points),
    end: endStroke
  });

  // ---- the controls (their own input events stay inside; the drawer fires its own)
  const mode = Inputs.radio(["draw", "erase"], {label: "Brush", value: "draw", format: (m) => (m === "draw" ? "Draw" : "Erase")});
  const size = Inputs.range([3, 60], {label: "Brush radius (px)", value: 14, step: 1});
  const density = Inputs.range([1, 40], {label: "Points per dab", value: 6, step: 1});
  const edit = Inputs.button([
    ["Undo", () => undo()],
    ["Clear", () => clear()]
  ]);
  const startFrom = Inputs.select(DATASET_IDS, {label: "Start from", value: "two-moons", format: datasetLabel});
  const load = Inputs.button("Load it", {reduce: () => loadBuiltIn(startFrom.value)});
  const paste = Inputs.textarea({label: "Paste x,y pairs", placeholder: "x,y\n0.5,-1.2\n0.7,-1.1\n…", rows: 4, submit: "Use pasted points", monospace: true, spellcheck: false});
  const file = Inputs.file({label: "Or open a file", accept: ".csv,.txt,.tsv,text/csv,text/plain"});
  const shareButton = Inputs.button("Make a share link", {reduce: () => share()});
  const download = html`<a href="#" download="your-points.csv">Download as CSV</a>`;
  const shareBox = html`<input type="text" readonly aria-label="Share link" hidden>`;
  const message = html`<p class="data-drawer-message" role="status" aria-live="polite"></p>`;
  const summary = html`<p class="data-drawer-summary" aria-live="polite"></p>`;
  const controls = html`<div class="data-drawer-controls">
    ${mode}${size}${density}
    <div class="data-drawer-row">${edit}</div>
    <div class="data-drawer-row">${startFrom}${load}</div>
    ${paste}
    ${file}
    <div class="data-drawer-row data-drawer-share">${shareButton}${download}</div>
    ${shareBox}
  </div>`;
  controls.addEventListener("input", (event: Event) => event.stopPropagation());
  const root = html`<div class="data-drawer-wrap">
    <style>${STYLE}</style>
    <div class="data-drawer" role="group" aria-label="Your own dataset">
      <div>${pad.element}</div>
      <div>${controls}</div>
    </div>
    ${message}${summary}
  </div>` as DataDrawerElement;
  const undoButton = edit.querySelectorAll("button")[0] as HTMLButtonElement;

  function say(text: string, kind: "info" | "error" = "info"): void {
    message.textContent = text;
    message.dataset.kind = kind;
  }

  function valueOf(drawing: Drawing): CustomDataset | null {
    if (prepared?.for !== drawing) {
      const checked = drawing.raw.length / 2 >= MIN_POINTS ? prepareDataset(drawing.raw, drawing.source) : null;
      prepared = {for: drawing, value: checked?.ok ? checked.value : null};
    }
    return prepared.value;
  }

  // ---- drawing
  function render(points: ArrayLike<number> = current.raw): void {
    pad.show(points, current.view, points === current.raw ? (valueOf(current)?.transform ?? null) : null);
    undoButton.disabled = undoStack.length === 0;
  }

  function describe(): void {
    const n = current.raw.length / 2;
    const value = valueOf(current);
    summary.dataset.points = String(n);
    let text: string;
    if (n === 0) text = `No points yet: draw on the pad, paste x,y pairs, open a CSV file, or start from a built-in dataset. A dataset needs at least ${MIN_POINTS} points, at most ${count(MAX_POINTS)}.`;
    else if (!value) text = `${count(n)} ${n === 1 ? "point" : "points"} (${current.source}): ${MIN_POINTS - n > 0 ? `draw at least ${MIN_POINTS - n} more; a dataset needs ${MIN_POINTS}.` : "they cannot be used as they are."}`;
    else {
      text =
        `Your data: ${count(n)} points (${current.source}). The model sees them ${describeTransform(value.transform)} ` +
        `(the cross and the dashed circle on the pad: the mean and one unit of the new scale); ` +
        `variance of x ${formatNumber(value.variances[0], 2)}, of y ${formatNumber(value.variances[1], 2)}.`;
    }
    summary.textContent = `${text} ${storageNote}`;
  }

  function save(): void {
    if (!storage) return;
    try {
      if (current.raw.length === 0) storage.removeItem(STORAGE_KEY);
      else storage.setItem(STORAGE_KEY, encodeStored(current.raw, current.source));
      storageNote = "Kept in this browser.";
    } catch {
      storageNote = "Not kept after a reload: the browser's storage for this page is full or blocked.";
    }
  }

  /** Makes `next` the dataset (undoably unless `undoable` is false), keeps it, redraws, and fires `input` if the value changed. */
  function replace(next: Drawing, undoable = true): void {
    const before = valueOf(current);
    if (undoable) {
      undoStack.push(current);
      if (undoStack.length > UNDO_DEPTH) undoStack.shift();
    }
    current = next;
    save();
    render();
    describe();
    if (valueOf(current) !== before) root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function refused(what: string, problems: DataProblem[]): void {
    const n = current.raw.length / 2;
    say(`${what} ${problemsText(problems)} Nothing was changed${n ? `: your ${count(n)} points are kept` : ""}.`, "error");
  }

  /** A finished stroke on the pad becomes the dataset (undoably). */
  function endStroke(done: Stroke): void {
    if (mode.value === "erase" && done.erased === 0) {
      render();
      return;
    }
    const source = current.raw.length === 0 || current.source === "drawn" ? "drawn" : current.source.endsWith(", edited") ? current.source : `${current.source}, edited`;
    replace({raw: Float64Array.from(done.work), source, view: current.view});
    if (done.full) say(`The limit of ${count(MAX_POINTS)} points is reached; erase some to draw more.`, "error");
    else if (mode.value === "erase") say(`Erased ${count(done.erased)} ${done.erased === 1 ? "point" : "points"}.`);
    else say("");
  }

  // ---- the other ways in
  function undo(): void {
    const previous = undoStack.pop();
    if (!previous) return;
    replace(previous, false);
    say(`Undone: ${count(previous.raw.length / 2)} points.`);
  }

  function clear(): void {
    if (current.raw.length === 0) return;
    replace({raw: new Float64Array(0), source: "drawn", view: {...DEFAULT_VIEW}});
    say("Cleared. Undo brings the points back.");
  }

  function loadBuiltIn(id: DatasetId): void {
    replace({raw: sampleDataset(id, startPoints, 1), source: datasetLabel(id), view: {...DEFAULT_VIEW}});
    say(`Loaded ${count(startPoints)} points of ${datasetLabel(id)}: draw to add points, or erase some.`);
  }

  function useText(text: string, source: string, what: string): void {
    const parsed = parsePointsText(text);
    if (!parsed.ok) {
      refused(`${what} could not be used.`, parsed.problems);
      return;
    }
    const {raw, header} = parsed.value;
    replace({raw, source, view: fitView(raw)});
    say(`Loaded ${count(raw.length / 2)} points from ${source === "pasted" ? "the pasted text" : source}${header ? ` (the first line, "${header}", read as column names)` : ""}.`);
  }

  async function useFile(chosen: File): Promise<void> {
    const name = chosen.name || "the file";
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await chosen.arrayBuffer());
    } catch {
      refused(`${name} could not be read.`, []);
      return;
    }
    const text = decodeTextFile(bytes, {name, type: chosen.type});
    if (!text.ok) refused(`${name} could not be used.`, text.problems);
    else useText(text.value, name, name);
  }

  paste.addEventListener("input", () => useText(paste.value, "pasted", "The pasted text"));
  file.addEventListener("input", () => {
    const chosen = file.value;
    const element = file.querySelector("input");
    if (chosen) void useFile(chosen).finally(() => element && (element.value = ""));
  });

  d3.select(root)
    .on("dragover", (event: DragEvent) => {
      event.preventDefault();
      pad.element.classList.add("dropping");
    })
    .on("dragleave", () => pad.element.classList.remove("dropping"))
    .on("drop", (event: DragEvent) => {
      event.preventDefault();
      pad.element.classList.remove("dropping");
      const dropped = event.dataTransfer?.files?.[0];
      if (dropped) void useFile(dropped);
      else {
        const text = event.dataTransfer?.getData("text/plain");
        if (text) useText(text, "pasted", "The dropped text");
      }
    });

  function share(): void {
    const encoded = encodeLink(current.raw);
    if (!encoded.ok) {
      say(`No share link: ${problemsText(encoded.problems)}`, "error");
      shareBox.hidden = true;
      return;
    }
    const {origin, pathname, search} = globalThis.location;
    shareBox.value = `${origin}${pathname}${search}#${LINK_PARAM}=${encoded.value}`;
    shareBox.hidden = false;
    shareBox.select();
    const copied = navigator.clipboard?.writeText(shareBox.value);
    if (copied) {
      copied.then(
        () => say(`A link to your ${count(current.raw.length / 2)} points is in the box below and on the clipboard.`),
        () => say(`A link to your ${count(current.raw.length / 2)} points is in the box below: copy it from there.`)
      );
    } else say(`A link to your ${count(current.raw.length / 2)} points is in the box below: copy it from there.`);
  }

  let csvUrl = "";
  download.addEventListener("click", (event: MouseEvent) => {
    if (current.raw.length === 0) {
      event.preventDefault();
      say("There are no points to download yet.", "error");
      return;
    }
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(new Blob([formatPointsCsv(current.raw)], {type: "text/csv"}));
    download.href = csvUrl;
  });

  // ---- start: what the browser kept, then a share link if the address carries one
  const kept = storage ? storage.getItem(STORAGE_KEY) : null;
  if (kept !== null) {
    const decoded = decodeStored(kept);
    if (decoded.ok) current = {raw: decoded.value.raw, source: decoded.value.source, view: fitView(decoded.value.raw)};
    else say(`The dataset kept in this browser could not be read: ${problemsText(decoded.problems)} Starting empty.`, "error");
  }
  root.fromLink = false;
  const payload = linkPayload(globalThis.location?.hash ?? "");
  if (payload !== null) {
    const decoded = decodeLink(payload);
    if (decoded.ok) {
      const hadPoints = current.raw.length > 0;
      undoStack.push(current);
      current = {raw: decoded.value, source: "a shared link", view: fitView(decoded.value)};
      save();
      root.fromLink = true;
      say(`Loaded ${count(decoded.value.length / 2)} points from the shared link.${hadPoints ? " Undo brings back the points you had." : ""}`);
    } else {
      const n = current.raw.length / 2;
      say(`The shared link's data could not be used: ${problemsText(decoded.problems)} Nothing was changed${n ? `: your ${count(n)} points are kept` : ""}.`, "error");
    }
    // Leave the address as it was without the data, so a reload keeps later edits.
    const {pathname, search, hash} = globalThis.location;
    globalThis.history?.replaceState(globalThis.history.state, "", `${pathname}${search}${hashWithoutPayload(hash)}`);
  }

  Object.defineProperty(root, "value", {get: () => valueOf(current), set: () => {}});
  render();
  describe();
  // Colours resolve once the pad is in the document.
  requestAnimationFrame(() => render());
  return root;
}
