import {test} from "node:test";
import assert from "node:assert/strict";
import {backendChoiceLabel, fallbackOrder, preferredBackend, type BackendProbe} from "../../src/model/backends.ts";

const probe = (name: BackendProbe["name"], ok: boolean, extra: Partial<BackendProbe> = {}): BackendProbe => ({name, ok, detail: "", floatPrecision: ok ? 32 : undefined, ...extra});
const softwareGl = probe("webgl", true, {software: true, floatPrecision: 16});

test("a full-precision hardware backend wins; WASM before the JavaScript CPU", () => {
  assert.equal(preferredBackend([probe("webgpu", false), probe("webgl", true), probe("wasm", true), probe("cpu", true)]), "webgl");
  assert.equal(preferredBackend([probe("webgpu", false), softwareGl, probe("wasm", true), probe("cpu", true)]), "wasm");
});

test("with WASM missing, the float32 CPU backend is chosen over software float16 WebGL", () => {
  assert.equal(preferredBackend([probe("webgpu", false), softwareGl, probe("wasm", false), probe("cpu", true)]), "cpu");
  assert.equal(preferredBackend([probe("webgpu", true, {software: true}), probe("webgl", true, {floatPrecision: 16}), probe("wasm", false), probe("cpu", true)]), "cpu");
  // Only a software GPU works: better than nothing.
  assert.equal(preferredBackend([probe("webgpu", false), softwareGl, probe("wasm", false), probe("cpu", false)]), "webgl");
  assert.equal(preferredBackend([probe("webgpu", false), probe("webgl", false), probe("wasm", false), probe("cpu", false)]), null);
});

test("the menu marks software and float16 backends, and those that cannot run", () => {
  assert.equal(backendChoiceLabel("webgl", softwareGl), "WebGL (software, float16: slow, never chosen automatically)");
  assert.equal(backendChoiceLabel("webgpu", probe("webgpu", false)), "WebGPU (not available here)");
  assert.equal(backendChoiceLabel("wasm", probe("wasm", true)), "WebAssembly");
  assert.equal(backendChoiceLabel("cpu"), "CPU (JavaScript)");
});

test("after a failure, training moves to the full-precision backends first", () => {
  const probes = [probe("webgpu", true), softwareGl, probe("wasm", true), probe("cpu", true)];
  assert.deepEqual(fallbackOrder("webgpu", probes), ["wasm", "cpu", "webgl"]);
  assert.deepEqual(fallbackOrder("webgl", probes), ["webgpu", "wasm", "cpu"]);
  assert.deepEqual(fallbackOrder("wasm", [probe("webgpu", false), softwareGl, probe("wasm", true), probe("cpu", false)]), ["webgl"]);
});
