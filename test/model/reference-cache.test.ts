// The reference models' cache (src/data/reference-cache.ts): every committed entry was produced by
// the code that is here now, a cached entry is byte for byte what training produces, and the key
// follows the training code's imports.
import {test} from "node:test";
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DATASET_IDS} from "../../src/lib/datasets.ts";
import {readCached, sourceClosure} from "../../src/data/reference-cache.ts";
import {ledgerNoiseSeed} from "../../src/model/ledger.ts";
import {REFERENCE_LEDGER_POINTS, type ReferenceModel} from "../../src/model/reference.ts";

test("every dataset's cached reference model is current (else: npm run build, then commit data/reference-cache/)", () => {
  const stale = DATASET_IDS.filter((id) => readCached(id) === null);
  assert.deepEqual(stale, [], `stale or missing entries in data/reference-cache/: ${stale.join(", ")}`);
});

test("every reference model's bound carries its standard error, at most 0.05 nats, on its own noise", () => {
  const seeds = new Set<number>();
  for (const id of DATASET_IDS) {
    const cached = readCached(id);
    assert.ok(cached, `${id} is cached`);
    const {ledger} = JSON.parse(cached) as ReferenceModel;
    assert.equal(ledger.examples, REFERENCE_LEDGER_POINTS, id);
    assert.ok(Number.isFinite(ledger.totalStdErr) && ledger.totalStdErr > 0 && ledger.totalStdErr <= 0.05, `${id}: total ${ledger.total} ± ${ledger.totalStdErr}`);
    assert.equal(ledger.termStdErr.length, ledger.terms.length, id);
    assert.ok(ledger.termStdErr.every((v) => Number.isFinite(v) && v >= 0), id);
    assert.equal(ledger.seed, ledgerNoiseSeed(id), id);
    seeds.add(ledger.seed);
  }
  assert.equal(seeds.size, DATASET_IDS.length, "each dataset draws its own noise");
});

test("a cached reference model is byte-identical to one trained now (grid-25, through the loader)", () => {
  const cached = readCached("grid-25");
  assert.ok(cached, "grid-25 is cached");
  const trained = execFileSync("node", ["--import", "tsx", "-e", `
    const {trainReference} = await import("./src/data/reference-model.ts");
    process.stdout.write(JSON.stringify(await trainReference("grid-25")));`], {maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "ignore"]}).toString();
  assert.equal(trained.length, cached.length, "same length");
  assert.ok(trained === cached, "same bytes");
});

test("the key's source closure follows relative imports, type-only and re-exports included", () => {
  const dir = mkdtempSync(join(tmpdir(), "closure-"));
  writeFileSync(join(dir, "a.ts"), `import {b} from "./b.js";\nimport type {C} from "./c.js";\nimport * as tf from "@tensorflow/tfjs";\n`);
  writeFileSync(join(dir, "b.ts"), `export {d} from "./d.js";\nexport const b = 1;\n`);
  writeFileSync(join(dir, "c.ts"), `export type C = number;\n`);
  writeFileSync(join(dir, "d.ts"), `export const d = 2;\n`);
  writeFileSync(join(dir, "e.ts"), `export const e = 3;\n`);
  assert.deepEqual(sourceClosure(join(dir, "a.ts")).map((f) => f.slice(dir.length + 1)), ["a.ts", "b.ts", "c.ts", "d.ts"]);
  writeFileSync(join(dir, "f.ts"), `import {x} from "./missing.js";\n`);
  assert.throws(() => sourceClosure(join(dir, "f.ts")), /imports \.\/missing\.js, which was not found/);
});
