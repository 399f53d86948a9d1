// A self-study question with a checked answer and a worked solution on request. The check says
// why an answer is not accepted: a number it cannot read (and which forms it reads), a known slip
// with its hint, or whether the number is too high or too low. A solved exercise, with the answer
// that solved it, is kept in localStorage when the browser allows it; without it everything still
// works, it is only forgotten on reload. `ExerciseSet` shows a page's exercises under a live count.
import {html} from "htl";
import {tex} from "./tex.js";

/** A common wrong answer and what to check when it is given. */
export interface ExerciseSlip {
  /**
   * A number (matched within the exercise's tolerance, relative to this number), a test on the
   * number read, or — for a multiple-choice exercise — one of its choices.
   */
  match: number | string | ((value: number) => boolean);
  /** For a number: how near (relative) counts as this slip; the exercise's tolerance if left out. */
  tolerance?: number;
  /** What to check: plain text with inline TeX between $…$. */
  hint: string;
}

export interface ExerciseSpec {
  /** Stable id, unique on the site (the storage key). */
  id: string;
  /** The question: plain text with inline TeX between $…$. */
  question: string;
  /** A number (checked within `tolerance`, relative) or one of `choices`. */
  answer: number | string;
  tolerance?: number;
  choices?: string[];
  /** Known slips, checked in order after the answer and before the generic "not yet". */
  slips?: ExerciseSlip[];
  /** The worked answer: plain text with inline TeX between $…$, paragraphs separated by blank lines. */
  worked: string;
}

/** The outcome of checking an answer; `message` and `hint` are plain text with inline TeX. */
export type Feedback =
  | {status: "correct"}
  | {status: "unreadable"; message: string}
  | {status: "slip"; hint: string}
  | {status: "wrong"; message: string};

export const NUMBER_FORMATS = "0.5, −2, 1e-3, 7.45×10^-3, 1/180 or 86%";

const SUPERSCRIPTS: Record<string, string> = {
  "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+"
};
const DECIMAL = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?`;
const PLAIN = new RegExp(`^${DECIMAL}$`, "i");
const POWER = new RegExp(String.raw`^(${DECIMAL})(?:×|x|\*|·)10\^\{?\(?([+-]?\d+)\)?\}?$`, "i");
const FRACTION = new RegExp(`^(${DECIMAL})/(${DECIMAL})$`, "i");

/**
 * Reads a number as a reader types it: a decimal with a point (0.5, .5, −2 with a typographic
 * minus), scientific notation (1e-3, 7.45×10^-3, 7.45*10^(-3), 7.45·10⁻³), a fraction (1/180) or a
 * percentage (86%). Spaces are ignored (7 879). Anything else is an error that says what was
 * given and which forms are read.
 */
export function parseNumber(text: string): {value: number} | {error: string} {
  const shown = text.trim();
  if (shown === "") return {error: `type a number first, e.g. ${NUMBER_FORMATS}`};
  let s = shown.replace(/[\s\u00a0\u2009\u202f]/g, "").replace(/[−–]/g, "-");
  s = s.replace(/10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)/g, (_, sup: string) => `10^${[...sup].map((c) => SUPERSCRIPTS[c]).join("")}`);
  let scale = 1;
  if (s.endsWith("%")) {
    scale = 0.01;
    s = s.slice(0, -1);
  }
  let value: number | undefined;
  if (PLAIN.test(s)) value = Number(s);
  else if (POWER.test(s)) {
    const [, mantissa, exponent] = POWER.exec(s)!;
    value = Number(mantissa) * 10 ** Number(exponent);
  } else if (FRACTION.test(s)) {
    const [, numerator, denominator] = FRACTION.exec(s)!;
    if (Number(denominator) === 0) return {error: `“${shown}” divides by zero`};
    value = Number(numerator) / Number(denominator);
  }
  if (value === undefined || !Number.isFinite(value)) {
    const comma = s.includes(",") ? "; use a point for decimals (0.5, not 0,5) and no thousands separators" : "";
    return {error: `could not read a number from “${shown}”${comma}. Write it like ${NUMBER_FORMATS}`};
  }
  return {value: value * scale};
}

/** Whether `value` lies within `tolerance` (relative) of `target`. */
function near(value: number, target: number, tolerance: number): boolean {
  return Math.abs(value - target) <= tolerance * Math.max(Math.abs(target), 1e-12);
}

/** Checks an answer and says why it is not accepted: unreadable, a known slip, or too high / too low. */
export function checkFeedback(spec: Pick<ExerciseSpec, "answer" | "tolerance" | "slips">, given: string): Feedback {
  const slips = spec.slips ?? [];
  if (typeof spec.answer === "number") {
    const read = parseNumber(given);
    if ("error" in read) return {status: "unreadable", message: read.error};
    const tolerance = spec.tolerance ?? 0.01;
    if (near(read.value, spec.answer, tolerance)) return {status: "correct"};
    for (const slip of slips) {
      const hit =
        typeof slip.match === "number" ? near(read.value, slip.match, slip.tolerance ?? tolerance) : typeof slip.match === "function" ? slip.match(read.value) : false;
      if (hit) return {status: "slip", hint: slip.hint};
    }
    return {status: "wrong", message: read.value > spec.answer ? "too high" : "too low"};
  }
  if (given === "") return {status: "unreadable", message: "choose an answer first"};
  if (given === spec.answer) return {status: "correct"};
  const slip = slips.find((s) => s.match === given);
  if (slip) return {status: "slip", hint: slip.hint};
  return {status: "wrong", message: "the worked answer below explains it"};
}

/** Whether `given` answers the exercise (numbers within a relative tolerance). */
export function checkAnswer(spec: Pick<ExerciseSpec, "answer" | "tolerance">, given: string): boolean {
  return checkFeedback(spec, given).status === "correct";
}

const KEY = "ddpm-live:exercises";

/** Solved exercises: id → the answer that solved it ("" for progress saved before answers were kept). */
function load(): Record<string, string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    if (!stored || typeof stored !== "object" || Array.isArray(stored)) return {};
    const solved: Record<string, string> = {};
    for (const [id, value] of Object.entries(stored)) {
      if (value === true) solved[id] = "";
      else if (value && typeof value === "object" && typeof (value as {answer?: unknown}).answer === "string") solved[id] = (value as {answer: string}).answer;
    }
    return solved;
  } catch {
    return {};
  }
}

/** Remembers a solved exercise; false where the browser does not let the page store anything. */
function save(id: string, answer: string): boolean {
  try {
    const stored: Record<string, {answer: string}> = {};
    for (const [key, value] of Object.entries(load())) stored[key] = {answer: value};
    stored[id] = {answer};
    localStorage.setItem(KEY, JSON.stringify(stored));
    return true;
  } catch {
    return false; // storage unavailable: progress is not remembered, nothing else changes
  }
}

function storageWorks(): boolean {
  try {
    const probe = `${KEY}:probe`;
    localStorage.setItem(probe, "1");
    localStorage.removeItem(probe);
    return true;
  } catch {
    return false;
  }
}

/** Renders text with inline $…$ TeX into a node. */
export function richText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split(/(\$[^$]+\$)/g).forEach((part) => {
    if (part.startsWith("$") && part.endsWith("$") && part.length > 2) fragment.append(tex(part.slice(1, -1)));
    else fragment.append(part);
  });
  return fragment;
}

/**
 * Inline TeX (as `richText` takes it) shown to the eye, with `text`, plain Unicode, for screen
 * readers: for a table header that is only a formula, whose KaTeX MathML assistive technology
 * and accessibility checkers do not reliably read as the header's text.
 */
export function richTextWithReading(source: string, text: string): HTMLElement {
  return html`<span><span class="sr-only">${text}</span><span aria-hidden="true">${richText(source)}</span></span>`;
}

/** Fired (bubbling) on an exercise's root when it becomes solved. */
export const SOLVED_EVENT = "exercise-solved";

export function Exercise(spec: ExerciseSpec): HTMLElement {
  const solvedLabel: HTMLElement = html`<span class="exercise-solved" hidden>✓ solved</span>`;
  const input: HTMLInputElement | HTMLSelectElement = spec.choices
    ? html`<select aria-label="answer"><option value="">choose…</option>${spec.choices.map((choice) => html`<option value=${choice}>${choice}</option>`)}</select>`
    : html`<input type="text" inputmode="decimal" placeholder="your answer" aria-label="answer">`;
  const verdict: HTMLElement = html`<span class="exercise-verdict" aria-live="polite"></span>`;
  const form: HTMLFormElement = html`<form>${input}<button type="submit">Check</button>${verdict}</form>`;
  const worked = spec.worked.split(/\n\s*\n/).map((paragraph) => html`<p>${richText(paragraph.trim())}</p>`);
  const details = html`<details><summary>Worked answer</summary>${worked}</details>`;
  const root: HTMLElement = html`<div class="exercise" data-exercise=${spec.id}><p class="exercise-question">${solvedLabel}${richText(spec.question)}</p>${form}${details}</div>`;
  const markSolved = () => {
    root.dataset.solved = "true";
    solvedLabel.hidden = false;
  };
  const stored = load()[spec.id];
  if (stored !== undefined) {
    markSolved();
    input.value = stored; // the answer that solved it (a select keeps "choose…" if it is not a choice)
  }
  form.onsubmit = (event) => {
    event.preventDefault();
    const feedback = checkFeedback(spec, input.value);
    verdict.dataset.ok = String(feedback.status === "correct");
    verdict.dataset.status = feedback.status;
    verdict.replaceChildren();
    if (feedback.status === "correct") verdict.append("✓ correct");
    else if (feedback.status === "unreadable") verdict.append(`✗ ${feedback.message}`);
    else if (feedback.status === "slip") verdict.append("✗ not yet — ", richText(feedback.hint));
    else verdict.append(`✗ not yet — ${feedback.message}`);
    if (feedback.status === "correct") {
      save(spec.id, input.value.trim());
      const first = root.dataset.solved !== "true";
      markSolved();
      if (first) root.dispatchEvent(new CustomEvent(SOLVED_EVENT, {bubbles: true}));
    }
  };
  return root;
}

/** The text of a page's progress line. */
export function progressText(solved: number, total: number, remembered: boolean): string {
  const count = `${solved} of ${total} exercise${total === 1 ? "" : "s"} solved on this page`;
  return remembered ? count : `${count} (this browser does not let the page remember it after a reload)`;
}

/** A page's exercises under one line that counts the solved ones, updated as they are solved. */
export function ExerciseSet(specs: ExerciseSpec[]): HTMLElement {
  const progress: HTMLElement = html`<p class="exercise-progress"></p>`;
  const exercises = specs.map(Exercise);
  const root: HTMLElement = html`<div class="exercise-set">${progress}${exercises}</div>`;
  const remembered = storageWorks();
  const update = () => {
    const solved = exercises.filter((e) => e.dataset.solved === "true").length;
    progress.textContent = progressText(solved, exercises.length, remembered);
    progress.dataset.solved = String(solved);
  };
  root.addEventListener(SOLVED_EVENT, update);
  update();
  return root;
}
