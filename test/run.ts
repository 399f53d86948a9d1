// `npm test`: everything a fresh machine needs to trust a change, in order — the type check,
// the unit tests, the build (with its data loaders) and the browser tests of the built site.
// Prints each stage's output as it runs and, at the end, one line with the totals.
import {spawn} from "node:child_process";
import {readdirSync} from "node:fs";
import {ensureChromium} from "./chromium.ts";

interface Stage {
  name: string;
  command: string[];
  /** Counts tests from the node:test spec reporter's summary; stages without tests count as one check. */
  tests: boolean;
}

const files = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => `${dir}/${f}`);

const stages: Stage[] = [
  {name: "type check", command: ["node_modules/.bin/tsc", "--noEmit", "-p", "."], tests: false},
  {name: "unit tests", command: ["node", "--import", "tsx", "--test", "--test-reporter=spec", ...files("test/unit")], tests: true},
  {name: "model tests", command: ["node", "--import", "tsx", "--test", "--test-reporter=spec", ...files("test/model")], tests: true},
  {name: "build", command: ["node", "--import", "tsx", "scripts/build.ts"], tests: false},
  {
    name: "browser tests",
    command: ["node", "--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...files("test/browser")],
    tests: true
  }
];

function run(stage: Stage): Promise<{code: number; output: string}> {
  return new Promise((resolve) => {
    const child = spawn(stage.command[0], stage.command.slice(1), {
      env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", FORCE_COLOR: "0"},
      stdio: ["ignore", "pipe", "pipe"]
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("close", (code) => resolve({code: code ?? 1, output}));
  });
}

/** Finds (or, where it may, installs) the browser; a failure is one line saying what to run. */
function browserReady(): {code: number; output: string} {
  try {
    const path = ensureChromium();
    console.log(`Chromium: ${path}`);
    return {code: 0, output: ""};
  } catch (error) {
    console.error((error as Error).message);
    return {code: 1, output: ""};
  }
}

let passed = 0;
let failed = 0;
const lines: string[] = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name}: ${stage.command.join(" ").slice(0, 120)}…`);
  const start = performance.now();
  // The browser tests need a browser: found or installed first, or the stage fails in one line.
  const ready = stage.name === "browser tests" ? browserReady() : {code: 0, output: ""};
  const {code, output} = ready.code === 0 ? await run(stage) : {code: 1, output: ""};
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  if (stage.tests) {
    const pass = Number(/ℹ pass (\d+)/.exec(output)?.[1] ?? 0);
    const fail = Number(/ℹ fail (\d+)/.exec(output)?.[1] ?? 0) + (code !== 0 && !/ℹ fail [1-9]/.test(output) ? 1 : 0);
    passed += pass;
    failed += fail;
    lines.push(`${stage.name}: ${pass} passed, ${fail} failed (${seconds} s)`);
  } else {
    if (code === 0) passed += 1;
    else failed += 1;
    lines.push(`${stage.name}: ${code === 0 ? "ok" : `failed (exit ${code})`} (${seconds} s)`);
  }
  // A broken build leaves nothing for the browser tests to check.
  if (code !== 0 && stage.name === "build") break;
}
console.log(`\n${lines.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
