// A control's state in the URL: good values are read back as written, bad or stale ones give the
// default (or the nearest allowed value) and a message naming the field, the value and what is allowed.
import {test} from "node:test";
import assert from "node:assert/strict";
import {choiceParam, intParam, nearestParam, readParam, withParam} from "../../src/components/url-state.ts";

const t = intParam("t", {min: 0, max: 1000, fallback: 95});
const dataset = choiceParam("dataset", ["swiss-roll", "ring-8"] as const, {fallback: "swiss-roll"});

test("a value in range is read as written, and an absent one is the default without a message", () => {
  assert.deepEqual(readParam(t, "?t=200"), {value: 200});
  assert.deepEqual(readParam(t, "?dataset=ring-8"), {value: 95});
  assert.deepEqual(readParam(dataset, "?dataset=ring-8&t=3"), {value: "ring-8"});
});

test("t = 5000, text where a number goes, and an unknown dataset each give the default and say why", () => {
  const far = readParam(t, "?t=5000");
  assert.equal(far.value, 95);
  assert.equal(far.message, 'The link sets t to "5000", but t must be from 0 to 1000: showing the default, t = 95.');
  const text = readParam(t, "?t=abc");
  assert.equal(text.value, 95);
  assert.match(text.message!, /"abc", but t must be a whole number from 0 to 1000/);
  assert.match(readParam(t, "?t=2.5").message!, /whole number/);
  assert.match(readParam(t, "?t=").message!, /whole number/);
  const unknown = readParam(dataset, "?dataset=mnist");
  assert.equal(unknown.value, "swiss-roll");
  assert.equal(unknown.message, 'The link sets dataset to "mnist", but dataset must be one of swiss-roll, ring-8: showing the default, dataset = swiss-roll.');
  // A very long value is cut short in the message.
  assert.match(readParam(dataset, `?dataset=${"x".repeat(500)}`).message!, /"x{40}…"/);
});

test("a step between the saved ones reads as the nearest saved step, with a message", () => {
  const saved = nearestParam("t", [0, 1, 2, 5, 10, 20, 50, 100, 1000], {fallback: 10});
  assert.deepEqual(readParam(saved, "?t=20"), {value: 20});
  const between = readParam(saved, "?t=60");
  assert.equal(between.value, 50);
  assert.match(between.message!, /t = 60 is not one of the saved steps; the nearest is t = 50: showing t = 50\./);
  const outside = readParam(saved, "?t=5000");
  assert.equal(outside.value, 10);
  assert.match(outside.message!, /t must be from 0 to 1000: showing the default, t = 10/);
});

test("writing a parameter keeps the others, and null removes it", () => {
  assert.equal(withParam("?dataset=ring-8", "t", "200"), "?dataset=ring-8&t=200");
  assert.equal(withParam("?dataset=ring-8&t=5", "t", "200"), "?dataset=ring-8&t=200");
  assert.equal(withParam("?t=5", "t", null), "");
  assert.equal(withParam("", "dataset", "two moons"), "?dataset=two+moons");
});

test("a choice parameter must list its own default", () => {
  assert.throws(() => choiceParam("dataset", ["a", "b"], {fallback: "c" as "a"}), /fallback c is not one of a, b/);
  assert.throws(() => nearestParam("t", [], {fallback: 0}), /no allowed values/);
});
