// The WebAssembly SIMD kernel in Chromium, where it runs its relaxed-SIMD build and a helper
// thread: the same gradients as tfjs's WASM and CPU backends, the two-thread training step equal to
// the one-thread step, Algorithm 2's samples distributed as tfjs's; the site chooses the kernel
// and trains on it, and says so; where the kernel fails to load, the site visibly trains on tfjs.
import {test} from "node:test";
import assert from "node:assert/strict";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();

async function benchPage() {
  const context = await site.browser.newContext();
  const visited = await visit(context, site.origin, "/bench");
  await visited.page.waitForFunction(() => (window as any).__ddpmBench, null, {timeout: 60_000});
  return {...visited, context};
}

test("kernel in Chromium: gradients equal tfjs's on WASM and CPU; the split step equals the one-thread step", async () => {
  const {page, problems, external, context} = await benchPage();
  for (const backend of ["wasm", "cpu"]) {
    const r = await page.evaluate(async (name) => {
      const {tf, kernelChecks} = (window as any).__ddpmBench;
      await tf.setBackend(name);
      return await kernelChecks.gradientCheck(tf);
    }, backend);
    console.log(`# gradient vs tfjs ${r.backend}: ${r.flavour}, relative error ${r.gradient.toExponential(2)}, loss ${r.loss.toExponential(2)}`);
    assert.equal(r.flavour, "relaxed-simd", "Chromium has relaxed SIMD: the fused build runs");
    assert.ok(r.gradient < 2e-6 && r.loss < 1e-5, `vs ${backend}: gradient ${r.gradient}, loss ${r.loss}`);
  }
  const split = await page.evaluate(async () => {
    const {tf, kernelChecks} = (window as any).__ddpmBench;
    await tf.setBackend("wasm");
    return await kernelChecks.splitTrainingCheck(tf, 30);
  });
  console.log(`# batch 512 on ${split.threads} threads: losses within ${split.vsOneThread.toExponential(2)} of one thread, ${split.vsTfjs.toExponential(2)} of tfjs over 30 steps`);
  assert.equal(split.threads, 2, "a two-core machine splits the batch over two threads");
  // The same batches and weights; only the order of float32 sums differs (and grows slowly).
  assert.ok(split.vsOneThread < 1e-3, `two threads vs one: ${split.vsOneThread}`);
  assert.ok(split.vsTfjs < 1e-3, `two threads vs tfjs: ${split.vsTfjs}`);
  await assertClean({page, problems, external});
  await context.close();
});

test("kernel in Chromium: Algorithm 2 on two threads follows tfjs's points (same seed) and its moments (another seed)", async () => {
  const {page, problems, external, context} = await benchPage();
  const r = await page.evaluate(async () => {
    const {tf, kernelChecks} = (window as any).__ddpmBench;
    await tf.setBackend("wasm");
    return await kernelChecks.samplingCheck(tf, 2000);
  });
  console.log(`# sampling on ${r.threads} threads: ${(100 * r.farShare).toFixed(2)}% of coordinates over 0.01 from tfjs's; means ${r.kernel.mean.map((v: number) => v.toFixed(3))} vs ${r.tfjs.mean.map((v: number) => v.toFixed(3))}`);
  assert.equal(r.threads, 2);
  assert.ok(r.farShare < 0.002, `${r.farShare} of the coordinates differ by over 0.01`);
  for (let d = 0; d < 2; d++) {
    // Two independent samples of n: 4 standard errors of the difference of means and of variances.
    const [a, b] = [r.tfjs, r.kernel];
    const seMean = Math.sqrt((a.variance[d] + b.variance[d]) / r.n);
    assert.ok(Math.abs(a.mean[d] - b.mean[d]) < 4 * seMean, `coordinate ${d}: mean ${b.mean[d]} vs ${a.mean[d]}`);
    const seVar = 1.5 * Math.sqrt(2 / (r.n - 1)) * Math.hypot(a.variance[d], b.variance[d]);
    assert.ok(Math.abs(a.variance[d] - b.variance[d]) < 4 * seVar, `coordinate ${d}: variance ${b.variance[d]} vs ${a.variance[d]}`);
  }
  await assertClean({page, problems, external});
  await context.close();
});

test("the site offers the kernel, names it, and trains on it when the reader chooses it", async () => {
  const context = await site.browser.newContext();
  const about = await visit(context, site.origin, "/about");
  await about.page.waitForSelector("[data-testid=backend-panel]", {timeout: 60_000});
  const panel = await about.page.$eval("[data-testid=backend-panel]", (el) => ({preferred: (el as HTMLElement).dataset.preferred, text: el.textContent ?? ""}));
  const row = await about.page.$eval("[data-testid=backend-panel] tr[data-backend=kernel]", (tr) => ({ok: (tr as HTMLElement).dataset.ok, text: tr.textContent ?? ""}));
  assert.equal(row.ok, "true");
  assert.match(row.text, /WebAssembly SIMD kernel.*relaxed SIMD/);
  assert.equal(panel.preferred, "wasm", "the kernel is chosen by the reader, not automatically (backends.ts)");
  await assertClean(about, {ignore: /webgpu|adapter/i});

  const {page, problems, external} = await visit(context, site.origin, "/training");
  await page.waitForFunction(() => /Paused on/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  await page.getByLabel("Backend").selectOption({index: 5}); // auto, WebGPU, WebGL, WebAssembly, CPU, the kernel
  await page.waitForFunction(() => /Paused on WebAssembly SIMD kernel/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  const before = Number(/step ([\d,]+)/.exec((await page.textContent("[data-testid=status]")) ?? "")?.[1].replace(/,/g, ""));
  await page.getByRole("button", {name: "Step", exact: true}).click();
  await page.waitForFunction((n) => Number(/step ([\d,]+)/.exec(document.querySelector("[data-testid=status]")?.textContent ?? "")?.[1].replace(/,/g, "")) > n, before, {timeout: 30_000});
  await assertClean({page, problems, external}, {ignore: /webgpu|adapter/i});
  await context.close();
});

test("where the kernel's module fails to load, the kernel is reported unavailable and the site visibly trains on tfjs's WebAssembly", async () => {
  const context = await site.browser.newContext();
  // The kernel's bytes never arrive (a host that lost the file, a blocked request): every other
  // module loads as usual.
  await context.route(/mlp-wasm\.generated\.[^/]*\.js$/, (route) => route.fulfill({status: 404, body: "not found"}));
  const about = await visit(context, site.origin, "/about");
  await about.page.waitForSelector("[data-testid=backend-panel]", {timeout: 60_000});
  const row = await about.page.$eval("[data-testid=backend-panel] tr[data-backend=kernel]", (tr) => ({ok: (tr as HTMLElement).dataset.ok, text: tr.textContent ?? ""}));
  assert.equal(row.ok, "false");
  assert.match(row.text, /did not load/);
  const panel = await about.page.$eval("[data-testid=backend-panel]", (el) => ({preferred: (el as HTMLElement).dataset.preferred, text: el.textContent ?? ""}));
  assert.equal(panel.preferred, "wasm");
  assert.match(panel.text, /This browser will train on WebAssembly/);
  const ignore = /webgpu|adapter|mlp-wasm\.generated|404/i;
  await assertClean(about, {ignore});

  const {page, problems, external} = await visit(context, site.origin, "/training");
  await page.waitForFunction(() => /Paused on WebAssembly\b(?! SIMD kernel)/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), null, {timeout: 60_000});
  await page.click("button[data-action=step]");
  await page.waitForFunction(() => Number((document.querySelector("[data-testid=status]") as HTMLElement).dataset.step) >= 1, null, {timeout: 30_000});
  await assertClean({page, problems, external}, {ignore});
  await context.close();
});
