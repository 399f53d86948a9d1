// The PyTorch reference column of `npm run bench` (scripts/bench-torch.py does the measuring):
// finds Debian's PyTorch, gives it an optimised BLAS, writes the site's model and data for it, and
// runs it with 1 and with 2 threads, keeping the faster of the two for each measurement. Without
// PyTorch the column is empty and `reason` says why; without OpenBLAS the column is filled but
// flagged as measured against the reference BLAS, which is not a fair comparison.
import {execFileSync, spawnSync} from "node:child_process";
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {sampleDataset, heldOutDataset, type DatasetId} from "../src/lib/datasets.ts";
import {energyFloor} from "../src/lib/metrics.ts";
import {createRng} from "../src/lib/random.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../src/lib/schedule.ts";
import {initialParams, mlpLayout} from "../src/model/dense.ts";
import {DEFAULT_DENOISER, fourierFrequencies, inputWidth, timeEmbeddingTable} from "../src/model/denoiser.ts";
import {DEFAULT_TRAINING} from "../src/model/protocol.ts";
import {ancestralUpdates} from "../src/model/sampler.ts";

const PYTHON = "/usr/bin/python3"; // the interpreter that sees Debian's python3-torch
const CACHE = "node_modules/.cache/ddpm-bench/openblas-pthread";

export interface TorchRun {
  version: string;
  threads: number;
  blas: {libraries: string[]; openblas: string | null; torchBlas: string};
  msPerStep256?: number;
  msPerStep512?: number;
  msPerStep2048?: number;
  sample2048Seconds?: number;
  timeToQuality?: {dataset: DatasetId; seconds: number | null; steps: number | null; checks: [number, number, number][]; floor: number}[];
}

export type TorchReference =
  | {available: false; reason: string}
  | {
      available: true;
      version: string;
      /** What BLAS the runs loaded, in words (library path and OpenBLAS's own description). */
      blas: string;
      /** False when only the reference BLAS could be used: the column is then not a fair reference. */
      optimisedBlas: boolean;
      /** Each measurement: the best value and the thread count that gave it. */
      rows: Record<"msPerStep256" | "msPerStep512" | "msPerStep2048" | "sample2048Seconds", {value: number; threads: number}>;
      timeToQuality: NonNullable<TorchRun["timeToQuality"]>;
      qualityThreads: number;
      runs: TorchRun[];
    };

/**
 * A directory holding OpenBLAS's libblas.so.3 (pthread build), for LD_LIBRARY_PATH: from the cache,
 * else extracted from Debian's libopenblas0-pthread package (downloaded, not installed, so the
 * system's BLAS is untouched). Null with a reason when neither works.
 */
function openblasDir(): {dir: string | null; note: string} {
  const has = (dir: string) => existsSync(path.join(dir, "libblas.so.3"));
  if (has(CACHE)) return {dir: path.resolve(CACHE), note: `OpenBLAS from ${CACHE}`};
  const work = mkdtempSync(path.join(os.tmpdir(), "ddpm-openblas-"));
  try {
    execFileSync("apt-get", ["download", "libopenblas0-pthread"], {cwd: work, stdio: "pipe"});
    const deb = readdirSync(work).find((f) => f.endsWith(".deb"));
    if (!deb) throw new Error("apt-get download produced no .deb");
    execFileSync("dpkg-deb", ["-x", deb, "root"], {cwd: work, stdio: "pipe"});
    const lib = path.join(work, "root/usr/lib");
    const multiarch = readdirSync(lib).find((d) => existsSync(path.join(lib, d, "openblas-pthread/libblas.so.3")));
    if (!multiarch) throw new Error("the package holds no openblas-pthread/libblas.so.3");
    mkdirSync(path.dirname(CACHE), {recursive: true});
    cpSync(path.join(lib, multiarch, "openblas-pthread"), CACHE, {recursive: true, verbatimSymlinks: true});
    return {dir: path.resolve(CACHE), note: `OpenBLAS from Debian's libopenblas0-pthread, extracted into ${CACHE}`};
  } catch (error) {
    return {dir: null, note: `no OpenBLAS (${(error as Error).message.split("\n")[0]})`};
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
}

/** The site's default model, its inputs and the data, as the JSON that bench-torch.py reads. */
function writeInput(file: string, threads: number, datasets: readonly DatasetId[], budgetSeconds: number): void {
  const c = DEFAULT_TRAINING;
  const model = {...DEFAULT_DENOISER, seed: c.seed};
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const sizes = [inputWidth(model), ...model.hidden, 2];
  const n = 1000;
  writeFileSync(
    file,
    JSON.stringify({
      threads,
      seed: c.seed,
      sizes,
      fourierFeatures: model.fourierFeatures,
      fourierFrequencies: Array.from(fourierFrequencies(model.fourierFeatures)),
      timeEmbedding: model.timeEmbedding,
      embeddingTable: Array.from(timeEmbeddingTable(model.maxT ?? 1000, model.timeEmbedding)),
      theta: Array.from(initialParams(mlpLayout(sizes), createRng(model.seed))),
      sqrtAlphaBar: Array.from(schedule.sqrtAlphaBar),
      sqrtOneMinusAlphaBar: Array.from(schedule.sqrtOneMinusAlphaBar),
      ancestral: ancestralUpdates(schedule, c.sigma2Kind).map((u) => [u.t, u.a, u.b, u.c]),
      // tfjs's float32 ε, which the site's Adam uses (PyTorch's default is 1e-8).
      adam: {beta1: 0.9, beta2: 0.999, epsilon: 1e-7},
      weightAverage: 0.99,
      learningRate: c.learningRate,
      qualityBatch: c.batchSize,
      benchData: Array.from(sampleDataset("ring-8", 4000, 1)),
      quality: datasets.map((dataset) => ({
        dataset,
        data: Array.from(sampleDataset(dataset, c.points, c.seed)),
        heldOut: Array.from(heldOutDataset(dataset, n, c.seed)),
        floor: energyFloor(sampleDataset(dataset, 4000, c.seed + 104729), n, n),
        checkEvery: 250,
        budgetSeconds
      }))
    })
  );
}

function runPython(input: string, mode: "steps" | "quality", threads: number, blasDir: string | null): TorchRun {
  const env: NodeJS.ProcessEnv = {...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads)};
  if (blasDir) env.LD_LIBRARY_PATH = [blasDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  const out = spawnSync(PYTHON, ["scripts/bench-torch.py", input, mode], {env, encoding: "utf8", timeout: 900_000});
  if (out.status !== 0) throw new Error(`bench-torch.py ${mode} with ${threads} thread(s) failed: ${(out.stderr || out.error?.message || "").trim().split("\n").slice(-3).join(" / ")}`);
  return JSON.parse(out.stdout) as TorchRun;
}

/** Measures the PyTorch column; `datasets` are the time-to-quality data sets. */
export function torchReference({datasets, budgetSeconds = 60, log = console.error}: {datasets: readonly DatasetId[]; budgetSeconds?: number; log?: (line: string) => void}): TorchReference {
  const probe = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], {encoding: "utf8"});
  if (probe.error || probe.status !== 0) {
    return {available: false, reason: `${PYTHON} cannot import torch (apt-get install python3-torch adds this column)`};
  }
  const blas = openblasDir();
  log(`bench: PyTorch ${probe.stdout.trim()}, ${blas.note}`);
  mkdirSync("bench/out", {recursive: true});
  const runs: TorchRun[] = [];
  for (const threads of [1, 2]) {
    const input = `bench/out/torch-input-${threads}.json`;
    writeInput(input, threads, datasets, budgetSeconds);
    log(`bench: PyTorch steps and sampling, ${threads} thread(s)…`);
    runs.push(runPython(input, "steps", threads, blas.dir));
  }
  const best = (key: "msPerStep256" | "msPerStep512" | "msPerStep2048" | "sample2048Seconds") => {
    const winner = runs.reduce((a, b) => ((b[key] ?? Infinity) < (a[key] ?? Infinity) ? b : a));
    return {value: winner[key]!, threads: winner.threads};
  };
  const rows = {msPerStep256: best("msPerStep256"), msPerStep512: best("msPerStep512"), msPerStep2048: best("msPerStep2048"), sample2048Seconds: best("sample2048Seconds")};
  // Time to quality trains at the site's batch size: with the thread count that is faster there.
  const qualityThreads = rows.msPerStep512.threads;
  log(`bench: PyTorch time to quality, ${qualityThreads} thread(s)…`);
  const quality = runPython(`bench/out/torch-input-${qualityThreads}.json`, "quality", qualityThreads, blas.dir);
  runs.push(quality);
  const loaded = runs[0].blas;
  const optimisedBlas = Boolean(loaded.openblas) || loaded.libraries.some((l) => /openblas|mkl|blis/i.test(l));
  const blasText = `${loaded.openblas ?? "no OpenBLAS"} (${loaded.libraries.join(", ") || "no BLAS library mapped"})`;
  return {available: true, version: runs[0].version, blas: blasText, optimisedBlas, rows, timeToQuality: quality.timeToQuality ?? [], qualityThreads, runs};
}
