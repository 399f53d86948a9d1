// The exercises of src/forward.md: questions, answers and tolerances, known slips with their hints, worked answers.
// Kept out of the page so the unit tests can check every answer and slip.
import {DEFAULT_SCHEDULE, makeSchedule} from "../../lib/schedule.js";
import type {ExerciseSpec} from "../Exercise.js";

const schedule = makeSchedule(DEFAULT_SCHEDULE);

export const forwardExercises: ExerciseSpec[] = [
  {
    id: "forward-abar-500",
    question: "With the paper's schedule, how much of a point's position survives at $t = 500$, i.e. what is $\\sqrt{\\bar\\alpha_{500}}$? (3 significant digits)",
    answer: schedule.sqrtAlphaBar[499],
    tolerance: 0.005,
    slips: [{match: schedule.alphaBar[499], hint: String.raw`that is $\bar\alpha_{500}$ itself; the position is scaled by its square root`}],
    worked: `$\\bar\\alpha_{500} = \\prod_{s=1}^{500} (1 - \\beta_s)$ with $\\beta_s$ linear from $10^{-4}$ to $0.02$. Summing logs, $\\log \\bar\\alpha_{500} \\approx -\\sum_s \\beta_s \\approx -500 \\cdot 0.0051 = -2.55$ (the exact sum of $\\log(1-\\beta_s)$ is ${Math.log(schedule.alphaBar[499]).toFixed(3)}$), so $\\bar\\alpha_{500} = ${schedule.alphaBar[499].toFixed(4)}$ and $\\sqrt{\\bar\\alpha_{500}} = ${schedule.sqrtAlphaBar[499].toFixed(3)}$.`
  },
  {
    id: "forward-variance-preserving",
    question: "Data with unit variance goes through one step of Eq. 2. What is the variance of $x_t$ afterwards?",
    answer: "1",
    choices: ["1 − β_t", "1", "1 + β_t", "β_t"],
    worked: "$\\mathrm{Var}(\\sqrt{1-\\beta_t}\\,x_{t-1} + \\sqrt{\\beta_t}\\,\\epsilon) = (1-\\beta_t)\\cdot 1 + \\beta_t \\cdot 1 = 1$: the shrinking by $\\sqrt{1-\\beta_t}$ exactly pays for the added noise. That is why the chain ends at $\\mathcal{N}(0, I)$ rather than blowing up."
  },
  {
    id: "forward-two-steps",
    question: "Two steps merge into one Gaussian (F4). With $\\alpha_t = 0.9$ and $\\alpha_{t-1} = 0.8$, what is the noise variance of $x_t$ given $x_{t-2}$?",
    answer: 0.28,
    tolerance: 0.001,
    slips: [
      {
        match: 0.3,
        hint: String.raw`the noise of step $t-1$ passes through step $t$, which scales it by $\sqrt{\alpha_t}$: its variance counts as $\alpha_t(1-\alpha_{t-1})$, not $1-\alpha_{t-1}$`
      },
      {match: 0.72, hint: String.raw`that is $\alpha_t\alpha_{t-1}$, the square of the coefficient of $x_{t-2}$; the noise's variance is the rest of 1`}
    ],
    worked: "The variances add: $\\alpha_t(1-\\alpha_{t-1}) + (1-\\alpha_t) = 0.9 \\cdot 0.2 + 0.1 = 0.28 = 1 - \\alpha_t\\alpha_{t-1} = 1 - 0.72$."
  }
];
