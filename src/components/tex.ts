import katex from "katex";
import {texMacros} from "../lib/tex-macros.js";
import "./katex-assets.js";

/** Renders TeX to an element from a `ts` cell, with the macros of the build-time renderer. */
export function tex(source: string, {display = false}: {display?: boolean} = {}): HTMLElement {
  const element = document.createElement(display ? "div" : "span");
  katex.render(source, element, {displayMode: display, throwOnError: false, macros: {...texMacros}});
  return element;
}

/** Display math: `texBlock(String.raw\`…\`)`. */
export function texBlock(source: string): HTMLElement {
  return tex(source, {display: true});
}
