// The exercises of src/posterior.md: questions, answers and tolerances, known slips with their hints, worked answers.
// Kept out of the page so the unit tests can check every answer and slip.
import {DEFAULT_SCHEDULE, makeSchedule} from "../../lib/schedule.js";
import type {ExerciseSpec} from "../Exercise.js";

const schedule = makeSchedule(DEFAULT_SCHEDULE);
const ratio2 = schedule.betaTilde[1] / schedule.beta[1];

export const posteriorExercises: ExerciseSpec[] = [
  {
    id: "posterior-betatilde-ratio-t2",
    question: String.raw`With the paper's schedule ($\beta_t$ linear from $10^{-4}$ to $0.02$, $T = 1000$), what is $\btilde_2 / \beta_2$? Give 3 significant figures.`,
    answer: ratio2,
    tolerance: 0.005,
    slips: [
      {match: 0.5, hint: String.raw`close, but that takes $\beta_2 = \beta_1$; $\beta_2$ is about 20% larger, and at $t = 2$ that matters`},
      {match: 1 / ratio2, hint: String.raw`that is $\beta_2 / \btilde_2$: the ratio asked for is the other way up`}
    ],
    worked: String.raw`By (P14), $\btilde_2/\beta_2 = (1-\abar_1)/(1-\abar_2)$. Here $1-\abar_1 = \beta_1 = 10^{-4}$ and $\beta_2 = 10^{-4} + (0.02 - 10^{-4})/999 \approx 1.1992 \times 10^{-4}$, so $1-\abar_2 = 1-(1-\beta_1)(1-\beta_2) = \beta_1 + \beta_2 - \beta_1\beta_2 \approx 2.1991 \times 10^{-4}$.

The ratio is $10^{-4}/2.1991 \times 10^{-4} \approx ${ratio2.toFixed(4)}$ (the site's schedule gives ${ratio2.toPrecision(6)}). Knowing $\x_0$ more than halves the variance of the step back at $t = 2$.`
  },
  {
    id: "posterior-variance-point-data",
    question: String.raw`If every data point is the same point $\mathbf{c}$ ($\x_0 = \mathbf{c}$ always), which fixed variance $\sigma_t^2$ makes $p_\theta(\x_{t-1} \mid \x_t)$ match the true reverse step?`,
    answer: "β̃ₜ",
    choices: ["βₜ", "β̃ₜ", "either: they are equal", "1 − ᾱₜ"],
    worked: String.raw`With $\x_0 = \mathbf{c}$ known in advance, conditioning on $\x_0$ adds nothing: $q(\x_{t-1} \mid \x_t) = q(\x_{t-1} \mid \x_t, \x_0 = \mathbf{c}) = \N(\mutilde_t(\x_t, \mathbf{c}), \btilde_t\I)$ by (6). So $\sigma_t^2 = \btilde_t$ is exact.

The other extreme, $\x_0 \sim \N(\mathbf{0}, \I)$, makes the true reverse variance $\beta_t$ (Sec. 3.2 of the paper). Real data lie between the two, and the paper found both choices work about equally well.`
  },
  {
    id: "posterior-mean-xt-coefficient-t1",
    question: String.raw`What is the coefficient of $\x_t$ in $\mutilde_t(\x_t, \x_0)$ at $t = 1$?`,
    answer: schedule.posteriorMeanCoef2[0],
    tolerance: 0.01,
    slips: [{match: 1, hint: String.raw`that is the coefficient of $\x_0$; the question asks for the one of $\x_t$`}],
    worked: String.raw`By (7) it is $\sqrt{\alpha_1}(1-\abar_0)/(1-\abar_1)$, and $\abar_0 = 1$ (an empty product), so it is $0$. The coefficient of $\x_0$ is $\sqrt{\abar_0}\,\beta_1/(1-\abar_1) = \beta_1/\beta_1 = 1$.

So $\mutilde_1(\x_1, \x_0) = \x_0$ and $\btilde_1 = 0$: given $\x_0$, the step back from $\x_1$ is certain — it lands on $\x_0$. That is why the last step of the bound, $L_0$, is a separate decoder term rather than a KL between Gaussians.`
  }
];
