// The exercises of src/bound.md: questions, answers and tolerances, known slips with their hints, worked answers.
// Kept out of the page so the unit tests can check every answer and slip.
import {priorTerm} from "../../lib/bound.js";
import {makeSchedule} from "../../lib/schedule.js";
import type {ExerciseSpec} from "../Exercise.js";

const T10 = makeSchedule({kind: "linear", T: 10, betaStart: 1e-4, betaEnd: 0.02});
const abar10 = T10.alphaBar[9];
const lt10 = priorTerm(T10, [1, 0])[0];

export const boundExercises: ExerciseSpec[] = [
  {
    id: "bound-term-count",
    question: String.raw`How many terms does the bound $L = L_T + \sum_{t=2}^{T} L_{t-1} + L_0$ have for the paper's $T = 1000$?`,
    answer: 1001,
    tolerance: 0,
    slips: [
      {match: 1000, hint: String.raw`close: count the values of $t$ in $t = 2, \dots, T$ again, then add $L_T$ and $L_0$`},
      {match: 999, hint: String.raw`that counts the terms $L_{t-1}$ only; the bound has $L_T$ and $L_0$ as well`},
      {match: 1002, hint: String.raw`close: the sum starts at $t = 2$, so it has $T - 1$ terms $L_{t-1}$, not $T$`}
    ],
    worked: String.raw`One prior term $L_T$, the KL terms $L_{t-1}$ for $t = 2 \dots 1000$ (that is $L_1 \dots L_{999}$, 999 of them), and the decoder $L_0$: $1 + 999 + 1 = 1001$. In general $T + 1$ — the ledger above has one entry per term.`
  },
  {
    id: "bound-lt-short",
    question: String.raw`With $T = 10$ steps of the linear schedule ($\beta$ from $10^{-4}$ to $0.02$), what is $L_T$ in nats for the single point $\x_0 = (1, 0)$?`,
    answer: lt10,
    tolerance: 0.02,
    worked: String.raw`First $\abar_{10} = \prod_{t=1}^{10}(1-\beta_t) = ${abar10.toFixed(4)}$ (the $\beta_t$ are evenly spaced, so $\sum\beta_t = 10 \cdot 0.01005 = 0.1005$ and $\abar_{10} \approx e^{-0.1005}$). Then by (B16) with $D = 2$ and $\|\x_0\|^2 = 1$: $L_T = \tfrac12\big[\abar_T - 2\abar_T - 2\log(1-\abar_T)\big] = \tfrac12\big[-${abar10.toFixed(4)} - 2\log ${(1 - abar10).toFixed(4)}\big] = ${lt10.toFixed(3)}$ nats — not negligible at all.`
  },
  {
    id: "bound-constant-term",
    question: "Which term of the bound can training not change?",
    answer: "L_T",
    choices: ["L_0", "L_{t−1} for some t ≥ 2", "L_T", "none: every term depends on θ"],
    worked: String.raw`$L_T = \KL(q(\x_T\mid\x_0)\,\|\,p(\x_T))$: $q(\x_T\mid\x_0)$ depends only on the fixed $\beta_t$, and $p(\x_T) = \N(\mathbf{0}, \I)$ has no parameters. $L_0$ and every $L_{t-1}$ depend on $\bfmu_\theta$. The paper notes this in Sec. 3.1 and ignores $L_T$ during training (it would matter if $\beta_t$ were learned).`
  }
];
