// `npm run bench`: builds the site, opens its bench page in Debian's Chromium (headless, WebGPU
// enabled where the browser has an adapter) and measures, on every tfjs backend that works
// here, what the Training page promises: training steps per second, sampling time, seconds of
// training to good samples, and memory (speed is measured here, never tested with timers:
// docs/architecture.md §7). Writes bench/out/report.json and report.md.
// Where /usr/bin/python3 has PyTorch, the same model's training step is measured there too.
import {execFileSync, spawnSync} from "node:child_process";
import {mkdirSync, writeFileSync} from "node:fs";
import os from "node:os";
import {launchBrowser, serveDist} from "../test/browser/harness.ts";

const quick = process.argv.includes("--quick");
if (!process.argv.includes("--no-build")) {
  const build = spawnSync("node", ["--import", "tsx", "scripts/build.ts"], {stdio: "inherit"});
  if (build.status !== 0) process.exit(build.status ?? 1);
}

type Row = Record<string, unknown>;
const report: {machine: Row; backends: Row[]; pytorch: Row | null; date: string} = {
  machine: {cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30)},
  backends: [],
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
  const probes: {name: string; ok: boolean; software?: boolean; detail: string}[] = await page.evaluate(async () => (await (window as any).__ddpmBench.probeAllBackends()).probes);
  for (const probe of probes) {
    const row: Row = {backend: probe.name, works: probe.ok, detail: probe.detail};
    report.backends.push(row);
    if (!probe.ok) continue;
    console.error(`bench: ${probe.name}…`);
    // Software WebGPU is ~100× slower than WASM here: measure it only at the small batch.
    const slow = probe.name === "webgpu" && probe.software;
    const run = (expr: string) =>
      page.evaluate(
        async ([name, code]) => {
          const {bench, tf} = (window as any).__ddpmBench;
          await tf.setBackend(name);
          return await new Function("bench", "tf", `return (async () => ${code})()`)(bench, tf);
        },
        [probe.name, expr] as const
      );
    row.msPerStep256 = await run("bench.msPerStep(tf, 256, {chunks: 5})");
    row.stepsPerSecond256 = 1000 / (row.msPerStep256 as number);
    if (slow) continue;
    row.msPerStep2048 = await run("bench.msPerStep(tf, 2048, {chunks: 5})");
    row.stepsPerSecond2048 = 1000 / (row.msPerStep2048 as number);
    const sampled = (await run("bench.sampleSeconds(tf, 2048, {maxSeconds: 30})")) as {seconds: number; extrapolated: boolean};
    row.sample2048Seconds = sampled.seconds;
    row.sample2048Extrapolated = sampled.extrapolated;
    // Time to quality needs a 1,000-point Algorithm 2 run (1,000 steps) per check: ~4 s on WASM,
    // but ~2 minutes on the plain-JavaScript backend, where it is not measured.
    const sampleBudget = (row.sample2048Seconds as number) / 2;
    if ((quick && probe.name !== "wasm") || sampleBudget > 20) {
      row.timeToQualityNote = `not measured: one quality check (1,000 samples) takes ~${sampleBudget.toFixed(0)} s on this backend`;
    } else {
      for (const dataset of ["ring-8", "swiss-roll"]) row[`timeToQuality:${dataset}`] = await run(`bench.timeToQuality(tf, "${dataset}", {budgetSeconds: ${quick ? 30 : 60}})`);
    }
    row.memoryAfter2000Steps = await run("bench.memoryAfter(tf, 2000)");
  }
} finally {
  await browser.close();
  server.close();
}

// PyTorch on the CPU as a reference column, when Debian's python3-torch is installed.
try {
  const out = execFileSync("/usr/bin/python3", ["scripts/bench-torch.py"], {encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000});
  report.pytorch = JSON.parse(out);
} catch (error) {
  report.pytorch = null;
  console.error(`bench: no PyTorch reference (${(error as Error).message.split("\n")[0]})`);
}

const fmt = (v: unknown, digits = 1) => (typeof v === "number" ? v.toFixed(digits) : "—");
const lines = [
  `# DDPM, live — benchmark (${report.date.slice(0, 10)})`,
  "",
  `Machine: ${report.machine.cpus} × ${report.machine.cpu}, ${report.machine.memoryGB} GB; ${report.machine.browser ?? ""}`,
  "",
  "| backend | ms/step @256 | steps/s @256 | ms/step @2048 | sample 2,048 × 1,000 steps (s) | ring: s to 2× floor (steps) | swiss roll: s to 2× floor (steps) | tensors after 2,000 steps | JS heap (MB) | vs PyTorch @256 |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
];
const torch256 = report.pytorch?.msPerStep256 as number | undefined;
for (const row of report.backends) {
  if (!row.works) {
    lines.push(`| ${row.backend} | not available: ${row.detail} | | | | | | | | |`);
    continue;
  }
  const ttq = (key: string) => {
    const r = row[key] as {seconds: number | null; steps: number | null} | undefined;
    return r ? (r.seconds === null ? "not reached in 60 s" : `${fmt(r.seconds)} (${r.steps})`) : row.timeToQualityNote ? "not measured" : "—";
  };
  const mem = row.memoryAfter2000Steps as {numTensors: number; heapMB: number | null} | undefined;
  const ratio = torch256 && typeof row.msPerStep256 === "number" ? `${fmt((row.msPerStep256 as number) / torch256)}×` : "—";
  lines.push(
    `| ${row.backend} | ${fmt(row.msPerStep256)} | ${fmt(row.stepsPerSecond256, 0)} | ${fmt(row.msPerStep2048)} | ${fmt(row.sample2048Seconds)}${row.sample2048Extrapolated ? " (extrapolated from 30 s)" : ""} | ${ttq("timeToQuality:ring-8")} | ${ttq("timeToQuality:swiss-roll")} | ${mem?.numTensors ?? "—"} | ${fmt(mem?.heapMB ?? undefined)} | ${ratio} |`
  );
}
if (report.pytorch) lines.push(`| PyTorch ${report.pytorch.version} (CPU, ${report.pytorch.threads} threads) | ${fmt(report.pytorch.msPerStep256)} | ${fmt(1000 / (report.pytorch.msPerStep256 as number), 0)} | ${fmt(report.pytorch.msPerStep2048)} | | | | | | 1.0× |`);
else lines.push("", "PyTorch reference: not measured (no python3-torch on this machine; `apt-get install python3-torch` adds the column).");
for (const row of report.backends) if (row.timeToQualityNote) lines.push("", `${row.backend}: time to quality ${row.timeToQualityNote}.`);
lines.push("", "Training runs on the page's main thread here (the Training page runs the same code in a worker). The quality threshold: energy distance between 1,000 samples (Algorithm 2, 1,000 steps) and 1,000 held-out points within 2× that between two independent data samples; checked every 250 steps, sampling time excluded.");
mkdirSync("bench/out", {recursive: true});
writeFileSync("bench/out/report.json", JSON.stringify(report, null, 2));
writeFileSync("bench/out/report.md", lines.join("\n") + "\n");
console.log(lines.join("\n"));
