// The exercises of src/l-simple.md: questions, answers and tolerances, known slips with their hints, worked answers.
// Kept out of the page so the unit tests can check every answer and slip.
import {trueBoundWeight} from "../../lib/posterior.js";
import {lambdaExtremes, varianceConstant} from "../../lib/checks/lsimple-check.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../lib/schedule.js";
import {texNumber} from "../tex.js";
import type {ExerciseSpec} from "../Exercise.js";

const schedule = makeSchedule(DEFAULT_SCHEDULE);
const lambda500 = trueBoundWeight(schedule, 500, "beta");
const b500 = schedule.beta[499];
const ab500 = schedule.alphaBar[499];
const extremes = lambdaExtremes(schedule, "betaTilde");
const c3 = varianceConstant(schedule, 3, "beta");
const r3 = schedule.betaTilde[2] / schedule.beta[2];

export const lSimpleExercises: ExerciseSpec[] = [
  {
    id: "lsimple-lambda-500",
    question: String.raw`With the paper's schedule and $\sigma_t^2 = \beta_t$, what is the weight $\lambda_{500}$ that $L_\text{simple}$ drops? Give 3 significant figures.`,
    answer: lambda500,
    tolerance: 0.003,
    slips: [
      {match: lambda500 * schedule.alpha[499], hint: String.raw`close: check the $1/\alpha_t$ factor — (S9) divides by $2\alpha_t(1-\abar_t)$, not by $2(1-\abar_t)$`},
      {match: 2 * lambda500, hint: String.raw`that is twice $\lambda_{500}$: check the 2 in the denominator, from the Gaussian's $1/(2\sigma_t^2)$`}
    ],
    worked: String.raw`$\beta_{500} = 10^{-4} + 499\cdot\frac{0.02 - 10^{-4}}{999} = ${b500.toFixed(6)}$, and $\abar_{500} = \prod_{s\le 500}(1-\beta_s) = ${ab500.toFixed(4)}$. With $\sigma_t^2 = \beta_t$, (S9) gives $\lambda_t = \frac{\beta_t}{2\alpha_t(1-\abar_t)} = \frac{${b500.toFixed(6)}}{2\cdot ${(1 - b500).toFixed(6)}\cdot ${(1 - ab500).toFixed(4)}} = ${lambda500.toFixed(6)}$ — about 1/180: a term at $t = 500$ counts for little in the bound.`
  },
  {
    id: "lsimple-largest-weight",
    question: String.raw`With $\sigma_t^2 = \btilde_t$, which of the terms $L_{t-1}$, $t \ge 2$, has the largest weight $\lambda_t$ in the bound?`,
    answer: "t = 2",
    choices: ["t = 2", "t ≈ 350", "t = 500", "t = T = 1000"],
    worked: String.raw`$\lambda_t = \frac{\beta_t}{2\alpha_t(1-\abar_{t-1})}$. At $t = 2$, $1-\abar_1 = \beta_1$, so $\lambda_2 \approx \beta_2/(2\beta_1) = ${texNumber(extremes.max)}$. As $t$ grows, $1-\abar_{t-1}$ grows roughly like $(t-1)\beta$ and the weight falls like $1/(2(t-1))$, down to its minimum $${texNumber(extremes.min)}$ at $t = ${extremes.minT}$; after that $1-\abar_{t-1} \approx 1$ and $\lambda_t \approx \beta_t/2$ rises slowly with $\beta_t$, to $${texNumber(trueBoundWeight(schedule, 1000, "betaTilde"))}$ at $t = T$. The smallest-noise terms dominate the bound — exactly the ones $L_\text{simple}$ down-weights.`
  },
  {
    id: "lsimple-variance-constant-t3",
    question: String.raw`With $\sigma_t^2 = \beta_t$ and a perfect model ($\bfeps_\theta = \bfeps$, so $\bfmu_\theta = \mutilde_t$), $L_2$ (the term at $t = 3$) is still not zero on 2D data. What is it, in nats?`,
    answer: c3,
    tolerance: 0.02,
    slips: [{match: c3 / 2, hint: String.raw`that is half of it: the data are 2D, so $D/2 = 1$`}],
    worked: String.raw`Only the constant of (8) is left: $C = \frac{D}{2}(r - 1 - \log r)$ with $r = \btilde_3/\beta_3 = (1-\abar_2)/(1-\abar_3) = ${r3.toFixed(4)}$. With $D = 2$: $C = ${r3.toFixed(4)} - 1 - \log ${r3.toFixed(4)} = ${c3.toFixed(4)}$ nats. The model's Gaussian step is too wide: even the right mean cannot make it match the posterior, whose variance is only $\btilde_3 \approx 0.6\,\beta_3$. With $\sigma_t^2 = \btilde_t$ the constant is 0.`
  }
];
