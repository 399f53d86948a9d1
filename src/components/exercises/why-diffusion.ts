// The exercises of src/why-diffusion.md: questions, answers and tolerances, known slips with their hints, worked answers.
// Kept out of the page so the unit tests can check every answer and slip.
import {expectedHighQualityFraction} from "../../lib/checks/why-diffusion.js";
import type {ExerciseSpec} from "../Exercise.js";

/** P(|z| ≤ 2) for one standard normal z, erf(√2): the 1D answer, a common slip for the 2D one. */
export const ONE_D_SHARE_2SD = 0.9544997361036416;

export const whyDiffusionExercises: ExerciseSpec[] = [
  {
    id: "why-hq-share",
    question: String.raw`What share of the points of one 2D Gaussian $\N(\bfmu, \sigma^2\I)$ lies within $2\sigma$ of its centre? (Give a number between 0 and 1.)`,
    answer: expectedHighQualityFraction(2),
    tolerance: 0.005,
    slips: [
      {match: ONE_D_SHARE_2SD, hint: String.raw`that is the share within $2\sigma$ in 1D; in 2D, $\|\x - \bfmu\|^2/\sigma^2$ is a $\chi^2$ with 2 degrees of freedom`},
      {match: 1 - Math.exp(-1), hint: String.raw`square the radius: within $2\sigma$ means $\|\x - \bfmu\|^2/\sigma^2 \le 4$`},
      {match: (value) => value > 1 && value <= 100, hint: "a share lies between 0 and 1; for a percentage, add the % sign"}
    ],
    worked: String.raw`$\|\x - \bfmu\|^2/\sigma^2$ is a sum of two squared standard normals, a $\chi^2$ with 2 degrees of freedom, which is exponential with mean 2: $P(\|\x-\bfmu\|^2/\sigma^2 \le u) = 1 - e^{-u/2}$. With $u = 4$: $1 - e^{-2} = ${expectedHighQualityFraction(2).toFixed(4)}$. For the $3\sigma$ circles of mode coverage, $1 - e^{-9/2} = ${expectedHighQualityFraction(3).toFixed(4)}$.`
  },
  {
    id: "why-collapse-kl",
    question: String.raw`A generator puts all its high-quality samples, in equal numbers, on 2 of the ring's 8 modes. What is the KL divergence of its mode shares from the uniform weights, in nats?`,
    answer: Math.log(4),
    tolerance: 0.01,
    slips: [{match: 2, hint: String.raw`that is in bits ($\log_2$); the question asks for nats ($\ln$)`}],
    worked: String.raw`The shares are $\hat p = (\tfrac12, \tfrac12, 0, \dots, 0)$ against $w_k = \tfrac18$: $\sum_k \hat p_k \log(\hat p_k/w_k) = 2 \cdot \tfrac12 \log(4) = \ln 4 \approx 1.386$ nats. Empty modes add nothing, which is why the number of modes covered is reported beside it.`
  },
  {
    id: "why-drift-direction",
    question: String.raw`Near a mode of the ring at small $t$, which way does the drift $\bfmu_\theta(\x_t, t) - \x_t$ of a well-trained DDPM point?`,
    answer: "towards the mode's centre",
    choices: ["towards the mode's centre", "away from the mode's centre", "towards the origin, whatever the mode", "it is zero near a mode"],
    worked: String.raw`By (W5) the drift is mostly $\frac{\beta_t}{\sqrt{\alpha_t}}\nabla\log q(\x_t)$, and near a narrow mode $\nabla \log q(\x_t) \approx -(\x_t - \sqrt{\abar_t}\bfmu_k)/(\abar_t\sigma^2 + 1 - \abar_t)$: up the density, towards the mode's (slightly shrunk) centre. The small $(1/\sqrt{\alpha_t} - 1)\x_t$ term points away from the origin. Set the slider above to $t = 20$ and look.`
  }
];
