import {html} from "htl";
import type {BackendName, BackendProbe} from "../model/backends.js";

const LABELS: Record<BackendName, string> = {webgpu: "WebGPU", webgl: "WebGL", kernel: "WebAssembly SIMD kernel", wasm: "WebAssembly", cpu: "CPU (JavaScript)"};

/**
 * "Your browser": which tfjs backends initialise here and which one the site would train on.
 * Rendered from the probes so that a reading group can check it before presenting.
 */
export function BackendPanel({probes, preferred}: {probes: BackendProbe[]; preferred: BackendName | null}): HTMLElement {
  const summary = preferred ? `This browser will train on ${LABELS[preferred]}.` : "No tfjs backend initialised in this browser: the live models cannot run here.";
  const row = (probe: BackendProbe) => {
    const cells = [
      LABELS[probe.name] + (probe.name === preferred ? " ← used" : ""),
      probe.ok ? "yes" : "no",
      probe.detail,
      probe.ms === undefined ? "" : `${probe.ms.toFixed(0)} ms`
    ];
    return html`<tr data-backend=${probe.name} data-ok=${String(probe.ok)}>${cells.map((text) => html`<td>${text}</td>`)}</tr>`;
  };
  const head = html`<thead><tr><th>Backend</th><th>Works here</th><th>Details</th><th>First op</th></tr></thead>`;
  return html`<div class="backend-panel" data-testid="backend-panel" data-preferred=${preferred ?? ""}><p aria-live="polite">${summary}</p><table class="compact">${head}<tbody>${probes.map(row)}</tbody></table></div>`;
}
