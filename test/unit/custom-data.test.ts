import {test} from "node:test";
import assert from "node:assert/strict";
import {
  HELD_OUT_FRACTION,
  MAX_POINTS,
  MAX_TEXT_CHARS,
  MIN_POINTS,
  applyTransform,
  decodeTextFile,
  diffuseDataset,
  heldOutQuality,
  invertTransform,
  parsePointsText,
  prepareDataset,
  problemsText,
  splitDataset,
  standardise,
  validatePoints
} from "../../src/lib/custom-data.js";
import {describeTransform} from "../../src/components/your-data-words.js";
import {
  LINK_PARAM,
  MAX_LINK_CHARS,
  MAX_LINK_POINTS,
  decodeLink,
  decodeStored,
  encodeLink,
  encodeStored,
  formatPointsCsv,
  hashWithoutPayload,
  linkPayload
} from "../../src/lib/custom-data-keep.js";
import {sampleDataset} from "../../src/lib/datasets.js";
import {decodeForwardDiffusion, snapshotTimesteps} from "../../src/lib/diffusion-format.js";
import {energyDistance, energyFloor} from "../../src/lib/metrics.js";
import {createRng} from "../../src/lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../../src/lib/schedule.js";
import {forwardDiffusionFile} from "../../src/data/forward-diffusion.js";

/** n points of a skewed, offset cloud in "reader's units". */
function cloud(n: number, seed = 3): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    out[2 * j] = 120 + 40 * rng.normal();
    out[2 * j + 1] = -7 + 3 * rng.uniform();
  }
  return out;
}

const csv = (raw: ArrayLike<number>) => formatPointsCsv(raw);
const lines = (n: number, f = (j: number) => `${j},${(j * 7) % 13}`) => Array.from({length: n}, (_, j) => f(j)).join("\n");

function problems<T>(result: {ok: true; value: T} | {ok: false; problems: {line?: number; message: string}[]}): {line?: number; message: string}[] {
  assert.equal(result.ok, false, "expected the input to be refused");
  return (result as {ok: false; problems: {line?: number; message: string}[]}).problems;
}

test("parsePointsText reads comma, semicolon, tab and space separated pairs, skips blanks, comments and one header", () => {
  const text = ["# my points", "x, y", "1,2", "", "  3.5 ; -4  ", "5\t6", "7 8", ".5,1e-3", "\u22122,+3", "# end"].join("\r\n");
  const result = parsePointsText(text + "\n" + lines(40));
  assert.ok(result.ok, result.ok ? "" : problemsText(result.problems));
  if (!result.ok) return;
  assert.equal(result.value.header, "x, y");
  assert.deepEqual(Array.from(result.value.raw.subarray(0, 12)), [1, 2, 3.5, -4, 5, 6, 7, 8, 0.5, 0.001, -2, 3]);
  assert.equal(result.value.raw.length, 2 * (6 + 40));
});

test("parsePointsText: every bad line is named by its number, with what is wrong", () => {
  const good = lines(45);
  const cases: [string, number, RegExp][] = [
    ["1,abc", 1, /Line 1: y = "abc" is not a number/],
    ["1,2\n3", 2, /Line 2 has one value \("3"\); each line needs exactly two/],
    ["1,2\n3,4,5", 2, /Line 2 has 3 values/],
    ["1,2\n,4", 2, /Line 2: x is missing/],
    ["1,2\n1,", 2, /Line 2: y is missing/],
    ["1,2\n\n1,NaN", 3, /Line 3: y is NaN; every value must be a finite number/],
    ["1,2\nInfinity,1", 2, /Line 2: x is infinite/],
    ["1,2\n-inf,1", 2, /Line 2: x is infinite/],
    ["1,2\n1e400,1", 2, /Line 2: x = 1e400 is too large to be a finite number/],
    ["1,2\n0x10,1", 2, /Line 2: x = "0x10" is not a number/],
    ["x,y\n1,2\nx,y", 3, /Line 3: x = "x" is not a number/]
  ];
  for (const [bad, line, message] of cases) {
    const found = problems(parsePointsText(`${bad}\n${good}`));
    assert.equal(found[0].line, line, bad);
    assert.match(found[0].message, message, bad);
  }
  // Many bad lines: the first few are listed, then a count.
  const many = problems(parsePointsText(lines(60, (j) => `${j},oops`)));
  assert.equal(many.length, 60);
  assert.match(problemsText(many), /Line 1: y = "oops".*Line 5: .*… and 55 more problems\./);
});

test("counts outside MIN_POINTS … MAX_POINTS, empty text and over-long text are refused with the limit in words", () => {
  assert.match(problems(parsePointsText(""))[0].message, new RegExp(`There are no points\\. .*at least ${MIN_POINTS} points`));
  assert.match(problems(parsePointsText("  \n# only a comment\n"))[0].message, /There are no points/);
  assert.match(problems(parsePointsText("x,y\n"))[0].message, /There are no points/);
  assert.match(problems(parsePointsText(lines(MIN_POINTS - 1)))[0].message, new RegExp(`Only ${MIN_POINTS - 1} points; at least ${MIN_POINTS} are needed`));
  assert.ok(parsePointsText(lines(MIN_POINTS)).ok);
  assert.ok(parsePointsText(lines(MAX_POINTS)).ok);
  assert.match(problems(parsePointsText(lines(MAX_POINTS + 1)))[0].message, /5,001 points is more than the limit of 5,000/);
  assert.match(problems(parsePointsText("1,2\n".repeat(MAX_TEXT_CHARS / 4 + 1)))[0].message, /at most 1,000,000 are read/);
});

test("validatePoints refuses odd lengths, non-finite values and points all at one place", () => {
  const raw = cloud(50);
  assert.ok(validatePoints(raw).ok);
  assert.match(problems(validatePoints(raw.subarray(0, 99)))[0].message, /not a whole number of x,y pairs/);
  const bad = Float64Array.from(raw);
  bad[7] = NaN;
  assert.match(problems(validatePoints(bad))[0].message, /Point 4: y is NaN/);
  bad[7] = -Infinity;
  assert.match(problems(validatePoints(bad))[0].message, /Point 4: y is -Infinity/);
  assert.match(problems(validatePoints(new Float64Array(100).fill(3)))[0].message, /same place/);
  // A horizontal line has no y-variance but can still be scaled.
  assert.ok(validatePoints(Float64Array.from({length: 100}, (_, i) => (i % 2 ? 5 : i))).ok);
});

test("standardise: mean 0, the variance averaged over x and y exactly 1, one scale for both (the shape kept), and the transform inverts", () => {
  const raw = cloud(500);
  const {points, transform, variances} = standardise(raw);
  const n = 500;
  let mx = 0, my = 0;
  for (let j = 0; j < n; j++) {
    mx += points[2 * j] / n;
    my += points[2 * j + 1] / n;
  }
  assert.ok(Math.abs(mx) < 1e-12 && Math.abs(my) < 1e-12, `mean (${mx}, ${my})`);
  assert.ok(Math.abs((variances[0] + variances[1]) / 2 - 1) < 1e-12, `variances ${variances}`);
  // x was spread far wider than y, and stays so: the shape is not stretched to a circle.
  assert.ok(variances[0] > 1.9 && variances[1] < 0.1, `variances ${variances}`);
  // Reported transform: raw mean and the common scale √((var x + var y)/2).
  let vx = 0, vy = 0, rx = 0, ry = 0;
  for (let j = 0; j < n; j++) {
    rx += raw[2 * j] / n;
    ry += raw[2 * j + 1] / n;
  }
  for (let j = 0; j < n; j++) {
    vx += (raw[2 * j] - rx) ** 2 / n;
    vy += (raw[2 * j + 1] - ry) ** 2 / n;
  }
  assert.ok(Math.abs(transform.mean[0] - rx) < 1e-9 && Math.abs(transform.mean[1] - ry) < 1e-9);
  assert.ok(Math.abs(transform.scale - Math.sqrt((vx + vy) / 2)) < 1e-9);
  const back = invertTransform(points, transform);
  for (let i = 0; i < raw.length; i++) assert.ok(Math.abs(back[i] - raw[i]) < 1e-9 * Math.abs(raw[i]) + 1e-12, `value ${i}`);
  assert.deepEqual(Array.from(applyTransform(raw, transform)), Array.from(points));
});

test("a built-in dataset keeps (about) its scale, and the transform reads as words", () => {
  const result = prepareDataset(sampleDataset("two-moons", 2000, 1), "Two moons, edited");
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.ok(Math.abs(result.value.transform.scale - 1) < 0.05, `scale ${result.value.transform.scale}`);
  assert.equal(result.value.n, 2000);
  assert.equal(describeTransform({mean: [0.3125, -1.2], scale: 2.4}), "centred by subtracting (0.313, \u22121.2) and scaled by 1/2.4 to unit variance");
  assert.equal(describeTransform({mean: [0, 123456], scale: 0.00012}), "centred by subtracting (0, 1.23×10⁵) and scaled by 1/1.2×10⁻⁴ to unit variance");
});

test("splitDataset: deterministic, a quarter held out, disjoint and together every point", () => {
  const points = standardise(cloud(401)).points;
  const a = splitDataset(points, {seed: 5});
  const b = splitDataset(points, {seed: 5});
  const c = splitDataset(points, {seed: 6});
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.heldOut, c.heldOut);
  assert.equal(a.heldOut.length / 2, Math.round(401 * HELD_OUT_FRACTION));
  assert.equal(a.train.length / 2 + a.heldOut.length / 2, 401);
  const key = (p: Float64Array, j: number) => `${p[2 * j]},${p[2 * j + 1]}`;
  const all = new Set(Array.from({length: 401}, (_, j) => key(points, j)));
  const seen = new Set<string>();
  for (const part of [a.train, a.heldOut]) for (let j = 0; j < part.length / 2; j++) seen.add(key(part, j));
  assert.deepEqual(seen, all);
  // The smallest dataset still holds out enough to measure against.
  const small = splitDataset(standardise(cloud(MIN_POINTS)).points);
  assert.equal(small.heldOut.length / 2, MIN_POINTS * HELD_OUT_FRACTION);
  assert.throws(() => splitDataset(points, {heldOutFraction: 1}), /outside \(0, 1\)/);
});

test("heldOutQuality is the energy distance to the held-out split and that split's own floor", () => {
  const {heldOut} = splitDataset(sampleDataset("ring-8", 2000, 1));
  const samples = sampleDataset("ring-8", 300, 9);
  const q = heldOutQuality(samples, heldOut);
  assert.equal(q.energy, energyDistance(samples, heldOut));
  assert.equal(q.energyFloor, energyFloor(heldOut, 300, 500));
  // Samples of the data's own distribution land near the floor; a shifted cloud does not.
  assert.ok(q.energy < 3 * q.energyFloor, `${q.energy} vs floor ${q.energyFloor}`);
  const shifted = samples.map((v, i) => (i % 2 ? v + 1 : v));
  assert.ok(heldOutQuality(shifted, heldOut).energy > 20 * q.energyFloor);
});

test("diffuseDataset uses the chain at the precomputed files' timesteps, seeded", () => {
  const s = makeSchedule(DEFAULT_SCHEDULE);
  const file = decodeForwardDiffusion(forwardDiffusionFile("circles").buffer as ArrayBuffer);
  const points = standardise(cloud(100)).points;
  const d = diffuseDataset(s, points, snapshotTimesteps(s.T));
  assert.deepEqual(d.timesteps, file.timesteps);
  assert.equal(d.points, 100);
  assert.deepEqual(Array.from(d.snapshots[0]), Array.from(Float32Array.from(points)));
  assert.deepEqual(diffuseDataset(s, points, d.timesteps), d);
  // At t = T the points are noise: variance ≈ 1, unrelated to where they started.
  const last = d.snapshots[d.snapshots.length - 1];
  let v = 0;
  for (let i = 0; i < last.length; i++) v += last[i] ** 2 / last.length;
  assert.ok(Math.abs(v - 1) < 0.3, `variance at T: ${v}`);
});

test("CSV out reads back exactly", () => {
  const raw = cloud(77);
  const parsed = parsePointsText(csv(raw));
  assert.ok(parsed.ok);
  if (parsed.ok) assert.deepEqual(Array.from(parsed.value.raw), Array.from(raw));
});

test("decodeTextFile accepts UTF-8 text and refuses binaries, other types and large files", () => {
  const text = "x,y\n1,2\n";
  const ok = decodeTextFile(new TextEncoder().encode(text), {name: "p.csv", type: "text/csv"});
  assert.deepEqual(ok, {ok: true, value: text});
  assert.ok(decodeTextFile(new TextEncoder().encode(text), {name: "p.csv", type: "application/vnd.ms-excel"}).ok);
  assert.ok(decodeTextFile(new TextEncoder().encode(text), {name: "p", type: ""}).ok);
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  assert.match(problems(decodeTextFile(png, {name: "a.png", type: "image/png"}))[0].message, /a\.png is not a text file \(its type is image\/png\)/);
  assert.match(problems(decodeTextFile(png, {name: "a.csv", type: "text/csv"}))[0].message, /a\.csv is not a text file \(it is not valid UTF-8/);
  assert.match(problems(decodeTextFile(Uint8Array.from([49, 44, 50, 0, 10]), {name: "b.txt"}))[0].message, /holds binary data/);
  assert.match(problems(decodeTextFile(new Uint8Array(MAX_TEXT_CHARS + 1).fill(49), {name: "big.csv"}))[0].message, /big\.csv is 1,000,001 bytes/);
});

test("storage round trip is exact, and a damaged or stale record is refused in words", () => {
  const raw = cloud(300);
  const back = decodeStored(encodeStored(raw, "drawn"));
  assert.ok(back.ok);
  if (back.ok) {
    assert.deepEqual(Array.from(back.value.raw), Array.from(raw));
    assert.equal(back.value.source, "drawn");
  }
  assert.match(problems(decodeStored("{oops"))[0].message, /not JSON/);
  assert.match(problems(decodeStored(JSON.stringify({version: 9, raw: []})))[0].message, /version 9/);
  assert.match(problems(decodeStored(JSON.stringify({version: 1, raw: ["a"]})))[0].message, /not a list of numbers/);
  // A drawing in progress (fewer than MIN_POINTS) is kept as it is; more than MAX_POINTS or a non-finite value is not.
  const partial = decodeStored(encodeStored(raw.subarray(0, 20), "drawn"));
  assert.ok(partial.ok && partial.value.raw.length === 20);
  assert.match(problems(decodeStored(encodeStored(new Float64Array(2 * MAX_POINTS + 2), "drawn")))[0].message, /more than the limit/);
  assert.match(problems(decodeStored('{"version":1,"source":"drawn","raw":[1,2,3]}'))[0].message, /not a whole number of x,y pairs/);
  assert.ok(validatePoints([], {partial: true}).ok);
  assert.match(problems(validatePoints([1, NaN], {partial: true}))[0].message, /Point 1: y is NaN/);
});

test("link round trip: within half a 16-bit step of the bounding box, a length that fits, and the limit stated", () => {
  const raw = cloud(1000);
  const encoded = encodeLink(raw);
  assert.ok(encoded.ok);
  if (!encoded.ok) return;
  assert.match(encoded.value, /^[A-Za-z0-9_-]+$/);
  assert.ok(encoded.value.length <= MAX_LINK_CHARS);
  const decoded = decodeLink(encoded.value);
  assert.ok(decoded.ok);
  if (!decoded.ok) return;
  for (const d of [0, 1]) {
    const values = raw.filter((_, i) => i % 2 === d);
    const span = Math.max(...values) - Math.min(...values);
    for (let j = 0; j < 1000; j++) {
      const err = Math.abs(decoded.value[2 * j + d] - raw[2 * j + d]);
      assert.ok(err <= span / 131070 + 1e-9 * Math.abs(raw[2 * j + d]), `point ${j} coordinate ${d}: error ${err}, span ${span}`);
    }
  }
  // Exactly MAX_LINK_POINTS fit; one more does not, and the message says how many do.
  assert.ok(encodeLink(cloud(MAX_LINK_POINTS)).ok);
  assert.ok(MAX_LINK_POINTS >= 1000, `MAX_LINK_POINTS = ${MAX_LINK_POINTS}`);
  const tooMany = problems(encodeLink(cloud(MAX_LINK_POINTS + 1)));
  assert.match(tooMany[0].message, new RegExp(`holds at most ${MAX_LINK_POINTS.toLocaleString("en")} points`));
  // The standardised data are the same whichever way they travelled (up to the quantisation).
  const a = standardise(raw).points;
  const b = standardise(decoded.value).points;
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4, `value ${i}`);
});

test("a damaged, truncated, foreign or too-small link payload is refused in words", () => {
  const encoded = encodeLink(cloud(100));
  assert.ok(encoded.ok);
  if (!encoded.ok) return;
  assert.match(problems(decodeLink("not base64!"))[0].message, /not base64url/);
  assert.match(problems(decodeLink(encoded.value.slice(0, -3)))[0].message, /damaged|not base64url/);
  assert.match(problems(decodeLink(""))[0].message, /no data/);
  assert.match(problems(decodeLink("Ag"))[0].message, /format version 2/);
  // Hand-made payload of 10 points: refused by the point count.
  const bytes = new Uint8Array(33 + 40);
  bytes[0] = 1;
  const view = new DataView(bytes.buffer);
  [0, 0, 1, 1].forEach((v, k) => view.setFloat64(1 + 8 * k, v, true));
  for (let i = 0; i < 20; i++) view.setUint16(33 + 2 * i, i * 1000, true);
  const payload = Buffer.from(bytes).toString("base64url");
  assert.match(problems(decodeLink(payload))[0].message, /Only 10 points/);
});

test("the link parameter is read from and removed from a fragment that may hold others", () => {
  assert.equal(linkPayload(`#${LINK_PARAM}=abc_-1`), "abc_-1");
  assert.equal(linkPayload("#slide=3&data=xyz"), "xyz");
  assert.equal(linkPayload("#one-step-q-xt-xt-1"), null);
  assert.equal(linkPayload(""), null);
  assert.equal(hashWithoutPayload("#data=abc"), "");
  assert.equal(hashWithoutPayload("#slide=3&data=abc"), "#slide=3");
});
