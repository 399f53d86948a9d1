import {test} from "node:test";
import assert from "node:assert/strict";
import {checkAnswer} from "../../src/components/Exercise.ts";

test("numeric answers are checked within a relative tolerance, choices exactly", () => {
  assert.equal(checkAnswer({answer: 4.0358e-5, tolerance: 0.01}, "4.03e-5"), true);
  assert.equal(checkAnswer({answer: 4.0358e-5, tolerance: 0.01}, "4.2e-5"), false);
  assert.equal(checkAnswer({answer: -0.5}, "−0.5"), true);
  assert.equal(checkAnswer({answer: 0.5}, ""), false);
  assert.equal(checkAnswer({answer: 0.5}, "abc"), false);
  assert.equal(checkAnswer({answer: "β̃_t"}, "β̃_t"), true);
  assert.equal(checkAnswer({answer: "β̃_t"}, "β_t"), false);
});
