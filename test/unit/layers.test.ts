// The dependency rule of docs/architecture.md §1, read from the source: lib ← model ← components ←
// pages, loaders → lib and model; the math core has no DOM; the pages' checks are imported only by
// the layers that show them.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {dirname, join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The .ts files under a folder of src/, subfolders included, as paths from the repository root. */
function sources(folder: string): string[] {
  return (readdirSync(join(root, folder), {recursive: true}) as string[])
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => join(folder, f));
}

/** The source without comments, so that a word in a comment counts for nothing. */
function code(file: string): string {
  return readFileSync(join(root, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(file: string): string[] {
  const text = code(file);
  const found = [
    ...text.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?["']([^"']+)["']/g),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)
  ];
  return found.map((m) => m[1]);
}

/** Where a specifier leads: a path from the repository root for a relative one, else the package name. */
function target(file: string, specifier: string): string {
  return specifier.startsWith(".") ? relative(root, resolve(root, dirname(file), specifier)) : specifier;
}

/** [file, target] for every import of the files under `folder`. */
function imports(folder: string): [string, string][] {
  return sources(folder).flatMap((file) => specifiers(file).map((s): [string, string] => [file, target(file, s)]));
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const page = (path: string) => /^src\/[^/]+\.md$/.test(path);

test("the reader finds imports: the scan sees the files and their specifiers", () => {
  // Guards the test itself: a regular expression that matched nothing would pass everything below.
  assert.ok(sources("src/lib").includes("src/lib/checks/bound-check.ts"));
  const trainer = imports("src/model").filter(([file]) => file === "src/model/trainer.ts").map(([, to]) => to);
  assert.ok(trainer.includes("src/lib/loss-weights.js") && trainer.includes("src/model/adam.js"), trainer.join(", "));
  assert.ok(imports("src/components").some(([, to]) => to === "d3"));
});

test("src/lib imports only src/lib and the packages it is allowed (no tfjs, no DOM libraries)", () => {
  // d3-random: seeded generators only. A package added here must be pure computation.
  const packages = new Set(["d3-random"]);
  const wrong = imports("src/lib").filter(([, to]) => (to.startsWith("src/") ? !inside(to, "src/lib") : !packages.has(to)));
  assert.deepEqual(wrong, [], "lib reaches outside the math core");
});

test("the math core does not import the pages' checks; the model layer does not either", () => {
  const core = imports("src/lib").filter(([file]) => !inside(file, "src/lib/checks"));
  const wrong = [...core, ...imports("src/model")].filter(([, to]) => inside(to, "src/lib/checks"));
  assert.deepEqual(wrong, []);
});

test("src/model imports no components, loaders or pages", () => {
  const wrong = imports("src/model").filter(([, to]) => inside(to, "src/components") || inside(to, "src/data") || page(to));
  assert.deepEqual(wrong, []);
});

test("src/components imports no loaders or pages; loaders import no components or pages", () => {
  const components = imports("src/components").filter(([, to]) => inside(to, "src/data") || page(to));
  const loaders = imports("src/data").filter(([, to]) => inside(to, "src/components") || page(to));
  assert.deepEqual([...components, ...loaders], []);
});

test("src/lib uses no DOM: no document, window, navigator or HTML element types", () => {
  const dom = /\b(?:document|window|navigator|localStorage|HTMLElement|SVGElement)\b/;
  const wrong = sources("src/lib").filter((file) => dom.test(code(file)));
  assert.deepEqual(wrong, []);
  assert.ok(dom.test(code("src/components/common.ts")), "the pattern finds DOM use where there is some");
});
