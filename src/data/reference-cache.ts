// A content-keyed cache for the reference models (src/data/reference/[dataset].json.ts), so a
// build retrains a model only when something that produces it has changed. The key hashes every
// source file the training imports (followed through relative imports from reference-model.ts),
// the installed tfjs versions, Node's major version and the dataset; the cache holds the loader's
// exact output, so a cached build is byte-identical to one that trains (test/model/reference-cache
// retrains one dataset and compares). The cache lives in the repository (data/reference-cache/)
// so that a clean clone builds without training; a build that trains writes the new entry there,
// and it is committed with the change that caused it.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
export const CACHE_DIR = join(root, "data/reference-cache");

/** The TypeScript files `entry` imports, directly or not, through relative specifiers (sorted). */
export function sourceClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = resolve(dirname(file), match[1]);
      const candidates = [target.replace(/\.js$/, ".ts"), target, `${target}.ts`];
      const found = candidates.find((c) => existsSync(c));
      if (!found) throw new Error(`${relative(root, file)} imports ${match[1]}, which was not found`);
      visit(found);
    }
  };
  visit(resolve(entry));
  return [...seen].sort();
}

/** Versions of the installed tfjs packages the training runs on. */
function tfjsVersions(): string {
  const require = createRequire(import.meta.url);
  return ["@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-backend-cpu"]
    .map((name) => `${name}@${require(`${name}/package.json`).version}`)
    .join(" ");
}

/** The cache key of one dataset's reference model (hex). */
export function referenceKey(dataset: string): string {
  const hash = createHash("sha256");
  hash.update(`dataset ${dataset}\nnode ${process.versions.node.split(".")[0]}\n${tfjsVersions()}\n`);
  for (const file of sourceClosure(join(here, "reference-model.ts"))) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

const paths = (dataset: string) => ({json: join(CACHE_DIR, `${dataset}.json`), key: join(CACHE_DIR, `${dataset}.key`)});

/** The cached output for `dataset` if its key is current, else null. */
export function readCached(dataset: string, key = referenceKey(dataset)): string | null {
  const {json, key: keyFile} = paths(dataset);
  if (!existsSync(json) || !existsSync(keyFile)) return null;
  return readFileSync(keyFile, "utf8").trim() === key ? readFileSync(json, "utf8") : null;
}

export function writeCached(dataset: string, output: string, key = referenceKey(dataset)): void {
  const {json, key: keyFile} = paths(dataset);
  mkdirSync(CACHE_DIR, {recursive: true});
  writeFileSync(json, output);
  writeFileSync(keyFile, `${key}\n`);
}
