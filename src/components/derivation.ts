// Derivations written in Markdown as a `<div class="derivation">` of numbered display equations,
// each followed by a `<p class="why">` reason, become steppable: a reader studying alone can
// reveal one step at a time; the whole derivation is one click away (and shown by default).
// The choice is remembered: after "Step through", every derivation of the next page opens at its
// first step (its equation and reason), until "Show all" is chosen again.

const STORAGE_KEY = "ddpm-live:derivation-mode";

/** Groups a derivation's children into steps: an equation plus the reasons that follow it. */
export function derivationSteps(block: Element): Element[][] {
  const steps: Element[][] = [];
  for (const child of Array.from(block.children)) {
    if (child.classList.contains("derivation-controls")) continue;
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

/** Adds step controls to every derivation under `root`. Idempotent. */
export function enhanceDerivations(root: ParentNode): void {
  for (const block of Array.from(root.querySelectorAll(".derivation:not([data-enhanced])"))) {
    const steps = derivationSteps(block);
    if (steps.length < 2) continue;
    block.setAttribute("data-enhanced", "");
    let shown = steps.length;
    const controls = document.createElement("div");
    controls.className = "derivation-controls";
    const next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next step";
    const all = document.createElement("button");
    all.type = "button";
    all.textContent = "Show all";
    const stepMode = document.createElement("button");
    stepMode.type = "button";
    stepMode.textContent = "Step through";
    const count = document.createElement("span");
    count.setAttribute("aria-live", "polite");
    controls.append(stepMode, next, all, count);
    const update = () => {
      steps.forEach((step, i) => step.forEach((node) => ((node as HTMLElement).hidden = i >= shown)));
      const complete = shown >= steps.length;
      next.hidden = complete;
      all.hidden = complete;
      stepMode.hidden = !complete;
      count.textContent = complete ? "" : `step ${shown} of ${steps.length}`;
      block.toggleAttribute("data-stepping", !complete);
    };
    // Each button that hides itself hands keyboard focus to the control that takes its place, so
    // the next Space or Enter keeps stepping instead of scrolling the page from <body>.
    next.onclick = () => {
      shown = Math.min(steps.length, shown + 1);
      update();
      const step = steps[shown - 1];
      step[step.length - 1].scrollIntoView({block: "nearest"});
      if (shown >= steps.length) stepMode.focus();
    };
    all.onclick = () => {
      shown = steps.length;
      writeMode("all");
      update();
      stepMode.focus();
    };
    stepMode.onclick = () => {
      shown = 1;
      writeMode("step");
      update();
      next.focus();
    };
    block.prepend(controls);
    if (readMode() === "step") shown = 1;
    update();
  }
}
