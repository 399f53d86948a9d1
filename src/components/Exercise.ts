// A self-study question with a checked answer and a worked solution on request. Progress is kept
// in localStorage when the browser allows it; without it everything still works.
import {tex} from "./tex.js";

export interface ExerciseSpec {
  /** Stable id, unique on the site (the storage key). */
  id: string;
  /** The question: plain text with inline TeX between $…$. */
  question: string;
  /** A number (checked within `tolerance`, relative) or one of `choices`. */
  answer: number | string;
  tolerance?: number;
  choices?: string[];
  /** The worked answer: plain text with inline TeX between $…$, paragraphs separated by blank lines. */
  worked: string;
}

const KEY = "ddpm-live:exercises";

function load(): Record<string, boolean> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}");
  } catch {
    return {};
  }
}

function save(id: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({...load(), [id]: true}));
  } catch {
    // storage unavailable: progress is not remembered, nothing else changes
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
  const visual = document.createElement("span");
  visual.setAttribute("aria-hidden", "true");
  visual.append(richText(source));
  const reading = document.createElement("span");
  reading.className = "sr-only";
  reading.textContent = text;
  const both = document.createElement("span");
  both.append(reading, visual);
  return both;
}

/** Whether `given` answers the exercise (numbers within a relative tolerance). */
export function checkAnswer(spec: Pick<ExerciseSpec, "answer" | "tolerance">, given: string): boolean {
  if (typeof spec.answer === "number") {
    const value = Number(given.trim().replace(/−/g, "-"));
    if (given.trim() === "" || !Number.isFinite(value)) return false;
    const tolerance = spec.tolerance ?? 0.01;
    return Math.abs(value - spec.answer) <= tolerance * Math.max(Math.abs(spec.answer), 1e-12);
  }
  return given === spec.answer;
}

export function Exercise(spec: ExerciseSpec): HTMLElement {
  const root = document.createElement("div");
  root.className = "exercise";
  root.dataset.exercise = spec.id;
  const solved = () => {
    root.dataset.solved = "true";
  };
  if (load()[spec.id]) solved();
  const question = document.createElement("p");
  question.className = "exercise-question";
  question.append(richText(spec.question));
  const form = document.createElement("form");
  let input: HTMLInputElement | HTMLSelectElement;
  if (spec.choices) {
    input = document.createElement("select");
    input.append(new Option("choose…", ""));
    for (const choice of spec.choices) input.append(new Option(choice, choice));
  } else {
    input = document.createElement("input");
    input.type = "text";
    input.inputMode = "decimal";
    input.placeholder = "your answer";
  }
  input.setAttribute("aria-label", "answer");
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.textContent = "Check";
  const verdict = document.createElement("span");
  verdict.className = "exercise-verdict";
  verdict.setAttribute("aria-live", "polite");
  form.append(input, submit, verdict);
  form.onsubmit = (event) => {
    event.preventDefault();
    const ok = checkAnswer(spec, input.value);
    verdict.textContent = ok ? "✓ correct" : "✗ not yet";
    verdict.dataset.ok = String(ok);
    if (ok) {
      save(spec.id);
      solved();
    }
  };
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Worked answer";
  details.append(summary);
  for (const paragraph of spec.worked.split(/\n\s*\n/)) {
    const p = document.createElement("p");
    p.append(richText(paragraph.trim()));
    details.append(p);
  }
  root.append(question, form, details);
  return root;
}
