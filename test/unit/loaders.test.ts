// The data loaders, run as the build runs them (node --import tsx), give valid, deterministic
// output: the same bytes twice, in the documented format, consistent with the math core.
import {test} from "node:test";
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {DATASET_IDS, sampleDataset} from "../../src/lib/datasets.ts";
import {decodeForwardDiffusion, encodeForwardDiffusion, snapshotTimesteps} from "../../src/lib/diffusion-format.ts";
import {forwardDiffusionFile, FORWARD_POINTS} from "../../src/data/forward-diffusion.ts";
import {residualMoments} from "../../src/lib/checks/forward-check.ts";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.ts";

const runLoader = (file: string, args: string[] = []) => execFileSync("node", ["--import", "tsx", file, ...args], {maxBuffer: 1 << 26});
const bufferOf = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

test("the Forward and Training pages name every dataset's file of the parameterized loaders", () => {
  const forward = readFileSync("src/forward.md", "utf8");
  const training = readFileSync("src/training.md", "utf8");
  for (const id of DATASET_IDS) {
    assert.ok(forward.includes(`FileAttachment("data/forward/${id}.bin")`), `forward.md lacks ${id}`);
    assert.ok(training.includes(`FileAttachment("data/reference/${id}.json")`), `training.md lacks ${id}`);
  }
});

test("a parameterized loader refuses an unknown dataset, naming the allowed ones", () => {
  assert.throws(() => execFileSync("node", ["--import", "tsx", "src/data/forward/[dataset].bin.ts", "--dataset=nope"], {stdio: "pipe"}), (error: Error & {stderr?: Buffer}) =>
    /unknown dataset "nope"; expected one of swiss-roll/.test(String(error.stderr)));
});

test("forward-diffusion loaders: byte-identical runs, documented format, under 1 MB", () => {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  for (const id of DATASET_IDS) {
    const bytes = runLoader("src/data/forward/[dataset].bin.ts", [`--dataset=${id}`]);
    assert.ok(Buffer.from(forwardDiffusionFile(id)).equals(bytes), `${id}: two runs differ`);
    assert.ok(bytes.length < 1_000_000, `${id}: ${bytes.length} bytes`);
    const d = decodeForwardDiffusion(bufferOf(bytes));
    assert.equal(d.points, FORWARD_POINTS);
    assert.equal(d.dim, 2);
    assert.ok(d.timesteps.length >= 35 && d.timesteps.length <= 40, `${d.timesteps.length} snapshots`);
    assert.equal(d.timesteps[0], 0);
    assert.equal(d.timesteps.at(-1), 1000);
    // Denser at small t: a quarter of the snapshots lie in the first 10% of the steps.
    assert.ok(d.timesteps.filter((t) => t <= 100).length >= d.timesteps.length / 4);
    // Snapshot 0 is the dataset itself, in float32.
    assert.deepEqual(d.snapshots[0], Float32Array.from(sampleDataset(id, FORWARD_POINTS, 1)));
    // Each later snapshot is a draw of q(x_t|x_0) (Eq. 4): residuals within 4 standard errors.
    for (const k of [5, 20, d.timesteps.length - 1]) {
      const m = residualMoments(schedule, d.snapshots[0], d.snapshots[k], d.timesteps[k]);
      assert.ok(m.pass, `${id} t=${d.timesteps[k]}: z = ${m.zMean}, ${m.zVariance}`);
    }
  }
});

test("the forward-diffusion format round-trips and refuses a truncated file", () => {
  const snapshots = [new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8])];
  const bytes = encodeForwardDiffusion({timesteps: [0, 10], points: 2, dim: 2, snapshots});
  const d = decodeForwardDiffusion(bufferOf(bytes));
  assert.deepEqual(d.timesteps, [0, 10]);
  assert.deepEqual(d.snapshots, snapshots);
  assert.throws(() => decodeForwardDiffusion(bufferOf(bytes.subarray(0, bytes.length - 4))), /header promises/);
  assert.deepEqual(snapshotTimesteps(1000, 5), [0, 63, 250, 563, 1000]);
});

test("schedules loader: both schedules at T = 1000, deterministic, matching the core", () => {
  const first = runLoader("src/data/schedules.json.ts");
  const json = JSON.parse(first.toString());
  assert.equal(json.linear.T, 1000);
  assert.equal(json.linear.alphaBar.length, 1000);
  assert.equal(json.cosine.beta.length, 1000);
  assert.ok(Math.abs(json.linear.alphaBar[999] - 4.0358e-5) < 1e-8, `ᾱ_T = ${json.linear.alphaBar[999]}`);
  assert.equal(json.linear.beta[0], 1e-4);
  assert.equal(json.linear.beta[999], 0.02);
  assert.equal(json.linear.betaTilde[0], 0);
  // SNR = ᾱ/(1 − ᾱ), checked from the file's own ᾱ at both ends.
  for (const t of [1, 1000]) {
    const a = json.linear.alphaBar[t - 1];
    assert.ok(Math.abs(json.linear.snr[t - 1] / (a / (1 - a)) - 1) < 1e-6, `SNR at t = ${t}`);
  }
  assert.ok(runLoader("src/data/schedules.json.ts").equals(first));
});

test("results loader: the three tables, every number finite or null", () => {
  const json = JSON.parse(runLoader("src/data/results.json.ts").toString());
  const ours = json.cifar10.rows.find((r: {model: string}) => /L_?\{?simple/.test(r.model));
  assert.ok(ours, "the L_simple row of Table 1");
  assert.equal(ours.FID, 3.17);
  assert.equal(ours.IS, 9.46);
  assert.ok(json.adm.rows.length >= 30);
  // DDPM's Table 2: six cells, two of each parameterisation blank (unstable).
  assert.equal(json.ablation.rows.length, 6);
  assert.equal(json.ablation.rows.filter((r: {unstable: boolean}) => r.unstable).length, 2);
});
