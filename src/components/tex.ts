import katex from "katex";
import {fmt, isPlainMagnitude} from "../lib/format.js";
import {texMacros} from "./tex-macros.js";
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

/** A number as TeX: fmt's digits, in scientific notation (4.0358 \times 10^{-5}) when it is small or large. */
export function texNumber(value: number, digits = 4): string {
  if (isPlainMagnitude(value)) return fmt(value, digits);
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
  return `${mantissa} \\times 10^{${Number(exponent)}}`;
}
