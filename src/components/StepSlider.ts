/**
 * A slider over a list of timesteps (e.g. the snapshots of a precomputed diffusion) that shows
 * the paper's t, not the list index. Its value is the index; it fires `input` like any input, so
 * Framework's `view()` works with it.
 */
export function StepSlider(timesteps: readonly number[], {value = 0, label = "Step"}: {value?: number; label?: string} = {}): HTMLElement & {value: number} {
  const root = document.createElement("form") as unknown as HTMLElement & {value: number};
  root.className = "step-slider";
  const id = `step-${Math.random().toString(36).slice(2)}`;
  const name = document.createElement("label");
  name.htmlFor = id;
  name.textContent = label;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.max = String(timesteps.length - 1);
  input.step = "1";
  input.value = String(value);
  const output = document.createElement("output");
  output.htmlFor.add(id);
  const show = () => (output.textContent = `t = ${timesteps[Number(input.value)]}`);
  show();
  input.addEventListener("input", show);
  root.append(name, input, output);
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
