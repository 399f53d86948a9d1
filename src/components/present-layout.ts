// Presentation mode's layout: the page's top-level blocks as units (a heading, a derivation's step,
// a panel's stacked parts, notes), measured in the zoomed slide box and split into slides by
// slide-plan.ts, and the attributes that mark what a slide shows (markSlide) and clear them. It
// keeps no state: present.ts lays the page out again whenever it changes.
import {derivationStepper, derivationSteps} from "./derivation.js";
import {planSlides, silent, type PlannedSlide, type PlanUnit, type UnitKind} from "./slide-plan.js";

/** The slide's box in CSS pixels before zoom, and its padding (the content keeps 406 px). */
export const SLIDE_WIDTH = 800;
export const SLIDE_HEIGHT = 450;
export const SLIDE_PAD_Y = 22;
const CONTENT_HEIGHT = SLIDE_HEIGHT - 2 * SLIDE_PAD_Y;
/** What the plan fills: the content's height (on screen the slide's last part keeps no bottom margin; see markSlide), less 2 px for rounding. */
const PLAN_HEIGHT = CONTENT_HEIGHT - 2;

export interface Unit {
  kind: UnitKind;
  nodes: Element[];
  /** The top-level element of the page the unit belongs to. */
  block: Element;
  continues?: boolean;
  /** For a derivation's step: its position in the derivation. */
  stepIndex?: number;
}

export const OFF = "data-present-off";
export const PENDING = "data-present-pending";
export const STEP = "data-present-step";
export const FIRST = "data-present-first";
export const LAST = "data-present-last";
export const FIT = "data-present-fit";
export const FIT_EQ = "data-present-fit-eq";
export const START = "data-slide-start";

function collectUnits(main: Element): Unit[] {
  const units: Unit[] = [];
  for (const block of Array.from(main.children)) {
    const heading = block.matches("h1, h2, h3");
    if (block.matches(".slide-break")) units.push({kind: "break", nodes: [block], block});
    else if (!heading && block.getAttribute("data-slide") === "continue") units.push({kind: "continue", nodes: [block], block});
    else if (block.matches("aside.notes") || getComputedStyle(block).display === "none") units.push({kind: "notes", nodes: [block], block});
    else if (heading) units.push({kind: "heading", nodes: [block], block, continues: block.getAttribute("data-slide") === "continue"});
    else if (block.matches(".derivation") && derivationSteps(block).length >= 2) {
      derivationSteps(block).forEach((nodes, stepIndex) => units.push({kind: "step", nodes, block, stepIndex}));
    } else units.push({kind: "content", nodes: [block], block});
  }
  return units;
}

/**
 * The parts of a tall block that stack vertically (descending through single wrappers, as Framework
 * wraps a cell's output), or null when it has no such structure (one figure, side-by-side columns).
 */
function stackedParts(block: Element): Element[] | null {
  let node: Element = block;
  for (let depth = 0; depth < 4; depth++) {
    if (node.matches("table")) return null;
    const shown = Array.from(node.children).filter((child) => {
      const rect = child.getBoundingClientRect();
      return rect.width > 0 || rect.height > 0;
    });
    if (shown.length === 1) {
      node = shown[0];
      continue;
    }
    if (shown.length < 2) return null;
    for (let k = 1; k < shown.length; k++) {
      if (shown[k].getBoundingClientRect().top < shown[k - 1].getBoundingClientRect().bottom - 2) return null;
    }
    return Array.from(node.children);
  }
  return null;
}

/** Shows everything, fits wide equations to the box, measures every unit and splits them into slides. */
export function layoutSlides(main: HTMLElement): {units: Unit[]; plan: PlannedSlide[]} {
  for (const el of Array.from(main.querySelectorAll(`[${OFF}], [${FIRST}], [${LAST}], [${FIT}], [${START}]`))) {
    for (const name of [OFF, FIRST, LAST, FIT, START]) el.removeAttribute(name);
    (el as HTMLElement).style.removeProperty("--present-fit");
  }
  let units = collectUnits(main);
  for (const unit of units) if (unit.kind === "step") unit.nodes.forEach((n) => n.setAttribute(STEP, ""));
  // Display equations scaled to fit the width (they would scroll sideways).
  const equations = Array.from(main.querySelectorAll<HTMLElement>("eqn, .katex-display:not(eqn .katex-display)"));
  for (const eq of equations) if (eq.hasAttribute(FIT_EQ)) (eq.style.removeProperty("zoom"), eq.removeAttribute(FIT_EQ));
  const widths = equations.map((eq) => [eq.scrollWidth, eq.clientWidth]);
  equations.forEach((eq, k) => {
    const [scroll, client] = widths[k];
    if (client > 0 && scroll > client + 1) {
      eq.style.setProperty("zoom", String(Math.max(0.4, client / scroll)));
      eq.setAttribute(FIT_EQ, "");
    }
  });
  const zoom = parseFloat(main.style.getPropertyValue("zoom")) || 1;
  const box = (nodes: Element[]) => {
    let top = Infinity;
    let bottom = -Infinity;
    for (const node of nodes) {
      const rect = node.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      top = Math.min(top, rect.top / zoom);
      bottom = Math.max(bottom, rect.bottom / zoom);
    }
    return {top, bottom};
  };
  // A panel taller than a slide whose parts stack one under another (controls, then charts,
  // then a table) is split between its parts, as a long section is between its paragraphs. A
  // part that is a heading (a panel's figure titles are h3 under the page's h2) is one for the
  // plan: it never starts a slide of its own accord, and it moves on with the part it titles
  // rather than being left last on a slide. A part still taller than a slide is split the same
  // way (a panel inside a page's wrapper, beside its Copy link); a table is not, since its rows
  // would lose their header.
  const splitTall = (unit: Unit, node: Element, depth: number): Unit[] => {
    const {top, bottom} = box(unit.nodes);
    const parts = unit.kind === "content" && depth < 4 && bottom - top > CONTENT_HEIGHT ? stackedParts(node) : null;
    if (!parts) return [unit];
    return parts.flatMap((part) =>
      part.matches("h1, h2, h3, h4, h5, h6")
        ? [{kind: "heading" as const, nodes: [part], block: unit.block, continues: true}]
        : splitTall({kind: "content", nodes: [part], block: unit.block, continues: true}, part, depth + 1)
    );
  };
  units = units.flatMap((unit) => splitTall(unit, unit.block, 0));
  let last = 0;
  const measured: PlanUnit[] = units.map((unit) => {
    const {top, bottom} = box(unit.nodes);
    if (top === Infinity || (unit.kind === "content" && bottom - top < 0.5)) {
      if (!silent(unit.kind)) unit.kind = "empty";
      return {kind: unit.kind, top: last, bottom: last};
    }
    last = bottom;
    return {kind: unit.kind, top, bottom, continues: unit.continues};
  });
  const plan = planSlides(measured, PLAN_HEIGHT);
  plan.forEach((slide, k) => {
    const shown = slide.units.filter((i) => !silent(units[i].kind));
    // On paper each slide starts a sheet.
    if (k > 0 && shown.length) units[shown[0]].nodes[0].setAttribute(START, "");
    // A slide that does not fit shrinks to fit: on screen when it is a little too tall (it
    // scrolls otherwise), on paper always.
    if (!slide.overflows || !shown.length) return;
    const ratio = PLAN_HEIGHT / (measured[shown[shown.length - 1]].bottom - measured[shown[0]].top);
    for (const i of shown) {
      for (const node of units[i].nodes) {
        node.setAttribute(FIT, ratio >= 0.75 ? "screen" : "print");
        (node as HTMLElement).style.setProperty("--present-fit", ratio.toFixed(3));
      }
    }
  });
  return {units, plan};
}

/**
 * Marks what the slide shows: its blocks on, the others off, its derivation steps revealed up to
 * `step` (through the derivation's stepper), the rest pending; returns the slide's blocks.
 */
export function markSlide(main: HTMLElement, units: readonly Unit[], slide: PlannedSlide, step: number): Element[] {
  const on = new Set(slide.units);
  const stepUnits = slide.units.filter((i) => units[i].kind === "step");
  const revealed = new Set(stepUnits.slice(0, 1 + step));
  const onBlocks = new Set(slide.units.map((i) => units[i].block));
  for (const block of Array.from(main.children)) block.toggleAttribute(OFF, !onBlocks.has(block));
  const reach = new Map<Element, number>(); // a derivation's steps shown through its stepper
  units.forEach((unit, i) => {
    if (unit.nodes[0] === unit.block) return; // a whole block: done above
    const off = !on.has(i);
    const pending = unit.kind === "step" && on.has(i) && !revealed.has(i);
    for (const node of unit.nodes) {
      node.toggleAttribute(OFF, off);
      node.toggleAttribute(PENDING, pending);
    }
    if (unit.kind !== "step") return;
    if (revealed.has(i)) reach.set(unit.block, Math.max(reach.get(unit.block) ?? 0, unit.stepIndex! + 1));
    else if (on.has(i) && !reach.has(unit.block)) reach.set(unit.block, 0);
  });
  for (const [block, shown] of reach) derivationStepper(block)?.show(Math.max(1, shown));
  // The slide's top and bottom: no margin above its first part or below its last, nor on the
  // wrappers between that part and the page's block (Framework's cell output keeps a 1rem margin);
  // a list's bottom margin alone could otherwise push a slide that fits past the box.
  // The same down the part's own first (last) shown descendants, whose margins would collapse
  // through it (a table's margin in a cell's output, in a page's wrapper).
  const edge = (i: number | undefined, name: string, node: Element | null) => {
    for (const el of Array.from(main.querySelectorAll(`[${name}]`))) el.removeAttribute(name);
    if (i === undefined || !node) return;
    for (let up: Element | null = node; up && up !== main; up = up.parentElement) {
      up.setAttribute(name, "");
      if (up === units[i].block) break;
    }
    const takesRoom = (el: Element) => el.getBoundingClientRect().height > 0;
    for (let down: Element | undefined = node, depth = 0; down && depth < 8; depth++) {
      const children: Element[] = Array.from(down.children).filter(takesRoom);
      down = name === FIRST ? children[0] : children[children.length - 1];
      down?.setAttribute(name, "");
    }
  };
  const shown = slide.units.filter((i) => !silent(units[i].kind));
  const first = shown[0];
  const last = shown[shown.length - 1];
  edge(first, FIRST, first === undefined ? null : units[first].nodes[0]);
  edge(last, LAST, last === undefined ? null : units[last].nodes[units[last].nodes.length - 1]);
  return [...onBlocks];
}

/** Takes every mark of the layout off the page (leaving presentation mode). */
export function clearLayout(main: HTMLElement): void {
  for (const el of Array.from(main.querySelectorAll(`[${OFF}], [${PENDING}], [${STEP}], [${FIRST}], [${LAST}], [${FIT}], [${FIT_EQ}], [${START}]`))) {
    for (const name of [OFF, PENDING, STEP, FIRST, LAST, FIT, FIT_EQ, START]) el.removeAttribute(name);
    (el as HTMLElement).style.removeProperty("--present-fit");
    if (el.matches("eqn, .katex-display")) (el as HTMLElement).style.removeProperty("zoom");
  }
  for (const block of Array.from(main.children)) block.removeAttribute(OFF);
}
