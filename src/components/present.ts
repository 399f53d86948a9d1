// Presentation mode, on every page: the page's own nodes shown one slide at a time, so that its
// live cells stay live (Framework keeps rendering into the same elements; nothing is moved or
// copied). The "Present" button or the p key enters; Esc leaves at the same place.
//
// Slides come from the page's structure (see slide-plan.ts for the rules): a heading (h1–h3)
// starts a slide, a long derivation spreads over several, and what does not fit the slide's box
// moves on. Authors can steer it in the Markdown:
//   <div class="slide-break"></div>      forces a break here;
//   <h2 data-slide="continue">…</h2>     a heading that does not start a slide (or put
//   <div data-slide="continue"></div>    just before a Markdown heading);
//   <aside class="notes">…</aside>       speaker notes for the slide it ends (hidden on the page).
// A derivation's steps are fragments: the next key reveals the next step, through the derivation's
// own stepper, then moves on.
//
// The slide is a fixed 800 × 450 box (16:9) zoomed to fill the window, so a slide breaks the
// same way on every screen and its text scales with it: 18 px body text and 10 px chart ticks
// read as 28.8 and 16 px at 1280 × 720. Framework's `width` follows the box's 800 px.
//
// Keys (those of reveal.js, PowerPoint and clickers): Right, Down, Space, PageDown, n: next;
// Left, Up, Shift+Space, PageUp: previous; Home, End; a number then Enter: that slide; Esc:
// leave; s: speaker view; f: full screen; b or .: black screen. In a text field only PageUp,
// PageDown and Esc are taken; on a slider or a list also the arrows are left to the control.
// The URL names the position, #slide=7&step=2, and a reload returns to it.
import {derivationStepper, derivationSteps} from "./derivation.js";
import {openChannel, type AudienceState, type PresentMessage} from "./present-protocol.js";
import {clampPosition, parseSlideHash, planSlides, silent, slideHash, slideOfUnit, type PlannedSlide, type PlanUnit, type UnitKind} from "./slide-plan.js";

/** The slide's box in CSS pixels before zoom, and its padding (the content keeps 406 px). */
export const SLIDE_WIDTH = 800;
export const SLIDE_HEIGHT = 450;
export const SLIDE_PAD_Y = 22;
const CONTENT_HEIGHT = SLIDE_HEIGHT - 2 * SLIDE_PAD_Y;
/** What the plan fills: the content's height less room for the last block's bottom margin, which a measured box leaves out. */
const PLAN_HEIGHT = CONTENT_HEIGHT - 12;

interface Unit {
  kind: UnitKind;
  nodes: Element[];
  /** The top-level element of the page the unit belongs to. */
  block: Element;
  continues?: boolean;
  /** For a derivation's step: its position in the derivation. */
  stepIndex?: number;
}

export interface Presentation {
  readonly active: boolean;
  readonly index: number;
  readonly step: number;
  readonly count: number;
  enter(at?: {slide: number; step: number}): void;
  exit(): void;
  next(): void;
  prev(): void;
  go(index: number, step?: number): void;
}

const OFF = "data-present-off";
const PENDING = "data-present-pending";
const STEP = "data-present-step";
const FIRST = "data-present-first";
const FIT = "data-present-fit";
const FIT_EQ = "data-present-fit-eq";
const START = "data-slide-start";

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

function isTyping(target: EventTarget | null): "text" | "control" | "button" | null {
  if (!(target instanceof Element)) return null;
  if (target.closest("textarea, [contenteditable=''], [contenteditable=true]")) return "text";
  if (target instanceof HTMLInputElement) {
    if (["range", "checkbox", "radio"].includes(target.type)) return "control";
    if (["button", "submit", "reset"].includes(target.type)) return "button";
    return "text";
  }
  if (target.closest("select, [role=slider], [role=spinbutton], [role=listbox]")) return "control";
  if (target.closest("button, summary, a[href]")) return "button";
  return null;
}

/** A static copy of some of the page's nodes, for the speaker view: canvases become images, controls keep their values. */
function staticCopy(node: Element): Element {
  const copy = node.cloneNode(true) as Element;
  const from = Array.from(node.querySelectorAll("canvas"));
  Array.from(copy.querySelectorAll("canvas")).forEach((canvas, k) => {
    const image = document.createElement("img");
    try {
      image.src = from[k].toDataURL();
    } catch {
      // a canvas that cannot be read stays blank in the preview
    }
    image.setAttribute("style", canvas.getAttribute("style") ?? "");
    image.width = from[k].clientWidth || from[k].width;
    image.height = from[k].clientHeight || from[k].height;
    canvas.replaceWith(image);
  });
  const inputs = Array.from(node.querySelectorAll("input, select, textarea"));
  Array.from(copy.querySelectorAll("input, select, textarea")).forEach((field, k) => {
    const source = inputs[k] as HTMLInputElement;
    if (field instanceof HTMLSelectElement) {
      Array.from(field.options).forEach((option, j) => option.toggleAttribute("selected", j === (source as unknown as HTMLSelectElement).selectedIndex));
    } else if (field instanceof HTMLInputElement && (field.type === "checkbox" || field.type === "radio")) field.toggleAttribute("checked", source.checked);
    else field.setAttribute("value", source.value);
  });
  for (const dead of Array.from(copy.querySelectorAll("aside.notes, .derivation-controls, script"))) dead.remove();
  for (const el of [copy, ...Array.from(copy.querySelectorAll("[id]"))]) el.removeAttribute("id");
  return copy;
}

export function createPresentation(doc: Document = document): Presentation {
  const main = doc.getElementById("observablehq-main");
  if (!main) throw new Error("presentation mode needs the page's #observablehq-main");
  const root = doc.documentElement;
  let active = false;
  let units: Unit[] = [];
  let plan: PlannedSlide[] = [];
  let index = 0;
  let step = 0;
  let black = false;
  let typed = ""; // digits typed before Enter
  let requested: {slide: number; step: number} | null = null; // a URL's position, kept until the page settles
  let userMoved = false;
  const savedSteps = new Map<Element, number>();
  let savedScroll = 0;
  const channel = openChannel();
  let speakerListening = false;

  // The chrome: an entry button on the page, a bar and a black screen while presenting.
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "present-toggle";
  button.textContent = "Present";
  button.title = "Show this page as slides (p); Esc leaves";
  button.addEventListener("click", () => enter());
  doc.body.append(button);

  const bar = doc.createElement("div");
  bar.className = "present-bar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Presentation");
  const barButton = (label: string, title: string, action: () => void) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", () => {
      action();
      main.focus({preventScroll: true});
    });
    return b;
  };
  const counter = doc.createElement("span");
  counter.className = "present-count";
  counter.setAttribute("aria-live", "polite");
  const notice = doc.createElement("span");
  notice.className = "present-notice";
  notice.setAttribute("role", "status");
  bar.append(
    barButton("‹", "Previous (Left arrow, PageUp)", () => prev()),
    counter,
    barButton("›", "Next (Right arrow, Space, PageDown)", () => next()),
    barButton("Speaker view", "Speaker view: notes, next slide, timer (s)", () => openSpeaker()),
    barButton("Exit", "Leave the presentation (Esc)", () => exit()),
    notice
  );
  const curtain = doc.createElement("div");
  curtain.className = "present-black";
  curtain.hidden = true;
  curtain.setAttribute("aria-label", "black screen: press b to come back");

  const blocks = () => Array.from(main.children);
  let scrolled = false; // whether the slide in view was scrolled (a slide taller than the box)
  main.addEventListener("scroll", () => (scrolled = main.scrollTop > 0), {passive: true});

  function fitZoom() {
    const zoom = Math.min(innerWidth / SLIDE_WIDTH, innerHeight / SLIDE_HEIGHT);
    main!.style.setProperty("zoom", String(zoom));
    return zoom;
  }

  /** Shows everything, fits wide equations to the box, measures every unit and splits them into slides. */
  function replan() {
    for (const el of Array.from(main!.querySelectorAll(`[${OFF}], [${FIRST}], [${FIT}], [${START}]`))) {
      for (const name of [OFF, FIRST, FIT, START]) el.removeAttribute(name);
      (el as HTMLElement).style.removeProperty("--present-fit");
    }
    units = collectUnits(main!);
    for (const unit of units) if (unit.kind === "step") unit.nodes.forEach((n) => n.setAttribute(STEP, ""));
    // Display equations scaled to fit the width (they would scroll sideways).
    const equations = Array.from(main!.querySelectorAll<HTMLElement>("eqn, .katex-display:not(eqn .katex-display)"));
    for (const eq of equations) if (eq.hasAttribute(FIT_EQ)) (eq.style.removeProperty("zoom"), eq.removeAttribute(FIT_EQ));
    const widths = equations.map((eq) => [eq.scrollWidth, eq.clientWidth]);
    equations.forEach((eq, k) => {
      const [scroll, client] = widths[k];
      if (client > 0 && scroll > client + 1) {
        eq.style.setProperty("zoom", String(Math.max(0.4, client / scroll)));
        eq.setAttribute(FIT_EQ, "");
      }
    });
    const zoom = parseFloat(main!.style.getPropertyValue("zoom")) || 1;
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
    // then a table) is split between its parts, as a long section is between its paragraphs.
    const split: Unit[] = [];
    for (const unit of units) {
      const {top, bottom} = box(unit.nodes);
      const parts = unit.kind === "content" && bottom - top > CONTENT_HEIGHT ? stackedParts(unit.block) : null;
      if (!parts) split.push(unit);
      else for (const part of parts) split.push({kind: part.matches("h4, h5, h6") ? "heading" : "content", nodes: [part], block: unit.block, continues: true});
    }
    units = split;
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
    plan = planSlides(measured, PLAN_HEIGHT);
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
  }

  function render() {
    const slide = plan[index];
    if (!slide) return;
    const on = new Set(slide.units);
    const stepUnits = slide.units.filter((i) => units[i].kind === "step");
    const revealed = new Set(stepUnits.slice(0, 1 + step));
    const onBlocks = new Set(slide.units.map((i) => units[i].block));
    resizes.disconnect();
    for (const block of blocks()) {
      block.toggleAttribute(OFF, !onBlocks.has(block));
      if (onBlocks.has(block)) resizes.observe(block);
    }
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
    for (const el of Array.from(main!.querySelectorAll(`[${FIRST}]`))) el.removeAttribute(FIRST);
    const firstShown = slide.units.find((i) => !silent(units[i].kind));
    if (firstShown !== undefined) {
      units[firstShown].block.setAttribute(FIRST, "");
      units[firstShown].nodes[0].setAttribute(FIRST, "");
    }
    if (scrolled) main!.scrollTop = 0; // (reading or writing scrollTop would force a layout on every key)
    counter.textContent = `${index + 1} / ${plan.length}${slide.fragments ? ` · step ${step + 1} of ${slide.fragments + 1}` : ""}`;
    const hash = slideHash(index + 1, step);
    if (location.hash !== hash) history.replaceState(history.state, "", `${location.pathname}${location.search}${hash}`);
    // Keys keep working when the focused control has just been hidden with its slide.
    const focused = doc.activeElement;
    if (focused && focused !== main && main!.contains(focused) && (focused as HTMLElement).offsetParent === null) main!.focus({preventScroll: true});
    broadcastSoon();
  }

  function go(target: number, targetStep = 0) {
    if (!active || plan.length === 0) return;
    index = Math.max(0, Math.min(plan.length - 1, target));
    step = Math.max(0, Math.min(plan[index].fragments, targetStep));
    render();
  }

  function next() {
    userMoved = true;
    if (step < plan[index].fragments) go(index, step + 1);
    else if (index < plan.length - 1) go(index + 1, 0);
  }

  function prev() {
    userMoved = true;
    if (step > 0) go(index, step - 1);
    else if (index > 0) go(index - 1, plan[index - 1].fragments); // arriving backwards shows the whole slide
  }

  /** Re-splits after the page changed (a chart arrived, a panel grew), staying on the same content. */
  function replanKeepingPlace() {
    if (!active) return;
    const anchor = plan[index]?.units.find((i) => !silent(units[i].kind));
    const anchorNode = anchor === undefined ? null : units[anchor].nodes[0];
    const oldFragments = plan[index]?.fragments ?? 0;
    replan();
    if (requested && !userMoved) {
      const {index: i, step: s} = clampPosition(plan, requested.slide, requested.step);
      index = i;
      step = s;
    } else {
      const found = anchorNode ? units.findIndex((u) => u.nodes[0] === anchorNode) : -1;
      index = Math.max(0, found >= 0 ? slideOfUnit(plan, found) : Math.min(index, plan.length - 1));
      step = plan[index].fragments === oldFragments ? step : Math.min(step, plan[index].fragments);
    }
    render();
  }

  // Re-plan when the page changes where it cannot be seen (a figure arrived on another slide, a
  // cell's output was replaced) or the current slide no longer fits; quietly, once the changes
  // have stopped for a moment. Changes on the slide in view that still fit need nothing.
  let replanTimer = 0;
  let lastChange = 0;
  const scheduleReplan = (quiet = 400) => {
    clearTimeout(replanTimer);
    replanTimer = window.setTimeout(replanKeepingPlace, quiet);
  };
  const topBlock = (node: Node | null): Element | null => {
    while (node && node.parentNode !== main) node = node.parentNode;
    return node as Element | null;
  };
  const mutations = new MutationObserver((records) => {
    lastChange = Date.now();
    const onSlide = new Set((plan[index]?.units ?? []).map((i) => units[i].block));
    const elsewhere = records.some((r) => {
      if (r.target === main) return true;
      const block = topBlock(r.target);
      return block !== null && !onSlide.has(block);
    });
    if (elsewhere) scheduleReplan(800);
  });
  // The slide's own blocks are watched: when one grows past the box (a result arrived), re-split.
  const resizes = new ResizeObserver(() => {
    if (active && main!.scrollHeight > main!.clientHeight + 2 && !plan[index]?.overflows) scheduleReplan();
  });

  /**
   * The first seconds: data, figures and fonts arrive. Once nothing is loading and the page has
   * been still for a moment (at most 15 s), the plan is made again and marked ready
   * (html[data-present-ready]); a URL's slide is honoured against that plan.
   */
  function settle(until: number) {
    if (!active) return;
    const loading = main!.querySelector("observablehq-loading");
    const still = Date.now() - lastChange > 800 && doc.fonts?.status !== "loading";
    if ((!loading && still) || Date.now() > until) {
      clearTimeout(replanTimer);
      replanKeepingPlace();
      requested = null;
      root.setAttribute("data-present-ready", "");
    } else setTimeout(() => settle(until), 250);
  }

  // The deck printed from the page (not presenting) is laid out as the slides are: presentation
  // mode is entered for the print and left after it, back at the same place.
  let printing = false;
  addEventListener("beforeprint", () => {
    if (active || !main!.querySelector(":scope > .deck-intro")) return;
    printing = true;
    enter({slide: 1, step: 0});
  });
  addEventListener("afterprint", () => {
    if (!printing) return;
    printing = false;
    exit(savedScroll);
  });

  function enter(at?: {slide: number; step: number}) {
    if (active) return;
    // Start at the slide the reader is looking at, unless a position is asked for.
    const topBlock = blocks().find((b) => b.getBoundingClientRect().bottom > 40);
    savedScroll = scrollY;
    active = true;
    root.classList.add("presenting");
    savedSteps.clear();
    for (const block of Array.from(main!.querySelectorAll(".derivation"))) {
      const stepper = derivationStepper(block);
      if (stepper) savedSteps.set(block, stepper.shown);
    }
    main!.setAttribute("tabindex", "-1");
    doc.body.append(bar, curtain);
    fitZoom();
    replan();
    requested = at ?? null;
    userMoved = false;
    if (at) {
      const position = clampPosition(plan, at.slide, at.step);
      index = position.index;
      step = position.step;
    } else {
      const unit = topBlock ? units.findIndex((u) => u.block === topBlock) : 0;
      index = Math.max(0, slideOfUnit(plan, Math.max(0, unit)));
      step = 0;
    }
    render();
    main!.focus({preventScroll: true});
    mutations.observe(main!, {childList: true, subtree: true, characterData: true});
    lastChange = Date.now();
    root.removeAttribute("data-present-ready");
    const until = Date.now() + 15_000;
    setTimeout(() => settle(until), 300);
  }

  /** Leaves presentation mode at the slide shown, or at `scrollTo` (a print's return). */
  function exit(scrollTo?: number) {
    if (!active) return;
    const anchor = plan[index]?.units.find((i) => !silent(units[i].kind));
    const anchorNode = anchor === undefined ? null : units[anchor].nodes[0];
    active = false;
    clearTimeout(replanTimer);
    mutations.disconnect();
    resizes.disconnect();
    for (const el of Array.from(main!.querySelectorAll(`[${OFF}], [${PENDING}], [${STEP}], [${FIRST}], [${FIT}], [${FIT_EQ}], [${START}]`))) {
      for (const name of [OFF, PENDING, STEP, FIRST, FIT, FIT_EQ, START]) el.removeAttribute(name);
      (el as HTMLElement).style.removeProperty("--present-fit");
      if (el.matches("eqn, .katex-display")) (el as HTMLElement).style.removeProperty("zoom");
    }
    for (const block of blocks()) block.removeAttribute(OFF);
    for (const [block, shown] of savedSteps) derivationStepper(block)?.show(shown);
    main!.style.removeProperty("zoom");
    main!.removeAttribute("tabindex");
    root.classList.remove("presenting");
    root.removeAttribute("data-present-ready");
    setBlack(false);
    bar.remove();
    curtain.remove();
    if (doc.fullscreenElement) void doc.exitFullscreen().catch(() => undefined);
    history.replaceState(history.state, "", `${location.pathname}${location.search}`);
    // Leave at the same place: the slide's first node at the top of the window.
    if (scrollTo !== undefined) window.scrollTo(0, scrollTo);
    else if (anchorNode) anchorNode.scrollIntoView({block: "start"});
    else window.scrollTo(0, savedScroll);
    channel?.postMessage({type: "ended", page: location.pathname} satisfies PresentMessage);
    button.focus({preventScroll: true});
  }

  function setBlack(on: boolean) {
    black = on;
    curtain.hidden = !on;
    broadcastSoon();
  }

  function openSpeaker() {
    const speaker = window.open(new URL("./speaker", location.href).href, "ddpm-live-speaker", "popup,width=1200,height=760");
    notice.textContent = speaker ? "" : "The browser blocked the speaker window: allow pop-ups for this site.";
    speakerListening = true;
  }

  // The speaker view: a state message after every change, built when the browser is idle so
  // that the audience's slide changes first.
  let broadcastPending = false;
  function broadcastSoon() {
    if (!channel || !speakerListening || broadcastPending) return;
    broadcastPending = true;
    const run = () => {
      broadcastPending = false;
      if (active) channel.postMessage(state());
    };
    if ("requestIdleCallback" in window) requestIdleCallback(run, {timeout: 300});
    else setTimeout(run, 50);
  }

  function slideHtml(slideIndex: number, shownSteps: number): string {
    const slide = plan[slideIndex];
    const on = new Set(slide.units);
    const stepUnits = slide.units.filter((i) => units[i].kind === "step");
    const revealed = new Set(stepUnits.slice(0, 1 + shownSteps));
    const parts: string[] = [];
    const seen = new Set<Element>();
    for (const i of slide.units) {
      const unit = units[i];
      if (silent(unit.kind) || seen.has(unit.block)) continue;
      seen.add(unit.block);
      const copy = staticCopy(unit.block);
      if (unit.block.matches(".derivation")) {
        // Keep this slide's steps, the unrevealed ones invisible, as on the audience's screen.
        const children = Array.from(unit.block.children);
        const copies = Array.from(copy.children);
        units.forEach((u, k) => {
          if (u.block !== unit.block || u.kind !== "step") return;
          for (const node of u.nodes) {
            const twin = copies[children.indexOf(node)];
            if (!twin) continue;
            if (!on.has(k)) twin.remove();
            else {
              twin.removeAttribute("hidden");
              twin.toggleAttribute(PENDING, !revealed.has(k));
            }
          }
        });
      }
      copy.removeAttribute(OFF);
      parts.push(copy.outerHTML);
    }
    return parts.join("\n");
  }

  function state(): AudienceState {
    const slide = plan[index];
    const notes = slide.units.filter((i) => units[i].block.matches("aside.notes")).map((i) => units[i].block.innerHTML);
    return {
      type: "state",
      page: location.pathname,
      title: doc.title.replace(/ \|.*$/, ""),
      index,
      count: plan.length,
      step,
      steps: slide.fragments,
      notes: notes.join("\n"),
      current: slideHtml(index, step),
      next: index + 1 < plan.length ? slideHtml(index + 1, plan[index + 1].fragments) : null,
      black
    };
  }

  channel?.addEventListener("message", (event: MessageEvent<PresentMessage>) => {
    const message = event.data;
    if (message.type === "hello") {
      speakerListening = true;
      if (active) channel.postMessage(state());
      return;
    }
    if (!active || !("page" in message) || message.page !== location.pathname) return;
    if (message.type === "goto") {
      userMoved = true;
      go(message.index, message.step);
    } else if (message.type === "command") {
      if (message.action === "next") next();
      else if (message.action === "prev") prev();
      else if (message.action === "first") (userMoved = true, go(0));
      else if (message.action === "last") (userMoved = true, go(plan.length - 1, plan[plan.length - 1].fragments));
      else if (message.action === "black") setBlack(!black);
    }
  });

  doc.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const typing = isTyping(event.target);
    const key = event.key;
    if (!active) {
      if ((key === "p" || key === "P") && (typing === null || typing === "button")) {
        event.preventDefault();
        enter();
      }
      return;
    }
    const pageKey = key === "PageDown" || key === "PageUp";
    if (typing === "text" && !pageKey && key !== "Escape") return;
    if (typing === "control" && !pageKey && key !== "Escape") return;
    if (typing === "button" && (key === " " || key === "Enter")) return;
    let handled = true;
    if (black && key !== "b" && key !== "B" && key !== ".") setBlack(false);
    switch (key) {
      case "ArrowRight":
      case "ArrowDown":
      case "PageDown":
      case "n":
      case "N":
        next();
        break;
      case " ":
        if (event.shiftKey) prev();
        else next();
        break;
      case "ArrowLeft":
      case "ArrowUp":
      case "PageUp":
        prev();
        break;
      case "Home":
        userMoved = true;
        go(0);
        break;
      case "End":
        userMoved = true;
        go(plan.length - 1, plan[plan.length - 1].fragments);
        break;
      case "Escape":
        if (typing) (event.target as HTMLElement).blur();
        exit();
        break;
      case "s":
      case "S":
        openSpeaker();
        break;
      case "f":
      case "F":
        if (doc.fullscreenElement) void doc.exitFullscreen().catch(() => undefined);
        else void root.requestFullscreen?.().catch(() => undefined);
        break;
      case "b":
      case "B":
      case ".":
        setBlack(!black);
        break;
      case "Enter":
        if (typed) {
          userMoved = true;
          go(Number(typed) - 1);
          typed = "";
        } else handled = false;
        break;
      default:
        if (/^[0-9]$/.test(key)) typed = (typed + key).slice(-4);
        else handled = false;
    }
    if (handled) event.preventDefault();
  });

  addEventListener("resize", () => {
    if (active) fitZoom();
  });
  addEventListener("hashchange", () => {
    const position = parseSlideHash(location.hash);
    if (!position) return;
    if (!active) enter(position);
    else go(position.slide - 1, position.step);
  });

  return {
    get active() {
      return active;
    },
    get index() {
      return index;
    },
    get step() {
      return step;
    },
    get count() {
      return plan.length;
    },
    enter,
    exit,
    next,
    prev,
    go
  };
}

/** Installs presentation mode on a page and enters it when the URL names a slide. */
export function installPresentation(doc: Document = document): Presentation | null {
  if (!doc.getElementById("observablehq-main")) return null;
  const presentation = createPresentation(doc);
  const position = parseSlideHash(location.hash);
  if (position) presentation.enter(position);
  return presentation;
}
