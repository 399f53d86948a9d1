// The "Why diffusion" page's live comparison on the 8-Gaussian ring, DDPM's side: Algorithm 2 run
// with the exact noise predictor ε* of the mixture, beside the GAN of WhyGanPanel.ts. It runs on
// its button.
import {coverageCheck} from "../lib/checks/why-diffusion.js";
import type {GaussianMixture} from "../lib/mixture.js";
import {optimalEpsPredictor} from "../lib/mixture.js";
import {createRng} from "../lib/random.js";
import {pSampleLoop} from "../lib/sampler.js";
import type {Schedule} from "../lib/schedule.js";
import {CheckResult} from "./CheckResult.js";
import {html} from "htl";
import {RingView} from "./WhyDiffusionViews.js";

export interface EpsSamplerPanelOptions {
  gm: GaussianMixture;
  schedule: Schedule;
  width?: number;
  samplePoints?: number;
}

/**
 * DDPM's Algorithm 2 with ε_θ = ε*, the exact optimal noise predictor of the mixture (a perfectly
 * trained model), checked with coverageCheck. Runs on the button (~0.5 s for 1000 points, T = 1000).
 */
export function EpsSamplerPanel({gm, schedule, width = 340, samplePoints = 1000}: EpsSamplerPanelOptions): HTMLElement {
  const button = html`<button type=button data-action=eps-sample>Run Algorithm 2 with ε*</button>` as HTMLButtonElement;
  const status: HTMLElement = html`<div class="tp-status" aria-live="polite" data-testid="eps-status">${`Not run yet: ${samplePoints} points, T = ${schedule.T} steps each.`}</div>`;
  // Before the first run: where Algorithm 2 starts, x_T ~ N(0, I) (a figure, not an empty frame).
  const start = createRng(6999).normals(2 * samplePoints);
  const figure: HTMLElement = html`<div>${RingView({gm, width, data: start, title: "x_T ~ N(0, I): where sampling starts", ariaLabel: `${samplePoints} points of x_T ~ N(0, I) over the 8-Gaussian ring's modes`})}</div>`;
  const verdict: HTMLElement = html`<div></div>`;
  const root: HTMLElement = html`<div class="training-panel why-eps" data-testid="eps-panel"><div class="tp-buttons">${button}</div>${status}${figure}${verdict}</div>`;
  let seed = 1;
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = `Sampling ${samplePoints} points through ${schedule.T} reverse steps…`;
    // Let the status paint before the synchronous loop runs.
    requestAnimationFrame(() =>
      setTimeout(() => {
        const start = performance.now();
        const {x0} = pSampleLoop(schedule, optimalEpsPredictor(gm, schedule), samplePoints, createRng(7000 + seed));
        const ms = performance.now() - start;
        const check = coverageCheck(x0, gm);
        const c = check.coverage;
        figure.replaceChildren(
          RingView({gm, width, samples: x0, sampleColor: "var(--theme-foreground-focus)", counts: c.counts, total: samplePoints, title: `DDPM with ε*, run ${seed}`, ariaLabel: `${samplePoints} DDPM samples: ${c.modesCovered} of ${gm.weights.length} modes covered`})
        );
        verdict.replaceChildren(
          CheckResult({
            pass: check.pass,
            title: `Algorithm 2 with ε*: ${c.modesCovered} of ${c.modes} modes covered, ${(100 * c.highQualityFraction).toFixed(1)}% within 3σ`,
            details: [
              `a perfect sampler: all 8 modes, ${(100 * check.expected).toFixed(1)}% within 3σ (${check.expectedOutside.toFixed(1)} of ${check.n} outside); here ${check.outside} outside, z = ${check.z.toFixed(2)} (pass: |z| ≤ 4)`,
              `KL of the mode shares to uniform: ${check.modeKL.toFixed(3)} nats`,
              `${(ms / 1000).toFixed(2)} s for ${samplePoints} × ${schedule.T} steps`
            ]
          })
        );
        status.textContent = `Run ${seed} done.`;
        status.dataset.modesCovered = String(c.modesCovered);
        seed += 1;
        button.textContent = "Sample again (new noise)";
        button.disabled = false;
      }, 0)
    );
  });
  return root;
}
