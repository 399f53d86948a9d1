// `npm test`: everything a fresh machine needs to trust a change — the type check, the unit and
// model tests, the build (with its data loaders) and the browser tests of the built site.
// Two lanes run side by side on the way to the browser tests (the machine has two cores):
// [browser found or installed, then the build] and [type check, unit tests, model tests]. A
// stage's output is printed whole when it ends, so the lanes do not interleave; the last line
// gives the totals.
import {spawn} from "node:child_process";
import {readdirSync} from "node:fs";

interface Stage {
  name: string;
  command: string[];
  /** Counts tests from the node:test spec reporter's summary; stages without tests count as one check. */
  tests: boolean;
}

interface Outcome {
  stage: Stage;
  code: number;
  seconds: number;
}

const files = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => `${dir}/${f}`);

const tsx = (...args: string[]) => ["node", "--import", "tsx", ...args];
const nodeTest = (...args: string[]) => tsx("--test", "--test-reporter=spec", ...args);

const browser: Stage = {name: "browser", command: tsx("test/chromium.ts"), tests: false};
const build: Stage = {name: "build", command: tsx("scripts/build.ts"), tests: false};
const checks: Stage[] = [
  {name: "type check", command: ["node_modules/.bin/tsc", "--noEmit", "-p", "."], tests: false},
  {name: "unit tests", command: nodeTest(...files("test/unit")), tests: true},
  {name: "model tests", command: nodeTest(...files("test/model")), tests: true}
];
const browserTests: Stage = {name: "browser tests", command: nodeTest("--test-concurrency=1", ...files("test/browser")), tests: true};

let passed = 0;
let failed = 0;
const lines: string[] = [];

function run(stage: Stage): Promise<Outcome> {
  console.log(`=== ${stage.name} started: ${stage.command.join(" ").slice(0, 110)}…`);
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(stage.command[0], stage.command.slice(1), {
      env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", FORCE_COLOR: "0"},
      stdio: ["ignore", "pipe", "pipe"]
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => {
      const seconds = (performance.now() - start) / 1000;
      console.log(`\n=== ${stage.name} (${seconds.toFixed(1)} s):\n${output}`);
      const outcome = {stage, code: code ?? 1, seconds};
      count(outcome, output);
      resolve(outcome);
    });
  });
}

function count({stage, code, seconds}: Outcome, output: string): void {
  if (stage.tests) {
    const pass = Number(/ℹ pass (\d+)/.exec(output)?.[1] ?? 0);
    const fail = Number(/ℹ fail (\d+)/.exec(output)?.[1] ?? 0) + (code !== 0 && !/ℹ fail [1-9]/.test(output) ? 1 : 0);
    passed += pass;
    failed += fail;
    lines.push(`${stage.name}: ${pass} passed, ${fail} failed (${seconds.toFixed(1)} s)`);
  } else {
    if (code === 0) passed += 1;
    else failed += 1;
    lines.push(`${stage.name}: ${code === 0 ? "ok" : `failed (exit ${code})`} (${seconds.toFixed(1)} s)`);
  }
}

async function lane(stages: Stage[], stopOnFailure: boolean): Promise<boolean> {
  for (const stage of stages) {
    const {code} = await run(stage);
    if (code !== 0 && stopOnFailure) return false;
  }
  return true;
}

const start = performance.now();
// The WebAssembly kernel both lanes load (model tests, the build's worker), rebuilt first if its source changed.
const kernel = await run({name: "kernel", command: tsx("scripts/build-kernel.ts"), tests: false});
// The browser tests need a browser and a built site; without either they are not run.
const [ready] = kernel.code === 0 ? await Promise.all([lane([browser, build], true), lane(checks, false)]) : [false];
if (ready) await run(browserTests);
else lines.push("browser tests: not run (no browser, or the build failed)");
console.log(`\n${lines.join("\n")}\ntotal: ${((performance.now() - start) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
