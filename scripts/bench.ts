// `npm run bench`: builds the site, opens its bench page in Debian's Chromium (headless, WebGPU
// enabled where the browser has an adapter) and measures, on every backend that works here (the
// tfjs backends and the WebAssembly SIMD kernel), what the Training page promises: training
// steps per second, sampling time, seconds of training to good samples, and memory (speed is
// measured here, never tested with timers: docs/architecture.md §7). Then the same
// model in PyTorch on the CPU with an optimised BLAS (scripts/bench-torch.ts), and the ratio of
// each row to it, computed within this run. Writes bench/out/report.json and report.md.
// Run it on a quiet machine: `flock /tmp/ddpm-heavy.lock npm run bench`.
import {spawnSync} from "node:child_process";
import {mkdirSync, writeFileSync} from "node:fs";
import os from "node:os";
import {launchBrowser, serveDist} from "../test/browser/harness.ts";
import {tfjsBackend, type BackendName, type BackendProbe} from "../src/model/backends.ts";
import {torchReference, type TorchReference} from "./bench-torch.ts";
import {SITE_USES_HELPER} from "../src/model/kernel/threads.ts";

const quick = process.argv.includes("--quick");
const withTorch = !process.argv.includes("--no-torch");
if (!process.argv.includes("--no-build")) {
  const build = spawnSync("node", ["--import", "tsx", "scripts/build.ts"], {stdio: "inherit"});
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const DATASETS = ["ring-8", "swiss-roll"] as const;
const budgetSeconds = quick ? 30 : 60;

type Row = Record<string, unknown> & {backend: BackendName; label: string; threads?: 1 | 2; works: boolean; detail: string};
interface TimeToQuality {
  seconds: number | null;
  steps: number | null;
}
const LABELS: Record<BackendName, string> = {webgpu: "tfjs WebGPU", webgl: "tfjs WebGL", kernel: "WASM SIMD kernel", wasm: "tfjs WASM", cpu: "tfjs CPU (JS)"};
const report: {machine: Record<string, unknown>; backends: Row[]; preferred: BackendName | null; pytorch: TorchReference | null; date: string} = {
  machine: {cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30)},
  backends: [],
  preferred: null,
  pytorch: null,
  date: new Date().toISOString()
};

const {server, origin} = await serveDist();
const browser = await launchBrowser(["--enable-unsafe-webgpu"]);
try {
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${origin}/bench`);
  await page.waitForFunction(() => (window as any).__ddpmBench, null, {timeout: 60_000});
  report.machine.browser = await page.evaluate(() => navigator.userAgent);
  const probed: {probes: BackendProbe[]; preferred: BackendName | null} = await page.evaluate(async () => await (window as any).__ddpmBench.probeAllBackends());
  report.preferred = probed.preferred;
  // The kernel is measured as the site runs it (SITE_USES_HELPER) and with the other thread count.
  const other = SITE_USES_HELPER ? (1 as const) : (2 as const);
  const variants = probed.probes.flatMap((probe) => (probe.name === "kernel" && probe.ok ? [{probe, threads: undefined}, {probe, threads: other}] : [{probe, threads: undefined}]));
  for (const {probe, threads} of variants) {
    const row: Row = {backend: probe.name, label: LABELS[probe.name], threads, works: probe.ok, detail: probe.detail};
    report.backends.push(row);
    if (!probe.ok) continue;
    // Software WebGPU is ~100× slower than WASM here: measure it only at the small batch.
    const slow = probe.name === "webgpu" && probe.software;
    const run = (expr: string) =>
      page.evaluate(
        async ([tfjsName, code]) => {
          const {bench, tf} = (window as any).__ddpmBench;
          await tf.setBackend(tfjsName);
          return await new Function("bench", "tf", `return (async () => ${code})()`)(bench, tf);
        },
        [tfjsBackend(probe.name, probed.probes), expr] as const
      );
    const on = `{backend: "${probe.name}"${threads ? `, threads: ${threads}` : ""}`;
    if (probe.name === "kernel") {
      const used = (await run(`bench.kernelThreads(tf, 2048, 2048, ${on}})`)) as {training: number; sampling: number};
      row.kernelThreads = used;
      row.label = `${LABELS.kernel}, ${used.training === used.sampling ? `${used.training} thread${used.training > 1 ? "s" : ""}` : `${used.training} thread(s) training, ${used.sampling} sampling`}`;
    }
    console.error(`bench: ${row.label}…`);
    row.msPerStep256 = await run(`bench.msPerStep(tf, 256, ${on}, chunks: 5})`);
    row.stepsPerSecond256 = 1000 / (row.msPerStep256 as number);
    if (slow) continue;
    row.msPerStep2048 = await run(`bench.msPerStep(tf, 2048, ${on}, chunks: 5})`);
    const sampled = (await run(`bench.sampleSeconds(tf, 2048, ${on}, maxSeconds: 30})`)) as {seconds: number; extrapolated: boolean};
    row.sample2048Seconds = sampled.seconds;
    row.sample2048Extrapolated = sampled.extrapolated;
    // Time to quality needs a 1,000-point Algorithm 2 run (1,000 steps) per check: ~4 s on WASM,
    // but ~2 minutes on the plain-JavaScript backend, where it is not measured.
    const sampleBudget = (row.sample2048Seconds as number) / 2;
    if ((quick && (probe.name !== probed.preferred || threads !== undefined)) || sampleBudget > 20) {
      row.timeToQualityNote = quick && sampleBudget <= 20 ? "not measured (--quick)" : `not measured: one quality check (1,000 samples) takes ~${sampleBudget.toFixed(0)} s on this backend`;
    } else {
      for (const dataset of DATASETS) row[`timeToQuality:${dataset}`] = await run(`bench.timeToQuality(tf, "${dataset}", ${on}, budgetSeconds: ${budgetSeconds}})`);
    }
    if (!threads) row.memoryAfter2000Steps = await run(`bench.memoryAfter(tf, 2000, ${on}})`);
  }
} finally {
  await browser.close();
  server.close();
}

if (withTorch) {
  try {
    report.pytorch = torchReference({datasets: DATASETS, budgetSeconds});
  } catch (error) {
    report.pytorch = {available: false, reason: (error as Error).message.split("\n")[0]};
  }
} else {
  report.pytorch = {available: false, reason: "not run (--no-torch)"};
}

// The comparison: one row per measurement, one column per backend, PyTorch, and the ratios.
const fmt = (v: unknown, digits = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—");
const working = report.backends.filter((r) => r.works);
const torch = report.pytorch?.available ? report.pytorch : null;
const ttq = (row: Row, dataset: string): TimeToQuality | undefined => row[`timeToQuality:${dataset}`] as TimeToQuality | undefined;
const measures: {label: string; value: (row: Row) => number | undefined; cell: (row: Row) => string; torch: number | null | undefined; torchCell: string}[] = [
  {label: "training step, batch 256 (ms)", value: (r) => r.msPerStep256 as number, cell: (r) => fmt(r.msPerStep256, 2), torch: torch?.rows.msPerStep256.value, torchCell: torch ? `${fmt(torch.rows.msPerStep256.value, 2)} (${torch.rows.msPerStep256.threads} thr)` : ""},
  {label: "training step, batch 2048 (ms)", value: (r) => r.msPerStep2048 as number, cell: (r) => fmt(r.msPerStep2048, 2), torch: torch?.rows.msPerStep2048.value, torchCell: torch ? `${fmt(torch.rows.msPerStep2048.value, 2)} (${torch.rows.msPerStep2048.threads} thr)` : ""},
  {
    label: "sampling 2,048 points × 1,000 steps (s)",
    value: (r) => r.sample2048Seconds as number,
    cell: (r) => `${fmt(r.sample2048Seconds, 2)}${r.sample2048Extrapolated ? " (extrapolated from 30 s)" : ""}`,
    torch: torch?.rows.sample2048Seconds.value,
    torchCell: torch ? `${fmt(torch.rows.sample2048Seconds.value, 2)} (${torch.rows.sample2048Seconds.threads} thr)` : ""
  },
  ...DATASETS.map((dataset) => {
    const theirs = torch?.timeToQuality.find((q) => q.dataset === dataset);
    const name = dataset === "ring-8" ? "ring" : "swiss roll";
    return {
      label: `${name}: s of training to 2× the energy floor (steps)`,
      value: (r: Row) => ttq(r, dataset)?.seconds ?? undefined,
      cell: (r: Row) => {
        const q = ttq(r, dataset);
        return q ? (q.seconds === null ? `not reached in ${budgetSeconds} s` : `${fmt(q.seconds, 2)} (${q.steps})`) : r.timeToQualityNote ? "not measured" : "—";
      },
      torch: theirs ? theirs.seconds : undefined,
      torchCell: theirs ? (theirs.seconds === null ? `not reached in ${budgetSeconds} s` : `${fmt(theirs.seconds, 2)} (${theirs.steps}, ${torch!.qualityThreads} thr)`) : ""
    };
  })
];
const preferred = working.find((r) => r.backend === report.preferred && !r.threads);
const ratio = (row: Row | undefined, m: (typeof measures)[number]) => {
  const ours = row ? m.value(row) : undefined;
  return typeof ours === "number" && typeof m.torch === "number" && m.torch > 0 ? `${(ours / m.torch).toFixed(2)}×` : "—";
};
/** The fastest backend of this run on a measurement, with its ratio to PyTorch and its name. */
const fastest = (m: (typeof measures)[number]) => {
  const timed = working.filter((r) => typeof m.value(r) === "number");
  if (!timed.length) return "—";
  const best = timed.reduce((a, b) => ((m.value(b) as number) < (m.value(a) as number) ? b : a));
  return `${ratio(best, m)} (${best.label})`;
};
const torchHeader = torch ? `PyTorch ${torch.version} CPU` : "PyTorch CPU";
const defaultLabel = preferred ? preferred.label : "site default";
const lines = [
  `# DDPM, live — benchmark (${report.date.slice(0, 10)})`,
  "",
  `Machine: ${report.machine.cpus} × ${report.machine.cpu}, ${report.machine.memoryGB} GB; ${report.machine.browser ?? ""}`,
  "",
  `The site trains on **${preferred ? preferred.label : "nothing"}** here (its automatic choice). Ratios are time ÷ PyTorch's time, from this run: below 1 the browser is faster.`,
  "",
  `| measurement | ${working.map((r) => r.label + (r === preferred ? " (site default)" : "")).join(" | ")} | ${torchHeader} | ${defaultLabel} ÷ PyTorch | fastest here ÷ PyTorch |`,
  `| --- | ${working.map(() => "---").join(" | ")} | --- | --- | --- |`,
  ...measures.map((m) => `| ${m.label} | ${working.map((r) => m.cell(r)).join(" | ")} | ${torch ? m.torchCell : "—"} | ${ratio(preferred, m)} | ${fastest(m)} |`)
];
if (torch) {
  lines.push("", `PyTorch: ${torch.blas}${torch.optimisedBlas ? "" : " — **the reference BLAS, not an optimised one: this column is not a fair reference**"}; best of 1 and 2 threads per row ("thr"), time to quality with ${torch.qualityThreads}.`);
} else {
  lines.push("", `PyTorch column empty: ${report.pytorch?.available === false ? report.pytorch.reason : "not measured"}.`);
}
lines.push(
  "",
  "| backend | works here | steps/s @256 | live tensors after 2,000 steps | JS heap (MB) |",
  "| --- | --- | --- | --- | --- |",
  ...report.backends.map((r) => {
    if (!r.works) return `| ${r.label} | no: ${r.detail} | | | |`;
    const mem = r.memoryAfter2000Steps as {numTensors: number; heapMB: number | null} | undefined;
    return `| ${r.label} | yes: ${r.detail} | ${fmt(r.stepsPerSecond256, 0)} | ${mem?.numTensors ?? "—"} | ${fmt(mem?.heapMB ?? undefined)} |`;
  })
);
for (const row of report.backends) if (row.timeToQualityNote) lines.push("", `${row.label}: time to quality ${row.timeToQualityNote}.`);
lines.push(
  "",
  "The default model throughout (x_t, 4 Fourier frequencies, a 32-wide time embedding, 3 × 128 ReLU; ≈40k parameters), Adam, the weights' moving average. Training steps: median of 5 chunks after a warm-up chunk. Sampling: Algorithm 2 from the untrained model. Time to quality: the site's default training (batch 512, learning rate 3e-3) until the energy distance between 1,000 samples (Algorithm 2, 1,000 steps, from the averaged weights) and 1,000 held-out points is within 2× the floor of two data samples; checked every 250 steps, the checks' sampling excluded. The browser runs on the page's main thread here (the Training page runs the same code in a worker); the kernel's second thread is a worker it starts."
);
mkdirSync("bench/out", {recursive: true});
writeFileSync("bench/out/report.json", JSON.stringify(report, null, 2));
writeFileSync("bench/out/report.md", lines.join("\n") + "\n");
console.log(lines.join("\n"));
