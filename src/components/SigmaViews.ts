// The Sampling section's σ_t² comparison (Sec. 3.2) as DOM: the exact check on the ring
// (src/lib/checks/sigma-check.ts) and the reader's own model sampled with both σ_t². Numbers come from
// the core and the training worker; this file only shows them.
import type {SamplesResult} from "../model/protocol.js";
import type {TrainingSession} from "../model/session.js";
import {MIN_HIGH_QUALITY, SPREAD_TOLERANCE, type SigmaCheck, type SigmaRun, type SigmaVariant} from "../lib/checks/sigma-check.js";
import type {Sigma2Kind} from "../lib/schedule.js";
import {SAMPLE_SEED} from "../lib/seeds.js";
import {html} from "htl";
import {PointCloud} from "./charts.js";
import {SIGMA_LABEL} from "./common.js";
import {CheckResult} from "./CheckResult.js";

const VARIANT_LABEL: Record<SigmaVariant, string> = {...SIGMA_LABEL, none: "z = 0 (σₜ = 0; not Algorithm 2)"};
/** Chart titles: the same without the explanation. */
const VARIANT_TITLE: Record<SigmaVariant, string> = {...SIGMA_LABEL, none: "z = 0"};
const VARIANT_COLOR: Record<SigmaVariant, string> = {betaTilde: "var(--theme-foreground-focus)", beta: "#f58518", none: "#e45756"};

function runLine(r: SigmaRun): string {
  const verdict = r.pass ? "✓" : "✗";
  return `${verdict} ${VARIANT_LABEL[r.variant]}: ${r.modesCovered}/${r.modes} modes, ${(100 * r.highQualityFraction).toFixed(1)}% high quality, spread ${r.spread.toFixed(3)}× the data's, energy distance ${r.energyRatio.toFixed(1)}× its floor`;
}

/** The exact check: samples of each variant over the same x_T and z, and the verdict. */
export function sigmaCheckView(result: SigmaCheck, width: number): HTMLElement {
  const size = Math.max(150, Math.min(240, Math.floor((width - 24) / result.runs.length)));
  const clouds = result.runs.map((r) => PointCloud([{points: r.x0, color: VARIANT_COLOR[r.variant], radius: 1.6, opacity: 0.6}], {width: size, extent: 2, title: VARIANT_TITLE[r.variant], ariaLabel: `${result.n} samples with ${VARIANT_LABEL[r.variant]}`}));
  const paper = result.runs.filter((r) => r.variant !== "none");
  const control = result.runs.find((r) => r.variant === "none");
  const details: string[] = [`A run passes with every mode found, at least ${100 * MIN_HIGH_QUALITY}% of samples within 3 standard deviations of a mode, and a spread within ±${100 * SPREAD_TOLERANCE}% of the data's.`, ...paper.map(runLine)];
  if (control) details.push(`${runLine(control)} — ${control.pass ? "it passed, so this check could not tell the noise from none" : "without the noise the check fails, as it should: the samples gather at the modes' centres"}.`);
  const verdict = CheckResult({pass: result.pass, title: `both σₜ² of Sec. 3.2 sample the ring as well as each other (${result.n} samples each, exact ε*)`, details});
  return html`<div><div style="display:flex;flex-wrap:wrap;gap:8px;margin:0.5rem 0">${clouds}</div>${verdict}</div>`;
}

function qualityLine(r: SamplesResult): string {
  const q = r.quality;
  const parts = [`${VARIANT_LABEL[r.sigma2Kind]}: energy distance ${(q.energy / Math.max(q.energyFloor, 1e-12)).toFixed(1)}× its floor`];
  if (q.modes) parts.push(`${q.modesCovered}/${q.modes} modes, ${(100 * q.highQualityFraction!).toFixed(1)}% high quality`);
  parts.push(`${(r.ms / 1000).toFixed(1)} s`);
  return parts.join(", ");
}

/**
 * A button that samples the reader's current model (the training panel's session) once with each
 * σ_t², from the same seed, and shows both side by side.
 */
export function ModelSigmaComparison({session, width}: {session: () => TrainingSession | null; width: number}): HTMLElement {
  const button: HTMLButtonElement = html`<button type="button">Sample your model with both σₜ²</button>`;
  const note: HTMLElement = html`<p aria-live="polite" style="font: 13px var(--sans-serif); color: var(--theme-foreground-muted); margin: 0.3rem 0">Uses the model in the panel above, as trained so far (its averaged weights), 1,000 samples with each σₜ².</p>`;
  const out: HTMLElement = html`<div style="display:flex;flex-wrap:wrap;gap:8px"></div>`;
  const lines: HTMLElement = html`<div></div>`;
  const root: HTMLElement = html`<div class="sigma-model" data-testid="sigma-model">${button}${note}${out}${lines}</div>`;
  button.addEventListener("click", async () => {
    const current = session();
    if (!current) {
      note.textContent = "The model is still loading; try again in a moment.";
      return;
    }
    button.disabled = true;
    note.textContent = "Sampling with σₜ² = β̃ₜ, then βₜ…";
    try {
      const kinds: Sigma2Kind[] = ["betaTilde", "beta"];
      const results: SamplesResult[] = [];
      for (const sigma2Kind of kinds) results.push(await current.sample({n: 1000, seed: SAMPLE_SEED, sigma2Kind}));
      const size = Math.max(150, Math.min(280, Math.floor((width - 16) / 2)));
      out.replaceChildren(...results.map((r) => PointCloud([{points: r.x0 as unknown as Float64Array, color: VARIANT_COLOR[r.sigma2Kind], opacity: 0.6}], {width: size, extent: 3, title: VARIANT_LABEL[r.sigma2Kind], ariaLabel: `your model's samples with ${VARIANT_LABEL[r.sigma2Kind]}`})));
      lines.replaceChildren(...results.map((r) => html`<div>${qualityLine(r)}</div>`));
      root.dataset.state = "done";
      note.textContent = "Same seed, same x_T and z: only σₜ differs.";
    } catch (error) {
      note.textContent = `Sampling failed: ${(error as Error).message}`;
      root.dataset.state = "error";
    } finally {
      button.disabled = false;
    }
  });
  return root;
}
