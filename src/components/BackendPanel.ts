import type {BackendName, BackendProbe} from "../model/backends.js";

const LABELS: Record<BackendName, string> = {webgpu: "WebGPU", webgl: "WebGL", kernel: "WebAssembly SIMD kernel", wasm: "WebAssembly", cpu: "CPU (JavaScript)"};

/**
 * "Your browser": which tfjs backends initialise here and which one the site would train on.
 * Rendered from the probes so that a reading group can check it before presenting.
 */
export function BackendPanel({probes, preferred}: {probes: BackendProbe[]; preferred: BackendName | null}): HTMLElement {
  const root = document.createElement("div");
  root.className = "backend-panel";
  root.dataset.testid = "backend-panel";
  root.dataset.preferred = preferred ?? "";
  const table = document.createElement("table");
  table.className = "compact";
  table.innerHTML = "<thead><tr><th>Backend</th><th>Works here</th><th>Details</th><th>First op</th></tr></thead>";
  const body = table.createTBody();
  for (const probe of probes) {
    const row = body.insertRow();
    row.dataset.backend = probe.name;
    row.dataset.ok = String(probe.ok);
    const cells = [
      LABELS[probe.name] + (probe.name === preferred ? " ← used" : ""),
      probe.ok ? "yes" : "no",
      probe.detail,
      probe.ms === undefined ? "" : `${probe.ms.toFixed(0)} ms`
    ];
    for (const text of cells) row.insertCell().textContent = text;
  }
  const summary = document.createElement("p");
  summary.setAttribute("aria-live", "polite");
  summary.textContent = preferred
    ? `This browser will train on ${LABELS[preferred]}.`
    : "No tfjs backend initialised in this browser: the live models cannot run here.";
  root.append(summary, table);
  return root;
}
