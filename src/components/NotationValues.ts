// The Notation page's live table: each per-step quantity at one t, as the code holds it and as the
// paper's definition gives it (src/lib/checks/notation.ts), with the relative difference.
import {NOTATION_TOLERANCE, type NotationCheck, type NotationValue} from "../lib/checks/notation.js";
import {fmtPrecision} from "../lib/format.js";
import {html} from "htl";
import {CheckResult} from "./CheckResult.js";
import {tex} from "./tex.js";

/** The verdict at step t: every quantity agrees with its definition. */
export function notationCheckView(check: NotationCheck, t: number): HTMLElement {
  return CheckResult({
    pass: check.pass,
    title: `t = ${t}: ${check.values.length} quantities agree with their definitions`,
    details: [`largest relative difference ${check.worst.relErr.toExponential(1)} (${check.worst.code}); pass below ${NOTATION_TOLERANCE.toExponential(0)}`]
  });
}

const NUMERIC = "text-align:right;white-space:nowrap";

/**
 * Each quantity's symbol (TeX with the site's macros, src/components/tex-macros.ts) and the paper's
 * equation or section that defines it, by where the code keeps it (NotationValue.code).
 */
const SYMBOLS = new Map<string, {tex: string; source: string}>([
  ["s.beta[t − 1]", {tex: String.raw`\beta_t`, source: "Eq. 2; Sec. 4"}],
  ["s.alpha[t − 1]", {tex: String.raw`\alpha_t`, source: "Sec. 2, before Eq. 4"}],
  ["s.alphaBar[t − 1]", {tex: String.raw`\abar_t`, source: "Sec. 2; Eq. 4"}],
  ["s.oneMinusAlphaBar[t − 1]", {tex: String.raw`1 - \abar_t`, source: "Eq. 4"}],
  ["s.alphaBarPrev[t − 1]", {tex: String.raw`\abar_{t-1}`, source: "Eq. 7"}],
  ["s.betaTilde[t − 1]", {tex: String.raw`\btilde_t`, source: "Eq. 7"}],
  ["s.posteriorMeanCoef1[t − 1]", {tex: String.raw`\tfrac{\sqrt{\abar_{t-1}}\,\beta_t}{1-\abar_t}`, source: "Eq. 7 (x₀ in μ̃ₜ)"}],
  ["s.posteriorMeanCoef2[t − 1]", {tex: String.raw`\tfrac{\sqrt{\alpha_t}\,(1-\abar_{t-1})}{1-\abar_t}`, source: "Eq. 7 (xₜ in μ̃ₜ)"}],
  [`sigmaSquared(s, t, "betaTilde")`, {tex: String.raw`\sigma_t^2 = \btilde_t`, source: "Sec. 3.2"}],
  [`trueBoundWeight(s, t, "beta")`, {tex: String.raw`\lambda_t\ (\sigma_t^2 = \beta_t)`, source: "Eq. 12"}],
  [`trueBoundWeight(s, t, "betaTilde")`, {tex: String.raw`\lambda_t\ (\sigma_t^2 = \btilde_t)`, source: "Eq. 12"}],
  ["signalToNoise(s)[t − 1]", {tex: String.raw`\mathrm{SNR}(t)`, source: "ᾱₜ/(1 − ᾱₜ), not in the paper"}],
]);

function symbol(code: string): {tex: string; source: string} {
  const found = SYMBOLS.get(code);
  if (!found) throw new Error(`NotationValues: no symbol for ${JSON.stringify(code)}; known: ${[...SYMBOLS.keys()].join(", ")}`);
  return found;
}

/** A table of the values at one step; rows carry data-code for the tests. */
export function NotationValues(values: NotationValue[], t: number): HTMLTableElement {
  const heads: [string, boolean][] = [["Symbol", false], ["In the code", false], ["Defined in", false], ["Code", true], ["Definition", true], ["Rel. diff.", true]];
  const head = html`<thead><tr>${heads.map(([text, numeric]) => html`<th scope="col" style=${numeric ? NUMERIC : null}>${text}</th>`)}</tr></thead>`;
  const row = (v: NotationValue) => {
    const {tex: symbolTex, source} = symbol(v.code);
    return html`<tr data-code=${v.code}><td>${tex(symbolTex)}</td><td><code>${v.code}</code></td><td>${source}</td><td style=${NUMERIC}>${fmtPrecision(v.fromCode, 8)}</td><td style=${NUMERIC}>${fmtPrecision(v.fromDefinition, 8)}</td><td style=${NUMERIC}>${v.relErr === 0 ? "0" : v.relErr.toExponential(1)}</td></tr>`;
  };
  const caption = `At t = ${t}: the code's value, the definition's, and how far apart they are (relative).`;
  return html`<table class="notation-values" data-testid="notation-values" data-t=${String(t)} style="font-variant-numeric:tabular-nums"><caption>${caption}</caption>${head}<tbody>${values.map(row)}</tbody></table>`;
}
