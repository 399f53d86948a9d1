// The Posterior page's grid check as DOM. The numbers come from src/lib/checks/posterior-check.ts;
// this file only shows them.
import type {PosteriorGridCheck} from "../lib/checks/posterior-check.js";
import {CheckResult} from "./CheckResult.js";

/**
 * Bayes' rule on a grid against μ̃ₜ and β̃ₜ of Eq. 7 at (t, x₀, xₜ); `slides` is the same grid
 * judged against the slides' variance βₜ, which the check should be able to tell apart.
 */
export function posteriorGridCheckView(at: {t: number; x0: number; xt: number; betaT: number}, check: PosteriorGridCheck, slides: PosteriorGridCheck): HTMLElement {
  const {t, x0, xt, betaT} = at;
  return CheckResult({
    pass: check.pass,
    title: `t = ${t}, x₀ = ${x0}, xₜ = ${xt}: Bayes' rule on a grid against μ̃ₜ and β̃ₜ of Eq. 7`,
    details: [
      `mean: grid ${check.grid.mean.toPrecision(10)}, μ̃ₜ ${check.closedMean.toPrecision(10)} (difference ${check.meanError.toExponential(1)} standard deviations)`,
      `variance: grid ${check.grid.variance.toExponential(8)}, β̃ₜ ${check.closedVariance.toExponential(8)} (relative error ${check.varianceError.toExponential(1)})`,
      `log of Bayes' denominator: grid ${check.grid.logNormaliser.toPrecision(10)}, log q(xₜ | x₀) of Eq. 4 ${check.expectedLogNormaliser.toPrecision(10)} (relative error ${check.normaliserError.toExponential(1)})`,
      `the slides' βₜ = ${betaT.toExponential(4)} as the variance: relative error ${slides.varianceError.toExponential(1)}, ${slides.pass ? "passes (the check cannot tell the two apart here)" : "fails, as it should (the check can tell a wrong variance)"}`
    ]
  });
}
