/**
 * The Notation page's live check: at a chosen t, every per-step quantity the site uses, read from
 * the code (Schedule's arrays and the functions that use them) and recomputed here from the paper's
 * definitions by the most direct route — ᾱ_t as a plain product, β_t from the linear formula — so
 * that a wrong index (t against t − 1) or a wrong formula in the code shows as a disagreement.
 */
import {trueBoundWeight} from "../posterior.js";
import {checkT, sigmaSquared, signalToNoise, type Schedule} from "../schedule.js";

export interface NotationValue {
  /** Where the code keeps it, as a reader would write it; the page names the symbol by it (NotationValues.ts). */
  code: string;
  fromCode: number;
  fromDefinition: number;
  /** |fromCode − fromDefinition| / |fromDefinition| (0 when both are 0). */
  relErr: number;
}

function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

/** β_s of a linear schedule straight from its definition (Sec. 4): evenly spaced from β_1 to β_T. */
function linearBeta(T: number, betaStart: number, betaEnd: number, t: number): number {
  return T === 1 ? betaStart : betaStart + ((betaEnd - betaStart) * (t - 1)) / (T - 1);
}

/**
 * Every per-step quantity at t, from the code and from its definition. The schedule must be a
 * linear one (the paper's), whose β_t has a closed form to recompute.
 */
export function notationValues(s: Schedule, t: number): NotationValue[] {
  checkT(s, t);
  if (s.spec.kind !== "linear") throw new Error(`notationValues recomputes a linear schedule, got ${s.spec.kind}`);
  const {betaStart = 1e-4, betaEnd = 0.02} = s.spec;
  const T = s.T;
  const beta = (u: number) => linearBeta(T, betaStart, betaEnd, u);
  let abar = 1;
  for (let u = 1; u <= t; u++) abar *= 1 - beta(u);
  const abarPrev = abar / (1 - beta(t));
  const b = beta(t);
  const a = 1 - b;
  const betaTilde = ((1 - abarPrev) * b) / (1 - abar);
  // σ_t² = β̃_t, except at t = 1 where β̃_1 = 0 and the site (like the authors' code) uses β̃_2.
  const betaTilde2 = (() => {
    const b1 = beta(1);
    const b2 = beta(2);
    return T >= 2 ? (b1 * b2) / (1 - (1 - b1) * (1 - b2)) : b1;
  })();
  const sigma2Tilde = t === 1 ? betaTilde2 : betaTilde;
  const i = t - 1;
  const rows: Omit<NotationValue, "relErr">[] = [
    {code: "s.beta[t − 1]", fromCode: s.beta[i], fromDefinition: b},
    {code: "s.alpha[t − 1]", fromCode: s.alpha[i], fromDefinition: a},
    {code: "s.alphaBar[t − 1]", fromCode: s.alphaBar[i], fromDefinition: abar},
    {code: "s.oneMinusAlphaBar[t − 1]", fromCode: s.oneMinusAlphaBar[i], fromDefinition: 1 - abar},
    {code: "s.alphaBarPrev[t − 1]", fromCode: s.alphaBarPrev[i], fromDefinition: abarPrev},
    {code: "s.betaTilde[t − 1]", fromCode: s.betaTilde[i], fromDefinition: betaTilde},
    {code: "s.posteriorMeanCoef1[t − 1]", fromCode: s.posteriorMeanCoef1[i], fromDefinition: (Math.sqrt(abarPrev) * b) / (1 - abar)},
    {code: "s.posteriorMeanCoef2[t − 1]", fromCode: s.posteriorMeanCoef2[i], fromDefinition: (Math.sqrt(a) * (1 - abarPrev)) / (1 - abar)},
    {code: `sigmaSquared(s, t, "betaTilde")`, fromCode: sigmaSquared(s, t, "betaTilde"), fromDefinition: sigma2Tilde},
    {code: `trueBoundWeight(s, t, "beta")`, fromCode: trueBoundWeight(s, t, "beta"), fromDefinition: (b * b) / (2 * b * a * (1 - abar))},
    {code: `trueBoundWeight(s, t, "betaTilde")`, fromCode: trueBoundWeight(s, t, "betaTilde"), fromDefinition: (b * b) / (2 * sigma2Tilde * a * (1 - abar))},
    {code: "signalToNoise(s)[t − 1]", fromCode: signalToNoise(s)[i], fromDefinition: abar / (1 - abar)}
  ];
  return rows.map((r) => ({...r, relErr: relErr(r.fromCode, r.fromDefinition)}));
}

/** Tolerance of the check: the definitions are recomputed in double precision by another route (see notationCheck). */
export const NOTATION_TOLERANCE = 1e-9;

/** notationCheck's verdict: every value, and the one furthest from its definition. */
export interface NotationCheck {
  pass: boolean;
  values: NotationValue[];
  worst: NotationValue;
}

/**
 * Passes when every quantity agrees with its definition to NOTATION_TOLERANCE relative. Rounding
 * alone leaves at most ~1e-12: the product for ᾱ_t accumulates ~t·1e-16, and 1 − ᾱ_t loses up to
 * four digits to cancellation at t = 1 (1 − ᾱ_1 = β_1 = 1e-4). A wrong index is off by a factor of
 * order β_t/ᾱ_t ≥ 1e-4 or more, far above it.
 */
export function notationCheck(s: Schedule, t: number): NotationCheck {
  const values = notationValues(s, t);
  const worst = values.reduce((w, v) => (v.relErr > w.relErr ? v : w));
  return {pass: worst.relErr <= NOTATION_TOLERANCE, values, worst};
}
