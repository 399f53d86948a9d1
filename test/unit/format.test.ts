// The site's number formats: each branch against strings written out by hand.
import {test} from "node:test";
import assert from "node:assert/strict";
import {fmt, fmtFixed, fmtPercent, fmtPrecision, isPlainMagnitude} from "../../src/lib/format.ts";

test("fmt: significant digits with trailing zeros dropped; scientific below 1e-3 and from 1e5", () => {
  assert.equal(fmt(0.30058936), "0.3006");
  assert.equal(fmt(1.5), "1.5");
  assert.equal(fmt(-2.000001), "-2");
  assert.equal(fmt(0.001), "0.001");
  assert.equal(fmt(99999), "100000"); // four digits, then written out
  assert.equal(fmt(4.0358e-5), "4.04e-5");
  assert.equal(fmt(123456), "1.23e+5");
  assert.equal(fmt(4.0358e-5, 6), "4.0358e-5");
  assert.equal(fmt(0.0123456, 2), "0.012");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(NaN), "NaN");
  assert.equal(fmt(-Infinity), "-Infinity");
});

test("fmtPrecision keeps its digits; fmtFixed keeps its decimals; fmtPercent", () => {
  assert.equal(fmtPrecision(0.123, 4), "0.1230");
  assert.equal(fmtPrecision(9999.9, 4), "1.000e+4");
  assert.equal(fmtPrecision(12344, 4), "1.234e+4");
  assert.equal(fmtPrecision(0.000999, 4), "9.990e-4");
  assert.equal(fmtPrecision(0, 8), "0");
  assert.equal(fmtPrecision(Math.PI, 8), "3.1415927");
  assert.equal(fmtFixed(1.41421356), "1.414");
  assert.equal(fmtFixed(-0.5, 5), "-0.50000");
  assert.equal(fmtFixed(0.0004), "4.00e-4");
  assert.equal(fmtFixed(0), "0.000");
  assert.equal(fmtPercent(0.989), "99%");
  assert.equal(fmtPercent(0.42, 1), "42.0%");
  assert.equal(isPlainMagnitude(1e4), true);
  assert.equal(isPlainMagnitude(1e4, 1e4), false);
  assert.equal(isPlainMagnitude(NaN), false);
});
