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

/** A table of the values at one step; rows carry data-code for the tests. */
export function NotationValues(values: NotationValue[], t: number): HTMLTableElement {
  const heads: [string, boolean][] = [["Symbol", false], ["In the code", false], ["Defined in", false], ["Code", true], ["Definition", true], ["Rel. diff.", true]];
  const head = html`<thead><tr>${heads.map(([text, numeric]) => html`<th scope="col" style=${numeric ? NUMERIC : null}>${text}</th>`)}</tr></thead>`;
  const row = (v: NotationValue) =>
    html`<tr data-code=${v.code}><td>${tex(v.tex)}</td><td><code>${v.code}</code></td><td>${v.source}</td><td style=${NUMERIC}>${fmtPrecision(v.fromCode, 8)}</td><td style=${NUMERIC}>${fmtPrecision(v.fromDefinition, 8)}</td><td style=${NUMERIC}>${v.relErr === 0 ? "0" : v.relErr.toExponential(1)}</td></tr>`;
  const caption = `At t = ${t}: the code's value, the definition's, and how far apart they are (relative).`;
  return html`<table class="notation-values" data-testid="notation-values" data-t=${String(t)} style="font-variant-numeric:tabular-nums"><caption>${caption}</caption>${head}<tbody>${values.map(row)}</tbody></table>`;
}
