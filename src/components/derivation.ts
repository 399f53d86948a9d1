// Derivations written in Markdown as a `<div class="derivation">` of numbered display equations,
// each followed by a `<p class="why">` reason, become steppable: a reader studying alone can
// reveal one step at a time; the whole derivation is one click away (and shown by default).
// The choice is remembered: after "Step through", every derivation of the next page opens at its
// first step (its equation and reason), until "Show all" is chosen again. A derivation's step is
// also in the URL (`?d2=3`: the page's second steppable derivation shows its first three steps),
// so a link opens it where the presenter left it; the URL wins over the remembered choice.

import {html} from "htl";
import {intParam, readParam, urlProblem, writeParam} from "./url-state.js";

const STORAGE_KEY = "ddpm-live:derivation-mode";

/** Groups a derivation's children into steps: an equation plus the reasons that follow it. */
export function derivationSteps(block: Element): Element[][] {
  const steps: Element[][] = [];
  for (const child of Array.from(block.children)) {
    if (child.matches(".derivation-controls, .url-problem")) continue;
    if (child.matches("section, eqn, .katex-display") || steps.length === 0) steps.push([child]);
    else steps[steps.length - 1].push(child);
  }
  return steps;
}

function readMode(): "all" | "step" {
  try {
    return localStorage.getItem(STORAGE_KEY) === "step" ? "step" : "all";
  } catch {
    return "all"; // storage may be blocked; the default still works
  }
}

function writeMode(mode: "all" | "step"): void {
  try {
    localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // ignore: the choice just isn't remembered
  }
}

/** A derivation's stepper, driven from outside (presentation mode's fragments). */
export interface DerivationStepper {
  /** The number of steps. */
  readonly count: number;
  /** How many steps are shown now (the first `shown` steps). */
  readonly shown: number;
  /** Shows the first `n` steps (clamped to 1 … count), as the buttons do, without remembering a mode. */
  show(n: number): void;
}

const steppers = new WeakMap<Element, DerivationStepper>();

/** The stepper of an enhanced derivation block, or null (not enhanced, or fewer than 2 steps). */
export function derivationStepper(block: Element): DerivationStepper | null {
  return steppers.get(block) ?? null;
}

/** Adds step controls to every derivation under `root`. Idempotent. */
export function enhanceDerivations(root: ParentNode): void {
  const steppable = Array.from(root.querySelectorAll(".derivation")).filter((block) => derivationSteps(block).length >= 2);
  for (const block of steppable) {
    if (block.hasAttribute("data-enhanced")) continue;
    const steps = derivationSteps(block);
    block.setAttribute("data-enhanced", "");
    // Its step in the URL: d1 for the page's first steppable derivation; all steps shown is the default.
    const param = intParam(`d${steppable.indexOf(block) + 1}`, {min: 1, max: steps.length, fallback: steps.length});
    let shown = steps.length;
    const next: HTMLButtonElement = html`<button type="button">Next step</button>`;
    const all: HTMLButtonElement = html`<button type="button">Show all</button>`;
    const stepMode: HTMLButtonElement = html`<button type="button">Step through</button>`;
    const count: HTMLSpanElement = html`<span aria-live="polite"></span>`;
    const controls: HTMLDivElement = html`<div class="derivation-controls">${stepMode}${next}${all}${count}</div>`;
    const update = () => {
      steps.forEach((step, i) => step.forEach((node) => ((node as HTMLElement).hidden = i >= shown)));
      const complete = shown >= steps.length;
      next.hidden = complete;
      all.hidden = complete;
      stepMode.hidden = !complete;
      count.textContent = complete ? "" : `step ${shown} of ${steps.length}`;
      block.toggleAttribute("data-stepping", !complete);
    };
    /** After a reader's click: the URL keeps the step, and a message about the link's value is settled. */
    const remember = () => {
      writeParam(param, shown);
      block.querySelector(":scope > .url-problem")?.remove();
    };
    // Each button that hides itself hands keyboard focus to the control that takes its place, so
    // the next Space or Enter keeps stepping instead of scrolling the page from <body>.
    next.onclick = () => {
      shown = Math.min(steps.length, shown + 1);
      update();
      remember();
      const step = steps[shown - 1];
      step[step.length - 1].scrollIntoView({block: "nearest"});
      if (shown >= steps.length) stepMode.focus();
    };
    all.onclick = () => {
      shown = steps.length;
      writeMode("all");
      update();
      remember();
      stepMode.focus();
    };
    stepMode.onclick = () => {
      shown = 1;
      writeMode("step");
      update();
      remember();
      next.focus();
    };
    block.prepend(controls);
    steppers.set(block, {
      count: steps.length,
      get shown() {
        return shown;
      },
      show(n: number) {
        shown = Math.max(1, Math.min(steps.length, Math.round(n)));
        update();
      }
    });
    if (readMode() === "step") shown = 1;
    const fromUrl = readParam(param, location.search);
    if (new URLSearchParams(location.search).has(param.name)) shown = fromUrl.value;
    if (fromUrl.message) {
      controls.after(urlProblem(fromUrl.message));
      writeParam(param, fromUrl.value);
    }
    update();
  }
}
