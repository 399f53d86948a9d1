import {test} from "node:test";
import assert from "node:assert/strict";
import {allowed, checkFields, checkNumber, formatBound} from "../../src/lib/validate.ts";
import {FIELDS} from "../../src/components/panel-fields.ts";

test("a number in range passes as typed, scientific notation and spaces included", () => {
  assert.deepEqual(checkNumber("0.002", FIELDS.learningRate), {value: 0.002});
  assert.deepEqual(checkNumber(" 3e-3 ", FIELDS.learningRate), {value: 0.003});
  assert.deepEqual(checkNumber("1E-5", FIELDS.learningRate), {value: 1e-5});
  assert.deepEqual(checkNumber("512", FIELDS.batchSize), {value: 512});
  assert.deepEqual(checkNumber(0, FIELDS.seed), {value: 0});
  assert.deepEqual(checkNumber("100000", FIELDS.ganSteps), {value: 100000});
});

test("the message names the field, the value as typed and the allowed range", () => {
  assert.equal(checkNumber("1e6", FIELDS.learningRate).error, "Learning rate: 1e6 is not allowed; choose a number between 1e-5 and 1 (1e-3 to 3e-3 works well)");
  assert.equal(checkNumber("1e9", FIELDS.ganSteps).error, "Steps: 1e9 is not allowed; choose a whole number from 1 to 100000");
  assert.equal(checkNumber("9000", FIELDS.batchSize).error, "Batch: 9000 is not allowed; choose a whole number from 1 to 8192");
});

test("empty, non-numeric, fractional and tiny values are refused, never turned into 0", () => {
  const empty = checkNumber("", FIELDS.seed);
  assert.equal(empty.value, undefined);
  assert.equal(empty.error, "Seed: the field is empty; choose a whole number from 0 to 999999");
  assert.doesNotMatch(empty.error!, /\(got \)/);
  assert.equal(checkNumber("abc", FIELDS.ganSteps).error, "Steps: “abc” is not a number; choose a whole number from 1 to 100000");
  assert.match(checkNumber("0x10", FIELDS.seed).error!, /“0x10” is not a number/);
  assert.match(checkNumber("Infinity", FIELDS.learningRate).error!, /is not a number/);
  assert.match(checkNumber("1e400", FIELDS.learningRate).error!, /too large/);
  assert.match(checkNumber("1.5", FIELDS.seed).error!, /Seed: 1\.5 is not a whole number/);
  // 1e-320 is a subnormal double, not 0: refused as below the range.
  assert.match(checkNumber("1e-320", FIELDS.learningRate).error!, /Learning rate: 1e-320 is not allowed; choose a number between 1e-5 and 1/);
  assert.match(checkNumber("-1", FIELDS.seed).error!, /Seed: -1 is not allowed/);
  assert.match(checkNumber("0", FIELDS.learningRate).error!, /Learning rate: 0 is not allowed/);
});

test("bounds are written as a reader would write them", () => {
  assert.equal(formatBound(1e-5), "1e-5");
  assert.equal(formatBound(0.001), "0.001");
  assert.equal(formatBound(1), "1");
  assert.equal(formatBound(2.5e6), "2.5e6");
  assert.equal(allowed(FIELDS.lsimpleSteps), "a whole number from 10 to 20000");
});

test("checkFields splits several fields into values and errors, in order", () => {
  const {values, errors} = checkFields([
    ["learningRate", "0.001", FIELDS.learningRate],
    ["batchSize", "abc", FIELDS.batchSize],
    ["seed", "", FIELDS.seed]
  ] as const);
  assert.deepEqual(values, {learningRate: 0.001});
  assert.deepEqual(errors.map((e) => e.key), ["batchSize", "seed"]);
});
