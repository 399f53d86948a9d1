// Builds the site from a clean loader cache. Framework re-runs a data loader only when its
// output is missing, and never notices a change in a module the loader imports (docs/architecture.md §4.4), so
// the loaders' outputs are removed first; the `_node` bundles are kept because they are slow
// to rebuild and depend only on the lock file.
import {spawnSync} from "node:child_process";
import {rmSync} from "node:fs";
import {buildKernel} from "./build-kernel.ts";

const start = performance.now();
buildKernel(); // the WebAssembly kernel the training worker loads (rebuilt only when its source changed)
rmSync("src/.observablehq/cache/data", {recursive: true, force: true});
const result = spawnSync("node_modules/.bin/observable", ["build"], {
  stdio: "inherit",
  env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"}
});
if (result.status !== 0) process.exit(result.status ?? 1);
console.error(`build: ${((performance.now() - start) / 1000).toFixed(1)} s`);
