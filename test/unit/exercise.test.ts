import {test} from "node:test";
import assert from "node:assert/strict";
import {checkAnswer, checkFeedback, parseNumber, progressText, type ExerciseSpec} from "../../src/components/Exercise.ts";
import {boundExercises} from "../../src/components/exercises/bound.ts";
import {forwardExercises} from "../../src/components/exercises/forward.ts";
import {lSimpleExercises} from "../../src/components/exercises/l-simple.ts";
import {posteriorExercises} from "../../src/components/exercises/posterior.ts";
import {resultsExercises} from "../../src/components/exercises/results.ts";
import {ONE_D_SHARE_2SD, whyDiffusionExercises} from "../../src/components/exercises/why-diffusion.ts";

const PAGES: Record<string, ExerciseSpec[]> = {
  "why-diffusion": whyDiffusionExercises,
  forward: forwardExercises,
  posterior: posteriorExercises,
  bound: boundExercises,
  "l-simple": lSimpleExercises,
  results: resultsExercises
};
const ALL = Object.values(PAGES).flat();

function spec(id: string): ExerciseSpec {
  const found = ALL.find((s) => s.id === id);
  assert.ok(found, `no exercise ${id}`);
  return found;
}

/** The text of a slip's hint for `given`, or the feedback's status when it is not a slip. */
function hintFor(s: ExerciseSpec, given: string): string {
  const feedback = checkFeedback(s, given);
  return feedback.status === "slip" ? feedback.hint : `(${feedback.status})`;
}

test("numeric answers are checked within a relative tolerance, choices exactly", () => {
  assert.equal(checkAnswer({answer: 4.0358e-5, tolerance: 0.01}, "4.03e-5"), true);
  assert.equal(checkAnswer({answer: 4.0358e-5, tolerance: 0.01}, "4.2e-5"), false);
  assert.equal(checkAnswer({answer: -0.5}, "−0.5"), true);
  assert.equal(checkAnswer({answer: 0.5}, ""), false);
  assert.equal(checkAnswer({answer: 0.5}, "abc"), false);
  assert.equal(checkAnswer({answer: "β̃_t"}, "β̃_t"), true);
  assert.equal(checkAnswer({answer: "β̃_t"}, "β_t"), false);
});

test("numbers are read in the forms a reader types, and anything else says what it got and what it reads", () => {
  const read = (text: string) => {
    const result = parseNumber(text);
    assert.ok("value" in result, `${JSON.stringify(text)}: ${"error" in result ? result.error : ""}`);
    return result.value;
  };
  assert.equal(read("0.5"), 0.5);
  assert.equal(read(" .5 "), 0.5);
  assert.equal(read("−2"), -2);
  assert.equal(read("+2"), 2);
  assert.equal(read("1e-3"), 1e-3);
  assert.equal(read("1E-3"), 1e-3);
  assert.ok(Math.abs(read("7.45×10^-3") - 7.45e-3) < 1e-15);
  assert.ok(Math.abs(read("7.45 * 10^(-3)") - 7.45e-3) < 1e-15);
  assert.ok(Math.abs(read("7.45·10⁻³") - 7.45e-3) < 1e-15);
  assert.ok(Math.abs(read("7.45x10^{-3}") - 7.45e-3) < 1e-15);
  assert.equal(read("1/180"), 1 / 180);
  assert.equal(read("−1 / 4"), -0.25);
  assert.equal(read("86.5%"), 0.865);
  assert.equal(read("7 879"), 7879);
  for (const bad of ["abc", "0.5.1", "1/", "e-3", "two", "1,5"]) {
    const result = parseNumber(bad);
    assert.ok("error" in result, `${bad} should not be read`);
    assert.match(result.error, new RegExp(`could not read a number from “${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}”`));
    assert.match(result.error, /0\.5, −2, 1e-3/, "the error lists the forms that are read");
  }
  const comma = parseNumber("0,5");
  assert.ok("error" in comma && /use a point for decimals/.test(comma.error));
  const empty = parseNumber("  ");
  assert.ok("error" in empty && /type a number first/.test(empty.error));
  const zero = parseNumber("1/0");
  assert.ok("error" in zero && /divides by zero/.test(zero.error));
});

test("feedback says why: unreadable, a known slip, too high or too low; choices likewise", () => {
  const numeric: ExerciseSpec = {id: "t", question: "", worked: "", answer: 2, tolerance: 0.01, slips: [{match: 1, hint: "halved"}, {match: (v) => v < 0, hint: "negative"}]};
  assert.deepEqual(checkFeedback(numeric, "2.01"), {status: "correct"});
  assert.equal(checkFeedback(numeric, "zwei").status, "unreadable");
  assert.deepEqual(checkFeedback(numeric, "1.005"), {status: "slip", hint: "halved"});
  assert.deepEqual(checkFeedback(numeric, "-3"), {status: "slip", hint: "negative"});
  assert.deepEqual(checkFeedback(numeric, "2.5"), {status: "wrong", message: "too high"});
  assert.deepEqual(checkFeedback(numeric, "1.5"), {status: "wrong", message: "too low"});
  const choice: ExerciseSpec = {id: "c", question: "", worked: "", answer: "b", choices: ["a", "b", "c"], slips: [{match: "a", hint: "not a"}]};
  assert.deepEqual(checkFeedback(choice, "b"), {status: "correct"});
  assert.deepEqual(checkFeedback(choice, "a"), {status: "slip", hint: "not a"});
  assert.equal(checkFeedback(choice, "c").status, "wrong");
  assert.deepEqual(checkFeedback(choice, ""), {status: "unreadable", message: "choose an answer first"});
});

test("the page's progress line counts solved exercises and says when progress cannot be remembered", () => {
  assert.equal(progressText(0, 3, true), "0 of 3 exercises solved on this page");
  assert.equal(progressText(2, 3, true), "2 of 3 exercises solved on this page");
  assert.equal(progressText(1, 1, true), "1 of 1 exercise solved on this page");
  assert.match(progressText(1, 3, false), /^1 of 3 exercises solved on this page \(.*not let the page remember/);
});

test("every exercise on the site: a unique id, a worked answer, a choice among its choices, or a number whose 3-figure rounding is accepted", () => {
  assert.equal(new Set(ALL.map((s) => s.id)).size, ALL.length, "exercise ids must be unique (they are storage keys)");
  for (const [page, specs] of Object.entries(PAGES)) {
    assert.ok(specs.length > 0, `${page} has no exercises`);
    for (const s of specs) {
      assert.ok(s.worked.trim().length > 0, `${s.id}: no worked answer`);
      if (typeof s.answer === "string") {
        assert.ok(s.choices?.includes(s.answer), `${s.id}: the answer is not one of the choices`);
        assert.equal(checkFeedback(s, s.answer).status, "correct");
        for (const choice of s.choices!.filter((c) => c !== s.answer)) assert.notEqual(checkFeedback(s, choice).status, "correct", `${s.id}: ${choice}`);
      } else {
        assert.ok(Number.isFinite(s.answer), `${s.id}: answer ${s.answer}`);
        assert.equal(checkFeedback(s, String(s.answer)).status, "correct", `${s.id}: its own answer`);
        // An exact answer (a count, tolerance 0) is not rounded.
        if (s.tolerance !== 0) assert.equal(checkFeedback(s, s.answer.toPrecision(3)).status, "correct", `${s.id}: ${s.answer.toPrecision(3)}, three figures`);
      }
    }
  }
});

test("every known slip is rejected with its own hint, exactly and rounded to 3 figures, and never shadows the answer", () => {
  let slips = 0;
  for (const s of ALL) {
    for (const slip of s.slips ?? []) {
      slips++;
      if (typeof slip.match === "number") {
        // The slip's window and the answer's do not overlap.
        const answer = s.answer as number;
        const gap = Math.abs(slip.match - answer);
        assert.ok(gap > (s.tolerance ?? 0.01) * Math.abs(answer) + (slip.tolerance ?? s.tolerance ?? 0.01) * Math.abs(slip.match), `${s.id}: slip ${slip.match} overlaps the answer`);
        for (const given of s.tolerance === 0 ? [String(slip.match)] : [String(slip.match), slip.match.toPrecision(3)]) {
          assert.notEqual(checkFeedback(s, given).status, "correct", `${s.id}: the slip ${given} is accepted`);
          assert.equal(hintFor(s, given), slip.hint, `${s.id}: the slip ${given} does not get its hint`);
        }
      } else if (typeof slip.match === "string") {
        assert.ok(s.choices?.includes(slip.match) && slip.match !== s.answer, `${s.id}: slip ${slip.match} is not a wrong choice`);
        assert.equal(hintFor(s, slip.match), slip.hint);
      }
    }
  }
  assert.ok(slips >= 10, `only ${slips} slips on the site`);
});

test("λ₅₀₀ (σ² = β): the answer is accepted, the result without 1/α_t (−1.0 %) gets its hint, which the old 2 % tolerance accepted", () => {
  const s = spec("lsimple-lambda-500");
  // Independently of the site's schedule module: β linear from 1e-4 to 0.02 over T = 1000.
  const beta = (t: number) => 1e-4 + ((t - 1) * (0.02 - 1e-4)) / 999;
  let alphaBar = 1;
  for (let t = 1; t <= 500; t++) alphaBar *= 1 - beta(t);
  const exact = beta(500) / (2 * (1 - beta(500)) * (1 - alphaBar));
  const withoutAlpha = beta(500) / (2 * (1 - alphaBar));
  assert.ok(Math.abs((s.answer as number) - exact) < 1e-12 * exact, `answer ${s.answer} vs ${exact}`);
  assert.ok(Math.abs(exact - 0.00550343) < 5e-9, `λ₅₀₀ = ${exact}`);
  assert.ok(Math.abs(withoutAlpha / exact - 1 + 0.01004) < 1e-4, `the slip is ${((withoutAlpha / exact - 1) * 100).toFixed(3)} %`);
  assert.ok(Math.abs(withoutAlpha - exact) <= 0.02 * exact, "the old 2 % tolerance accepted the slip");
  for (const right of [String(exact), "0.00550", "5.50e-3", "0.005503"]) assert.equal(checkFeedback(s, right).status, "correct", right);
  for (const slip of [String(withoutAlpha), "0.00545", "5.448e-3"]) assert.match(hintFor(s, slip), /check the \$1\/\\alpha_t\$ factor/, slip);
  assert.match(hintFor(s, String(2 * exact)), /twice/);
  assert.deepEqual(checkFeedback(s, "0.006"), {status: "wrong", message: "too high"});
  assert.deepEqual(checkFeedback(s, "1/180"), {status: "wrong", message: "too high"}, "1/180 is the worked answer's 'about', +0.95 %");
});

test("RMSE on [−1, 1]: 0.95·2/255 is accepted, 0.95·2/256 (−0.39 %) gets its hint, which the old 1 % tolerance accepted", () => {
  const s = spec("results-rmse");
  const exact = (0.95 * 2) / 255;
  const slip = (0.95 * 2) / 256;
  assert.equal(s.answer, exact);
  assert.ok(Math.abs(slip / exact - 1 + 0.0039063) < 1e-6, `the slip is ${((slip / exact - 1) * 100).toFixed(3)} %`);
  assert.ok(Math.abs(slip - exact) <= 0.01 * exact, "the old 1 % tolerance accepted the slip");
  for (const right of [String(exact), "0.00745", "7.45e-3", "0.007451", "1.9/255"]) assert.equal(checkFeedback(s, right).status, "correct", right);
  for (const given of [String(slip), "0.00742", "7.422e-3", "1.9/256"]) assert.match(hintFor(s, given), /255 steps from end to end, not 256/, given);
  assert.match(hintFor(s, "0.00373"), /\[0, 1\]/);
});

test("the other slips' values: the two-step noise, bits against nats, the 1D share within 2σ", () => {
  const two = spec("forward-two-steps");
  assert.match(hintFor(two, "0.3"), /scales it by/);
  assert.match(hintFor(two, "0.72"), /square of the coefficient/);
  assert.equal(checkFeedback(two, "0.28").status, "correct");
  const nats = spec("results-nats-true-bound");
  assert.match(hintFor(nats, "11366.4"), /bits per image/);
  assert.match(hintFor(nats, "16398"), /divides by/);
  assert.match(hintFor(nats, "2626"), /colour channels/);
  assert.equal(checkFeedback(nats, "7879").status, "correct");
  // P(|z| ≤ 2) for a standard normal, by Simpson's rule on its density: the constant behind the 1D slip.
  const n = 2000;
  const h = 4 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = -2 + i * h;
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp((-x * x) / 2);
  }
  assert.ok(Math.abs((sum * h) / 3 / Math.sqrt(2 * Math.PI) - ONE_D_SHARE_2SD) < 1e-10);
  const share = spec("why-hq-share");
  assert.match(hintFor(share, "0.954"), /in 1D/);
  assert.match(hintFor(share, "86.5"), /between 0 and 1/);
  assert.equal(checkFeedback(share, "86.5%").status, "correct");
  assert.match(hintFor(spec("why-collapse-kl"), "2"), /bits/);
  assert.match(hintFor(spec("bound-term-count"), "1000"), /count the values of \$t\$/);
  assert.equal(checkFeedback(spec("bound-term-count"), "1001").status, "correct");
  assert.match(hintFor(spec("posterior-mean-xt-coefficient-t1"), "1"), /coefficient of \$\\x_0\$/);
  assert.equal(checkFeedback(spec("posterior-mean-xt-coefficient-t1"), "0").status, "correct");
});
