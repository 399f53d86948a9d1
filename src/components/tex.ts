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

/** A number as TeX, in scientific notation (4.0358 \times 10^{-5}) when it is small or large. */
export function texNumber(value: number, digits = 4): string {
  if (value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5)) return String(Number(value.toPrecision(digits)));
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
  return `${mantissa} \\times 10^{${Number(exponent)}}`;
}
