// What a presenter would see go wrong on the slide on screen, measured in the page: content
// taller or wider than the slide, display math that scrolls, text too small to read from the back
// of the room, a figure left blank, a heading left last with its content on the next slide. Used by the presentation tests and scripts/present-screenshots.ts.
import type {Page} from "playwright-core";

export interface SlideAudit {
  /** From the URL: 1-based slide and 0-based step. */
  slide: number;
  step: number;
  counter: string;
  heading: string;
  problems: string[];
}

/** Text sizes to aim for at 1280 × 720: body text 28 px, chart labels 16 px. */
export const MIN_BODY_PX = 28;
export const MIN_LABEL_PX = 16;

/**
 * tsx compiles the functions below with esbuild's keepNames, which wraps named inner functions
 * in a `__name` helper that exists in Node but not in the page: give the page a no-op one.
 */
export async function allowNamedFunctions(page: Page): Promise<void> {
  await page.evaluate("globalThis.__name ??= (fn) => fn");
}

/**
 * `ignore`: a selector of components whose own sizes are left out (a slide holding one is not
 * checked for height either); the caller says why.
 */
export async function auditSlide(page: Page, {minBody = MIN_BODY_PX, minLabel = MIN_LABEL_PX, ignore = ""}: {minBody?: number; minLabel?: number; ignore?: string} = {}): Promise<SlideAudit> {
  await allowNamedFunctions(page);
  return page.evaluate(
    ({minBody, minLabel, ignore}) => {
      const problems: string[] = [];
      const main = document.getElementById("observablehq-main")!;
      const box = main.getBoundingClientRect();
      const ignored = (el: Element) => ignore !== "" && el.closest(ignore) !== null;
      const shown = (el: Element) => {
        if (ignored(el)) return false;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) return false;
        for (let node: Element | null = el; node && node !== main; node = node.parentElement) {
          const style = getComputedStyle(node);
          if (style.visibility === "hidden" || style.display === "none") return false;
        }
        return true;
      };
      const holdsIgnored = ignore !== "" && Array.from(main.querySelectorAll(ignore)).some((el) => el.getBoundingClientRect().height > 0);
      if (!holdsIgnored && main.scrollHeight > main.clientHeight + 2) problems.push(`taller than the slide: ${main.scrollHeight} px of content in ${main.clientHeight} px`);
      const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
      for (const el of Array.from(main.querySelectorAll("p, li, figure, svg, canvas, table, eqn, .katex-display, form, input, select, button, h1, h2, h3"))) {
        if (!shown(el)) continue;
        const rect = el.getBoundingClientRect();
        if (rect.right > box.right + 1 || rect.left < box.left - 1) problems.push(`wider than the slide: ${describe(el)} spans ${Math.round(rect.left)}–${Math.round(rect.right)} in ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
      for (const eq of Array.from(main.querySelectorAll("eqn"))) {
        if (shown(eq) && eq.scrollWidth > eq.clientWidth + 1) problems.push(`display math scrolls sideways: ${describe(eq)}`);
      }
      // A heading left last on the slide, its content on the next one.
      const headings = Array.from(main.querySelectorAll("h1, h2, h3, h4, h5, h6")).filter(shown);
      const lastHeading = headings[headings.length - 1];
      if (lastHeading) {
        let followed = false;
        for (const el of Array.from(main.querySelectorAll("*"))) {
          if (!(lastHeading.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) || lastHeading.contains(el) || !shown(el)) continue;
          const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");
          if (ownText || el.matches("svg, canvas, img, input, select, button, .katex-display")) {
            followed = true;
            break;
          }
        }
        if (!followed) problems.push(`a heading left last on the slide: ${describe(lastHeading)}`);
      }
      // Body text: paragraphs and list items directly in the page (components' own captions aside).
      for (const el of Array.from(main.querySelectorAll(":scope > p, :scope > ul > li, :scope > ol > li, .derivation > p.why, :scope > .grid > div > p"))) {
        if (!shown(el) || !(el.textContent ?? "").trim()) continue;
        const px = parseFloat(getComputedStyle(el).fontSize) * ((el as HTMLElement & {currentCSSZoom?: number}).currentCSSZoom ?? 1);
        if (px < minBody - 0.05) problems.push(`body text at ${px.toFixed(1)} px: ${describe(el)}`);
      }
      // Chart labels: SVG text, at its size on screen.
      const small = new Map<string, number>();
      for (const text of Array.from(main.querySelectorAll("svg text"))) {
        if (!shown(text) || !(text.textContent ?? "").trim()) continue;
        const svg = (text as SVGTextElement).ownerSVGElement;
        const ctm = (text as SVGTextElement).getScreenCTM();
        if (!svg || !ctm) continue;
        const px = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
        if (px < minLabel - 0.05) small.set(`${px.toFixed(1)} px "${(text.textContent ?? "").slice(0, 20)}"`, px);
      }
      if (small.size) problems.push(`chart labels under ${minLabel} px: ${[...small.keys()].slice(0, 6).join(", ")}${small.size > 6 ? ` and ${small.size - 6} more` : ""}`);
      // A figure left blank: a shown canvas with no painted pixel.
      for (const canvas of Array.from(main.querySelectorAll("canvas"))) {
        if (!shown(canvas) || canvas.width === 0) continue;
        const context = canvas.getContext("2d");
        if (!context) continue;
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = false;
        for (let k = 3; k < data.length; k += 4 * 16) if (data[k] > 0) { painted = true; break; }
        if (!painted) problems.push(`blank canvas: ${describe(canvas.closest("figure") ?? canvas)}`);
      }
      const params = new URLSearchParams(location.hash.slice(1));
      const heading = Array.from(main.querySelectorAll("h1, h2, h3")).find(shown)?.textContent?.trim() ?? "";
      return {
        slide: Number(params.get("slide") ?? 0),
        step: Number(params.get("step") ?? 0),
        counter: document.querySelector(".present-count")?.textContent ?? "",
        heading,
        problems
      };
    },
    {minBody, minLabel, ignore}
  );
}

/** The position in the URL: 1-based slide and 0-based step, or null when not presenting. */
export async function position(page: Page): Promise<{slide: number; step: number} | null> {
  return page.evaluate(() => {
    const params = new URLSearchParams(location.hash.slice(1));
    if (!params.has("slide")) return null;
    return {slide: Number(params.get("slide")), step: Number(params.get("step") ?? 0)};
  });
}

/** The slide count shown in the presentation bar ("7 / 23 · step 2 of 4" gives 23). */
export async function slideCount(page: Page): Promise<number> {
  const text = (await page.locator(".present-count").textContent()) ?? "";
  const match = /\/\s*(\d+)/.exec(text);
  if (!match) throw new Error(`no slide count in the bar: "${text}"`);
  return Number(match[1]);
}

/**
 * What the audience sees while presenting, measured: the blocks of the page on the current slide
 * (their tops inside the window), blocks of other slides that still take room or show (there should
 * be none), and the smallest body-text size on the slide, in screen pixels.
 */
export async function onScreen(page: Page): Promise<{shown: string[]; outside: string[]; leaked: string[]; smallestBodyPx: number}> {
  await allowNamedFunctions(page);
  return page.evaluate(() => {
    const main = document.getElementById("observablehq-main")!;
    const label = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
    const shown: string[] = [];
    const outside: string[] = [];
    const leaked: string[] = [];
    let smallestBodyPx = Infinity;
    for (const block of Array.from(main.children)) {
      const rect = block.getBoundingClientRect();
      const takesRoom = rect.width > 0 && rect.height > 0;
      if (block.hasAttribute("data-present-off")) {
        if (takesRoom || block.checkVisibility()) leaked.push(label(block));
        continue;
      }
      if (!takesRoom || !block.checkVisibility({visibilityProperty: true})) continue;
      shown.push(label(block));
      if (rect.top < -1 || rect.top > innerHeight - 8 || rect.left < -1 || rect.right > innerWidth + 1) outside.push(`${label(block)} at ${Math.round(rect.left)},${Math.round(rect.top)}–${Math.round(rect.right)},${Math.round(rect.bottom)}`);
      if (block.matches("p") && (block.textContent ?? "").trim()) {
        const px = parseFloat(getComputedStyle(block).fontSize) * ((block as HTMLElement & {currentCSSZoom?: number}).currentCSSZoom ?? 1);
        smallestBodyPx = Math.min(smallestBodyPx, px);
      }
    }
    return {shown, outside, leaked, smallestBodyPx};
  });
}
