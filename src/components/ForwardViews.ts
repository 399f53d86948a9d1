// The Forward page's live check as DOM. The numbers come from src/lib/checks/forward-check.ts;
// this file only shows them.
import type {ChainCheck, ResidualMoments} from "../lib/checks/forward-check.js";
import {CheckResult} from "./CheckResult.js";

const moments = (m: ResidualMoments) => `mean ${m.mean.toExponential(2)} (z = ${m.zMean.toFixed(2)}), variance ${m.variance.toPrecision(5)} (z = ${m.zVariance.toFixed(2)})`;

/** The chain (Eq. 2) against the jump (Eq. 4) at step `check.t`. */
export function chainCheckView(check: ChainCheck): HTMLElement {
  const t = check.t;
  return CheckResult({
    pass: check.pass,
    title: `t = ${t}: ${t} chain steps against one jump, ${check.n.toLocaleString("en")} points`,
    details: [
      `expected: mean 0, variance 1 − ᾱ_t = ${check.expectedVariance.toPrecision(5)}`,
      `chain (Eq. 2, ${t} steps): ${moments(check.chainMoments)}`,
      `jump (Eq. 4, one step): ${moments(check.jumpMoments)}`
    ]
  });
}
