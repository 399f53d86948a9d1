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
// The keys are present-keys.ts's. In a text field only PageUp, PageDown and Esc are taken; on a
// slider or a list also the arrows are left to the control. The URL names the position,
// #slide=7&step=2, and a reload returns to it.
//
// This module holds the presentation's state and moves (enter, go, leave, re-plan as the page
// changes, print); the layout is present-layout.ts, the speaker window's link present-speaker-link.ts.
// It is longer than most: those moves are one closure over the same state (the plan, the slide
// and step, the observers that re-plan), and splitting it further would only pass that state around.
import {html} from "htl";
import {derivationStepper} from "./derivation.js";
import {clearLayout, layoutSlides, markSlide, SLIDE_HEIGHT, SLIDE_WIDTH, type Unit} from "./present-layout.js";
import {isTyping, presentKeyAction} from "./present-keys.js";
import {audienceState, createSpeakerLink} from "./present-speaker-link.js";
import {clampPosition, parseSlideHash, silent, slideHash, slideOfUnit, type PlannedSlide} from "./slide-plan.js";

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
  const speaker = createSpeakerLink({
    active: () => active,
    state: () => audienceState(doc, units, plan, index, step, black),
    goto(target, targetStep) {
      userMoved = true;
      go(target, targetStep);
    },
    command(action) {
      if (action === "next") next();
      else if (action === "prev") prev();
      else if (action === "first") (userMoved = true, go(0));
      else if (action === "last") (userMoved = true, go(plan.length - 1, plan[plan.length - 1].fragments));
      else if (action === "black") setBlack(!black);
    }
  });

  // The chrome: an entry button on the page, a bar and a black screen while presenting.
  const button: HTMLButtonElement = html`<button type="button" class="present-toggle" title="Show this page as slides (p); Esc leaves" onclick=${() => enter()}>Present</button>`;
  doc.body.append(button);
  const barButton = (label: string, title: string, action: () => void) =>
    html`<button type="button" title=${title} aria-label=${title} onclick=${() => {
      action();
      main.focus({preventScroll: true});
    }}>${label}</button>`;
  const counter: HTMLSpanElement = html`<span class="present-count" aria-live="polite"></span>`;
  const notice: HTMLSpanElement = html`<span class="present-notice" role="status"></span>`;
  const bar: HTMLDivElement = html`<div class="present-bar" role="toolbar" aria-label="Presentation">${[
    barButton("‹", "Previous (Left arrow, PageUp)", () => prev()),
    counter,
    barButton("›", "Next (Right arrow, Space, PageDown)", () => next()),
    barButton("Speaker view", "Speaker view: notes, next slide, timer (s)", () => openSpeaker()),
    barButton("Exit", "Leave the presentation (Esc)", () => exit()),
    notice
  ]}</div>`;
  const curtain: HTMLDivElement = html`<div class="present-black" hidden aria-label="black screen: press b to come back"></div>`;

  const blocks = () => Array.from(main.children);
  let scrolled = false; // whether the slide in view was scrolled (a slide taller than the box)
  main.addEventListener("scroll", () => (scrolled = main.scrollTop > 0), {passive: true});

  function fitZoom() {
    const zoom = Math.min(innerWidth / SLIDE_WIDTH, innerHeight / SLIDE_HEIGHT);
    main!.style.setProperty("zoom", String(zoom));
    return zoom;
  }

  /** Lays the page out as slides again (present-layout.ts). */
  function replan() {
    ({units, plan} = layoutSlides(main!));
  }

  function render() {
    const slide = plan[index];
    if (!slide) return;
    resizes.disconnect();
    for (const block of markSlide(main!, units, slide, step)) resizes.observe(block);
    if (scrolled) main!.scrollTop = 0; // (reading or writing scrollTop would force a layout on every key)
    counter.textContent = `${index + 1} / ${plan.length}${slide.fragments ? ` · step ${step + 1} of ${slide.fragments + 1}` : ""}`;
    const hash = slideHash(index + 1, step);
    if (location.hash !== hash) history.replaceState(history.state, "", `${location.pathname}${location.search}${hash}`);
    // Keys keep working when the focused control has just been hidden with its slide.
    const focused = doc.activeElement;
    if (focused && focused !== main && main!.contains(focused) && (focused as HTMLElement).offsetParent === null) main!.focus({preventScroll: true});
    speaker.changed();
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
    clearLayout(main!);
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
    speaker.ended();
    button.focus({preventScroll: true});
  }

  function setBlack(on: boolean) {
    black = on;
    curtain.hidden = !on;
    speaker.changed();
  }

  function openSpeaker() {
    notice.textContent = speaker.open();
  }

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
    const action = presentKeyAction(key, event.shiftKey);
    let handled = true;
    if (black && action !== "black") setBlack(false);
    switch (action) {
      case "next":
        next();
        break;
      case "prev":
        prev();
        break;
      case "first":
        userMoved = true;
        go(0);
        break;
      case "last":
        userMoved = true;
        go(plan.length - 1, plan[plan.length - 1].fragments);
        break;
      case "exit":
        if (typing) (event.target as HTMLElement).blur();
        exit();
        break;
      case "speaker":
        openSpeaker();
        break;
      case "fullscreen":
        if (doc.fullscreenElement) void doc.exitFullscreen().catch(() => undefined);
        else void root.requestFullscreen?.().catch(() => undefined);
        break;
      case "black":
        setBlack(!black);
        break;
      case "typed":
        if (typed) {
          userMoved = true;
          go(Number(typed) - 1);
          typed = "";
        } else handled = false;
        break;
      case "digit":
        typed = (typed + key).slice(-4);
        break;
      default:
        handled = false;
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
