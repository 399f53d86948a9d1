// What assistive technology needs and the markup of Framework's page shell and of library widgets
// lacks, added on every page by site.ts:
// - the sidebar's toggle is a checkbox named only by its title; the sidebar's close button is an
//   empty <label> inside the list of pages (a list may hold only items); the sidebar and the
//   "Contents" list are two navigation landmarks without names;
// - Inputs.range labels its number box but not its slider;
// - a block that scrolls (code, a display equation, a table on a phone) cannot be scrolled from
//   the keyboard unless it can take focus.
// Cells draw after the page loads, and a block scrolls or not with the window's width, so the last
// two are kept up to date as the page changes.

const SCROLLERS = "pre, eqn, table";
const MARK = "data-keyboard-scroll";

/** Names and roles for Framework's sidebar and table of contents. Idempotent. */
export function labelPageShell(doc: Document): void {
  const toggle = doc.getElementById("observablehq-sidebar-toggle");
  if (toggle && !toggle.hasAttribute("aria-label")) toggle.setAttribute("aria-label", "Show the list of pages");
  // Mouse targets that repeat the toggle; keyboard and screen-reader users have the toggle itself.
  for (const id of ["observablehq-sidebar-close", "observablehq-sidebar-backdrop"]) doc.getElementById(id)?.setAttribute("aria-hidden", "true");
  doc.getElementById("observablehq-sidebar")?.setAttribute("aria-label", "Pages");
  doc.querySelector("#observablehq-toc nav")?.setAttribute("aria-label", "Contents");
}

/** Gives each range slider without a name the text of its form's label (Inputs.range). */
export function labelSliders(root: ParentNode): void {
  for (const input of Array.from(root.querySelectorAll<HTMLInputElement>("input[type=range]"))) {
    if (input.labels?.length || input.hasAttribute("aria-label") || input.hasAttribute("aria-labelledby")) continue;
    const label = input.closest("form")?.querySelector("label")?.textContent?.trim();
    if (label) input.setAttribute("aria-label", label);
  }
}

/** What a scrolling block is called when it takes focus. */
function scrollerName(element: HTMLElement): string | null {
  if (element.tagName === "TABLE") return element.querySelector("caption") ? null : "Table";
  if (element.tagName === "EQN") {
    const number = element.closest("section.eqno")?.querySelector(":scope > span")?.textContent?.trim();
    return number ? `Equation ${number}` : "Equation";
  }
  const name = element.closest(".code-entry")?.querySelector("h3 a")?.textContent?.trim();
  return name ? `Source of ${name}` : "Code";
}

function scrolls(element: HTMLElement): boolean {
  const style = getComputedStyle(element);
  const x = /auto|scroll/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1;
  const y = /auto|scroll/.test(style.overflowY) && element.scrollHeight > element.clientHeight + 1;
  return x || y;
}

/**
 * Makes each block under `root` that scrolls focusable (tabindex 0) and names it, so that the
 * arrow keys scroll it; takes both back from a block that no longer scrolls. Leaves alone a block
 * whose tabindex, role or name the page set itself.
 */
export function focusScrollers(root: ParentNode): void {
  for (const element of Array.from(root.querySelectorAll<HTMLElement>(SCROLLERS))) {
    const ours = element.hasAttribute(MARK);
    if (scrolls(element)) {
      if (ours || element.hasAttribute("tabindex")) continue;
      element.setAttribute(MARK, "");
      element.tabIndex = 0;
      if (element.tagName !== "TABLE") element.setAttribute("role", "group");
      const name = scrollerName(element);
      if (name && !element.hasAttribute("aria-label")) element.setAttribute("aria-label", name);
    } else if (ours) {
      element.removeAttribute(MARK);
      element.removeAttribute("tabindex");
      if (element.tagName !== "TABLE") element.removeAttribute("role");
      element.removeAttribute("aria-label");
    }
  }
}

/** Runs the fixes above now, and again whenever cells add content, the window resizes or a disclosure opens. */
export function enhanceAccessibility(doc: Document): void {
  labelPageShell(doc);
  const main = doc.getElementById("observablehq-main") ?? doc.body;
  let timer = 0;
  const update = () => {
    timer = 0;
    labelSliders(main);
    focusScrollers(main);
  };
  const schedule = () => {
    if (!timer) timer = window.setTimeout(update, 150);
  };
  const relevant = (node: Node) =>
    node instanceof Element && (node.matches(`${SCROLLERS}, input[type=range]`) || node.querySelector(`${SCROLLERS}, input[type=range]`) !== null);
  // Only additions that bring a candidate: a live status that rewrites its text every frame costs nothing here.
  new MutationObserver((records) => {
    if (records.some((r) => Array.from(r.addedNodes).some(relevant))) schedule();
  }).observe(main, {childList: true, subtree: true});
  window.addEventListener("resize", schedule);
  doc.addEventListener("toggle", schedule, true);
  update();
}
