// A control's state in the URL: good values are read back as written, bad or stale ones give the
// default (or the nearest allowed value) and a message naming the field, the value and what is allowed.
import {test} from "node:test";
import assert from "node:assert/strict";
import {choiceParam, intParam, nearestParam, numberParam, pointParam, readParam, readParams, textParam, withParam} from "../../src/components/url-state.ts";

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

test("a text parameter keeps the words as written, and cuts a long one with a message", () => {
  const find = textParam("find", {maxLength: 10});
  assert.deepEqual(readParam(find, "?find=q%20sample"), {value: "q sample"});
  assert.deepEqual(readParam(find, ""), {value: ""});
  const long = readParam(find, "?find=posteriorMeanAndMore");
  assert.equal(long.value, "posteriorM");
  assert.match(long.message!, /find may hold at most 10 characters; the rest is left out: showing find = posteriorM\./);
});

test("a number with a step reads a value between two steps as the nearest one, with a message", () => {
  const seconds = numberParam("race-seconds", {min: 1, max: 10, fallback: 4, step: 0.5});
  assert.deepEqual(readParam(seconds, "?race-seconds=2.5"), {value: 2.5});
  assert.deepEqual(readParam(seconds, "?race-seconds=10"), {value: 10});
  const between = readParam(seconds, "?race-seconds=2.7");
  assert.equal(between.value, 2.5);
  assert.match(between.message!, /race-seconds must be in steps of 0\.5 from 1; the nearest is race-seconds = 2\.5: showing race-seconds = 2\.5\./);
  assert.equal(readParam(seconds, "?race-seconds=9.9").value, 10);
  assert.match(readParam(seconds, "?race-seconds=11").message!, /must be from 1 to 10: showing the default, race-seconds = 4\./);
});

test("a number and a point are read to the slider's precision; a point needs two coordinates in range", () => {
  const x0 = numberParam("x0", {min: -3, max: 3, fallback: 1, digits: 2});
  assert.deepEqual(readParam(x0, "?x0=-1.25"), {value: -1.25});
  assert.deepEqual(readParam(x0, "?x0=0.123456"), {value: 0.12});
  assert.equal(x0.format(0.1 + 0.2), "0.3");
  assert.match(readParam(x0, "?x0=7").message!, /x0 to "7", but x0 must be from -3 to 3: showing the default, x0 = 1\./);
  assert.match(readParam(x0, "?x0=abc").message!, /x0 must be a number from -3 to 3/);
  assert.match(readParam(x0, "?x0=").message!, /x0 must be a number/);
  const point = pointParam("xt", {limit: 4, fallback: null, digits: 3});
  assert.deepEqual(readParam(point, "?xt=1.5,-0.25"), {value: [1.5, -0.25]});
  assert.deepEqual(readParam(point, ""), {value: null});
  assert.equal(point.format([1.23456, -2]), "1.235,-2");
  // Without digits, a point is written exactly: a dragged point reads back bit for bit.
  const exact = pointParam("xt", {limit: 4, fallback: null});
  const dragged: [number, number] = [0.1 + 0.2, -Math.PI / 3];
  assert.deepEqual(readParam(exact, `?${new URLSearchParams({xt: exact.format(dragged)})}`).value, dragged);
  for (const bad of ["1.5", "1,2,3", "1,x", "9,0", ","]) {
    const read = readParam(point, `?xt=${bad}`);
    assert.equal(read.value, null, bad);
    assert.match(read.message!, /xt must be two numbers "x,y", each from -4 to 4/, bad);
  }
});

test("several parameters are read at once, with one message for each unusable one", () => {
  const params = {t: intParam("t", {min: 2, max: 1000, fallback: 30}), sigma: choiceParam("sigma", ["betaTilde", "beta"] as const, {fallback: "betaTilde"})};
  assert.deepEqual(readParams(params, "?t=40&sigma=beta"), {values: {t: 40, sigma: "beta"}, messages: []});
  const bad = readParams(params, "?t=1&sigma=gamma");
  assert.deepEqual(bad.values, {t: 30, sigma: "betaTilde"});
  assert.equal(bad.messages.length, 2);
  assert.match(bad.messages[0], /t must be from 2 to 1000/);
  assert.match(bad.messages[1], /sigma must be one of betaTilde, beta/);
});
