// The Results page's logic: every cell of both tables is shown exactly as the data files (and the
// papers) print it, sorting puts empty cells last and keeps ties in the paper's order, every model
// has a family, and the codelength arithmetic of DDPM Sec. 4.3 holds.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {
  ablationCheck,
  ablationReading,
  ablationRow,
  admSpread,
  checkAblationRows,
  compareCells,
  decimalsOf,
  formatAblation,
  formatAblationIS,
  formatAdm,
  formatCifar,
  formatIS,
  formatNLL,
  formatPrinted,
  isDdpm,
  modelFamily,
  sortedOrder,
  type AblationKey,
  type AdmKey,
  type CifarKey,
  type ResultsTables
} from "../../src/lib/results.js";
import {bitsPerDimToNats, codelengthCheck, discretisedGaussianEntropy} from "../../src/lib/codelength.js";

const rawCifar = readFileSync("data/results/cifar10.json", "utf8");
const rawAdm = readFileSync("data/results/adm.json", "utf8");
const rawAblation = readFileSync("data/results/ablation.json", "utf8");
const tables = {cifar10: JSON.parse(rawCifar), adm: JSON.parse(rawAdm), ablation: JSON.parse(rawAblation)} as ResultsTables;

/** The literal text of every `"key": value` in a file, in order (numbers as written, or null). */
function literals(raw: string, key: string): string[] {
  return Array.from(raw.matchAll(new RegExp(`"${key}": (null|-?[0-9.]+)`, "g")), (m) => m[1]);
}

test("every numeric cell of the three tables is formatted exactly as the data file writes it", () => {
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
  const ablationKeys: AblationKey[] = ["IS", "ISStd", "FID"];
  for (const key of ablationKeys) {
    const written = literals(rawAblation, key);
    assert.equal(written.length, tables.ablation.rows.length, key);
    tables.ablation.rows.forEach((row, i) => assert.equal(formatAblation(row, key), written[i] === "null" ? "–" : written[i], `${row.prediction} ${row.objective} ${key}`));
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

test("Table 2 (the ablation): its cells as printed, and its two ε rows with fixed Σ are Table 1's DDPM rows", () => {
  const rows = tables.ablation.rows;
  // The paper's grid: two parameterisations × {L learned Σ, L fixed Σ, unweighted MSE}, two cells blank.
  assert.deepEqual(rows.map((r) => `${r.prediction} ${r.loss} ${r.variance}`), [
    "mu bound learned diagonal",
    "mu bound fixed isotropic",
    "mu mse fixed isotropic",
    "eps bound learned diagonal",
    "eps bound fixed isotropic",
    "eps mse fixed isotropic"
  ]);
  assert.deepEqual(rows.map(formatAblationIS), ["7.28 ± 0.10", "8.06 ± 0.09", "–", "–", "7.67 ± 0.13", "9.46 ± 0.11"]);
  assert.deepEqual(rows.map((r) => formatAblation(r, "FID")), ["23.69", "13.22", "–", "–", "13.51", "3.17"]);

  // An independent cross-check: Table 1, read from its own file, holds the same two models.
  const t1 = (model: string) => JSON.parse(rawCifar).rows.find((r: {model: string}) => r.model === model);
  const simple = ablationRow(tables, "eps", "mse", "fixed isotropic");
  assert.match(simple.objective, /L_simple/);
  assert.deepEqual([simple.IS, simple.ISStd, simple.FID], [t1("Ours (L_simple)").IS, t1("Ours (L_simple)").ISStd, t1("Ours (L_simple)").FID]);
  const bound = ablationRow(tables, "eps", "bound", "fixed isotropic");
  const t1Bound = t1("Ours (L, fixed isotropic Σ)");
  assert.deepEqual([bound.IS, bound.ISStd, bound.FID], [t1Bound.IS, t1Bound.ISStd, t1Bound.FID]);
  const check = ablationCheck(tables);
  assert.ok(check.pass, JSON.stringify(check));
  assert.equal(check.pairs.length, 2);

  // The check can fail: a Table 2 that disagrees with Table 1.
  const altered = structuredClone(tables);
  altered.ablation.rows[5].FID = 3.71;
  const failed = ablationCheck(altered);
  assert.equal(failed.pass, false);
  assert.deepEqual(failed.pairs.map((p) => p.same), [true, false]);
  assert.throws(() => ablationRow(tables, "mu", "mse", "learned diagonal"), /0 rows/);

  // The page's reading: L_simple is the best stable row, μ̃ on the bound with fixed Σ the next.
  const reading = ablationReading(tables);
  assert.equal(reading.best, simple);
  assert.equal(reading.runnerUp.FID, 13.22);
  assert.ok(Math.abs(reading.ratio - 13.22 / 3.17) < 1e-12);
  assert.equal(reading.muMse.unstable, true);
  assert.equal(reading.epsLearned.unstable, true);
});

test("Table 2's rows are validated: a bad field is named with what is allowed", () => {
  const rows = JSON.parse(rawAblation).rows as Record<string, unknown>[];
  checkAblationRows(rows);
  const bad = (change: (row: Record<string, unknown>) => void, message: RegExp) => {
    const copy = structuredClone(rows);
    change(copy[1]);
    assert.throws(() => checkAblationRows(copy), message);
  };
  bad((r) => (r.prediction = "x0"), /ablation row 1 .*prediction = "x0"; expected one of "mu", "eps"/);
  bad((r) => (r.FID = null), /FID = null; a stable row has a finite number/);
  bad((r) => (r.unstable = true), /IS = 8\.06; an unstable \(blank\) row has null/);
  bad((r) => (r.objectiveTex = ""), /objectiveTex = ""; expected a non-empty string/);
  assert.throws(() => checkAblationRows([]), /no rows/);
});

test("Table 5: ADM's precision and recall on ImageNet, as the data file holds them", () => {
  const spread = admSpread(tables, "ADM", "ImageNet");
  assert.deepEqual(spread.tasks, ["ImageNet 64×64", "ImageNet 128×128", "ImageNet 256×256", "ImageNet 512×512"]);
  // Recomputed from the raw rows: ADM's recall is 0.63, 0.65, 0.63, 0.60 and its precision 0.73, 0.70, 0.69, 0.73.
  const raw = JSON.parse(rawAdm).rows.filter((r: {model: string; dataset: string}) => r.model === "ADM" && r.dataset.startsWith("ImageNet"));
  assert.deepEqual(spread.recall, [Math.min(...raw.map((r: {recall: number}) => r.recall)), Math.max(...raw.map((r: {recall: number}) => r.recall))]);
  assert.deepEqual(spread.recall, [0.6, 0.65]);
  assert.deepEqual(spread.precision, [0.69, 0.73]);
  assert.throws(() => admSpread(tables, "ADM", "CIFAR"), /no ADM row/);
});
