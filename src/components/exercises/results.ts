// The exercises of src/results.md: questions, answers and tolerances, known slips with their hints, worked answers.
// Kept out of the page so the unit tests can check every answer and slip.
import {bitsPerDimToNats, CIFAR10_DIMS} from "../../lib/codelength.js";
import type {ExerciseSpec} from "../Exercise.js";

export const resultsExercises: ExerciseSpec[] = [
  {
    id: "results-nats-true-bound",
    question: String.raw`DDPM trained on the true bound $L$ reaches $3.70$ bits/dim on CIFAR-10 ($32 \times 32$ RGB images). How many nats is that per image?`,
    answer: bitsPerDimToNats(3.7),
    tolerance: 0.002,
    slips: [
      {match: 3.7 * CIFAR10_DIMS, tolerance: 0.005, hint: String.raw`that is bits per image; one bit is $\ln 2 \approx 0.693$ nats`},
      {match: (3.7 * CIFAR10_DIMS) / Math.LN2, hint: String.raw`that divides by $\ln 2$; one bit is $\ln 2 \approx 0.693$ nats, so multiply`},
      {match: bitsPerDimToNats(3.7) / 3, hint: String.raw`count the colour channels: $D = 32 \times 32 \times 3$`}
    ],
    worked: String.raw`Multiply by the $D = 3072$ dimensions to get bits per image, $11\,366.4$, then by $\ln 2$ nats per bit: $11\,366.4 \times 0.6931 = ${bitsPerDimToNats(3.7).toFixed(0)}$ nats.`
  },
  {
    id: "results-rmse",
    question: String.raw`The distortion's RMSE is 0.95 on the 0–255 scale. What is it on the model's scale, where pixels are mapped linearly to $[-1, 1]$? Give 3 significant figures.`,
    answer: (0.95 * 2) / 255,
    tolerance: 0.001,
    slips: [
      {match: (0.95 * 2) / 256, hint: String.raw`close: the 0–255 scale is 255 steps from end to end, not 256, so the map stretches by $2/255$`},
      {match: 0.95 / 255, tolerance: 0.01, hint: String.raw`that maps to $[0, 1]$; $[-1, 1]$ is twice as wide`}
    ],
    worked: String.raw`The map $[0, 255] \to [-1, 1]$ stretches by $2/255$, so $0.95 \times 2/255 = ${((0.95 * 2) / 255).toFixed(5)}$. Compare $\sqrt{\beta_1} = 0.01$, the standard deviation of the first forward step: the same order.`
  },
  {
    id: "results-is-data",
    question: "Which of the three CIFAR-10 metrics never looks at a real CIFAR-10 image, training or test?",
    answer: "IS",
    choices: ["IS", "FID", "NLL (bits/dim)"],
    worked: String.raw`The Inception Score (R1) uses only the samples and a classifier. FID (R2) compares sample features with data features, and the NLL (R3) is evaluated on test images.`
  }
];
