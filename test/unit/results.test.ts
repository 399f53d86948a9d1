// The Results page's logic: every cell of both tables is shown exactly as the data files (and the
// papers) print it, sorting puts empty cells last and keeps ties in the paper's order, every model
// has a family, and the codelength arithmetic of DDPM Sec. 4.3 holds.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {
  bitsPerDimToNats,
  codelengthCheck,
  compareCells,
  decimalsOf,
  discretisedGaussianEntropy,
  formatAdm,
  formatCifar,
  formatIS,
  formatNLL,
  formatPrinted,
  isDdpm,
  modelFamily,
  sortedOrder,
  type AdmKey,
  type CifarKey,
  type ResultsTables
} from "../../src/lib/results.js";

const rawCifar = readFileSync("data/results/cifar10.json", "utf8");
const rawAdm = readFileSync("data/results/adm.json", "utf8");
const tables = {cifar10: JSON.parse(rawCifar), adm: JSON.parse(rawAdm)} as ResultsTables;

/** The literal text of every `"key": value` in a file, in order (numbers as written, or null). */
function literals(raw: string, key: string): string[] {
  return Array.from(raw.matchAll(new RegExp(`"${key}": (null|-?[0-9.]+)`, "g")), (m) => m[1]);
}

test("every numeric cell of both tables is formatted exactly as the data file writes it", () => {
  const cifarKeys: CifarKey[] = ["IS", "ISStd", "FID", "NLLTest", "NLLTrain"];
  for (const key of cifarKeys) {
    const written = literals(rawCifar, key);
    assert.equal(written.length, tables.cifar10.rows.length, key);
    tables.cifar10.rows.forEach((row, i) => assert.equal(formatCifar(row, key), written[i] === "null" ? "" : written[i], `${row.model} ${key}`));
  }
  const admKeys: AdmKey[] = ["FID", "sFID", "precision", "recall"];
  for (const key of admKeys) {
    const written = literals(rawAdm, key);
    assert.equal(written.length, tables.adm.rows.length, key);
    tables.adm.rows.forEach((row, i) => assert.equal(formatAdm(row, key), written[i] === "null" ? "" : written[i], `${row.dataset} ${row.model} ${key}`));
  }
  // The trailing zeros JSON.parse dropped are back.
  const ebm = tables.cifar10.rows[0];
  assert.equal(ebm.IS, 8.3);
  assert.equal(formatCifar(ebm, "IS"), "8.30");
});

test("Table 1's composite cells read as in the paper", () => {
  const by = (model: string, group = "unconditional") => tables.cifar10.rows.find((r) => r.model === model && r.group === group)!;
  assert.equal(formatIS(by("Ours (L_simple)")), "9.46 ± 0.11");
  assert.equal(formatIS(by("SNGAN-DDLS")), "9.09 ± 0.10");
  assert.equal(formatIS(by("EBM", "conditional")), "8.30");
  assert.equal(formatIS(by("NCSNv2")), "");
  assert.equal(formatNLL(by("Ours (L_simple)")), "≤ 3.75 (3.72)");
  assert.equal(formatNLL(by("Ours (L, fixed isotropic Σ)")), "≤ 3.70 (3.69)");
  assert.equal(formatNLL(by("Gated PixelCNN")), "3.03 (2.90)");
  assert.equal(formatNLL(by("Sparse Transformer")), "2.80");
  assert.equal(formatNLL(by("Diffusion (original)")), "≤ 5.40");
  assert.equal(formatNLL(by("PixelIQN")), "");
});

test("decimals: shortest representation, at least the column's", () => {
  assert.equal(decimalsOf(8.3), 1);
  assert.equal(decimalsOf(14.73), 2);
  assert.equal(decimalsOf(3), 0);
  assert.throws(() => decimalsOf(1e-7), /exponent/);
  assert.throws(() => decimalsOf(NaN), /finite/);
  assert.equal(formatPrinted(37.9, 1), "37.9");
  assert.equal(formatPrinted(0.6, 2), "0.60");
  assert.equal(formatPrinted(14.73, 1), "14.73");
});

test("sorting: numbers numerically, empty cells last both ways, ties in the paper's order", () => {
  const values = [3.17, null, 2.67, 37.9, null, 3.17];
  assert.deepEqual(sortedOrder(values.length, (i) => values[i], "ascending"), [2, 0, 5, 3, 1, 4]);
  assert.deepEqual(sortedOrder(values.length, (i) => values[i], "descending"), [3, 0, 5, 2, 1, 4]);
  assert.ok(compareCells("BigGAN", "ADM", "ascending") > 0);
  assert.ok(compareCells("BigGAN", "ADM", "descending") < 0);
  assert.equal(compareCells(null, null, "ascending"), 0);
  // Sorting Table 1 by FID puts conditional StyleGAN2 + ADA first and DDPM's 3.17 second.
  const rows = tables.cifar10.rows;
  const order = sortedOrder(rows.length, (i) => rows[i].FID, "ascending");
  assert.deepEqual(order.slice(0, 2).map((i) => `${rows[i].model} ${rows[i].FID}`), ["StyleGAN2 + ADA (v1) 2.67", "Ours (L_simple) 3.17"]);
  assert.equal(rows[order[order.length - 1]].FID, null);
});

test("every model has a family; DDPM's rows are recognised", () => {
  for (const row of [...tables.cifar10.rows, ...tables.adm.rows]) assert.ok(modelFamily(row.model), row.model);
  assert.throws(() => modelFamily("GPT"), /no family recorded/);
  assert.deepEqual(tables.cifar10.rows.filter(isDdpm).map((r) => r.model), ["Ours (L, fixed isotropic Σ)", "Ours (L_simple)"]);
  assert.deepEqual(
    tables.adm.rows.filter(isDdpm).map((r) => r.dataset),
    ["LSUN Bedrooms 256×256", "LSUN Cats 256×256"]
  );
});

test("codelengths: bits/dim to nats, the Gaussian residual's bits, and the Sec. 4.3 check", () => {
  // 3.75 bits/dim × 3072 dims × ln 2.
  assert.ok(Math.abs(bitsPerDimToNats(3.75) - 7985.06) < 0.01, `${bitsPerDimToNats(3.75)}`);
  // A rounded Gaussian's entropy is ½ log₂(2πeσ²) + log₂(e)/(24σ²) up to a term of order σ⁻⁴
  // (0.003 bits at σ = 0.95): allowed 0.004/σ⁴, plus 1e-5 for the erfc approximation (1.2e-7 per bin). With bins far wider than σ it tends to 0.
  for (const sigma of [0.95, 2, 7.5]) {
    const approx = 0.5 * Math.log2(2 * Math.PI * Math.E * sigma * sigma) + Math.LOG2E / (24 * sigma * sigma);
    assert.ok(Math.abs(discretisedGaussianEntropy(sigma) - approx) < 0.004 / sigma ** 4 + 1e-5, `σ = ${sigma}: ${discretisedGaussianEntropy(sigma)} vs ${approx}`);
  }
  assert.ok(discretisedGaussianEntropy(0.01) < 1e-6);
  const check = codelengthCheck(tables);
  assert.ok(check.pass, JSON.stringify(check));
  assert.ok(Math.abs(check.sum - 3.75) < 1e-12);
  // A table with another NLL fails.
  const altered = structuredClone(tables);
  altered.cifar10.rows.find((r) => r.model === "Ours (L_simple)")!.NLLTest = 3.7;
  assert.equal(codelengthCheck(altered).pass, false);
});
