import {html} from "htl";

/**
 * A slider over a list of timesteps (e.g. the snapshots of a precomputed diffusion) that shows
 * the paper's t, not the list index. Its value is the index; it fires `input` like any input, so
 * Framework's `view()` works with it.
 */
export function StepSlider(timesteps: readonly number[], {value = 0, label = "Step"}: {value?: number; label?: string} = {}): HTMLElement & {value: number} {
  const id = `step-${Math.random().toString(36).slice(2)}`;
  const input: HTMLInputElement = html`<input type="range" id=${id} min="0" max=${String(timesteps.length - 1)} step="1">`;
  input.value = String(value);
  const output: HTMLOutputElement = html`<output for=${id}></output>`;
  const root: HTMLElement & {value: number} = html`<form class="step-slider"><label for=${id}>${label}</label>${input}${output}</form>`;
  const show = () => (output.textContent = `t = ${timesteps[Number(input.value)]}`);
  show();
  input.addEventListener("input", show);
  root.addEventListener("submit", (event) => event.preventDefault());
  Object.defineProperty(root, "value", {
    get: () => Number(input.value),
    set: (v: number) => {
      input.value = String(v);
      show();
    }
  });
  return root;
}
