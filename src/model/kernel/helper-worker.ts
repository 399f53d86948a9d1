// The kernel's second thread (threads.ts starts it): its own WebAssembly instances, fed by
// messages, so that a batch or a set of sampled points is split over two cores without shared
// memory (which would need a cross-origin-isolated page). Messages are handled strictly in order.
import {mlpLayout} from "../dense.js";
import {loadKernel} from "./load.js";
import {MlpKernel} from "./mlp.js";
import type {HelperReply, HelperRequest} from "./threads.js";

interface Scope {
  postMessage(message: HelperReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<HelperRequest>) => void) | null;
}
const scope = globalThis as unknown as Scope;
const kernels = new Map<number, {mlp: MlpKernel; n: number}>();
let queue: Promise<void> = Promise.resolve();

async function handle(m: HelperRequest): Promise<void> {
  if (m.type === "create") {
    const mlp = await MlpKernel.create(await loadKernel(m.flavour), mlpLayout(m.sizes), m.inputs);
    kernels.set(m.kernel, {mlp, n: 0});
    scope.postMessage({type: "created", id: m.id});
    return;
  }
  if (m.type === "dispose") {
    kernels.delete(m.kernel);
    return;
  }
  const k = kernels.get(m.kernel);
  if (!k) throw new Error(`no kernel ${m.kernel} in the helper`);
  switch (m.type) {
    case "sample-begin":
      k.n = m.x.length / 2;
      k.mlp.setTheta(m.theta);
      k.mlp.pointsView(k.n).set(m.x);
      return;
    case "sample-step":
      if (m.z) k.mlp.noiseView(k.n).set(m.z);
      k.mlp.sampleStep(k.n, m.t, m.a, m.b, m.c);
      return;
    case "sample-read": {
      const x = k.mlp.pointsView(k.n).slice();
      scope.postMessage({type: "points", id: m.id, x}, [x.buffer]);
      return;
    }
    case "gradient": {
      const n = m.target.length / 2;
      k.mlp.setTheta(m.theta);
      const views = k.mlp.batchViews(n);
      views.h0.set(m.h0);
      views.target.set(m.target);
      if (m.weights) views.weights.set(m.weights);
      const loss = k.mlp.gradient(n, m.weights !== null, m.scale);
      const grad = k.mlp.gradientView().slice();
      scope.postMessage({type: "gradient", id: m.id, grad, loss}, [grad.buffer]);
      return;
    }
  }
}

scope.onmessage = (event) => {
  const m = event.data;
  queue = queue.then(() => handle(m)).catch((error) => {
    scope.postMessage({type: "error", id: "id" in m ? m.id : undefined, message: error instanceof Error ? error.message : String(error)});
  });
};
