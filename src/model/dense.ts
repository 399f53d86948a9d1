/**
 * The MLP inside ε_θ, written for speed at the size this site trains (2D points, a few layers of
 * 128): all parameters live in ONE flat vector θ, and the whole MLP is ONE `tf.customGrad` op whose
 * backward pass is written out by hand (backprop through each dense layer).
 *
 * Why (measured; docs/architecture.md §4.8): at this size tfjs's per-op overhead (~20–35 µs per op on cpu/wasm, more
 * on WebGL) costs as much as the arithmetic, so the op count per training step matters:
 *  - the stock dense gradient runs matMul with a transposed operand, which on the WASM backend is
 *    ~10× slower than an explicit `transpose` followed by a plain matMul;
 *  - autodiff of relu(x·W + b) records the bias add and the activation as separate ops;
 *  - one flat θ lets Adam update every parameter with ~13 ops instead of ~14 per variable.
 * The gradients are the stock ones (tested against `tf.grads` of `mlpApplyStock`).
 *
 * Convention: an MLP with sizes [d_0, d_1, …, d_L] has L dense layers; layer l maps d_l → d_{l+1}
 * as h ↦ act(h·W_l + b_l) (no activation on the last). In θ, layer l's kernel W_l (d_l × d_{l+1},
 * row-major) comes first, then its bias b_l.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import type {Rng} from "../lib/random.js";
import type {Tf} from "./backends.js";

type Tensor = tfTypes.Tensor;
type Tensor1D = tfTypes.Tensor1D;
type Tensor2D = tfTypes.Tensor2D;
type CustomGradientFunc = Parameters<Tf["customGrad"]>[0];

/** Hidden-layer nonlinearity. */
export type Activation = "relu" | "silu";

/**
 * How the backward pass multiplies by a transpose: "explicit" (tf.transpose, then a plain matMul:
 * fast on WASM, whose transposed matMul is ~10× slower), "flags" (matMul's transpose flags: best on
 * cpu, where the copy costs more, and on WebGL/WebGPU, where a transpose is one more shader pass),
 * or "auto" (explicit on the wasm backend, flags elsewhere).
 */
export type TransposeMode = "explicit" | "flags" | "auto";

/** Where one dense layer's parameters sit in θ. */
export interface DenseSlot {
  fanIn: number;
  fanOut: number;
  /** Offset of W (fanIn × fanOut, row-major) in θ. */
  kernelOffset: number;
  /** Offset of b (fanOut) in θ. */
  biasOffset: number;
}

/** The layout of an MLP's parameters in the flat vector θ. */
export interface MlpLayout {
  /** [d_0, d_1, …, d_L]: input width, hidden widths, output width. */
  sizes: number[];
  layers: DenseSlot[];
  /** Length of θ. */
  size: number;
}

/** The parameter layout of an MLP with the given layer widths (input first, output last). */
export function mlpLayout(sizes: readonly number[]): MlpLayout {
  if (sizes.length < 2) throw new Error(`an MLP needs at least an input and an output width, got [${sizes.join(", ")}]`);
  for (const d of sizes) {
    if (!Number.isInteger(d) || d < 1) throw new Error(`layer widths must be integers ≥ 1, got [${sizes.join(", ")}]`);
  }
  const layers: DenseSlot[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    layers.push({fanIn, fanOut, kernelOffset: offset, biasOffset: offset + fanIn * fanOut});
    offset += fanIn * fanOut + fanOut;
  }
  return {sizes: [...sizes], layers, size: offset};
}

/**
 * Initial θ: every W and b drawn from U(−1/√fanIn, 1/√fanIn), PyTorch's nn.Linear default, from
 * the seeded core RNG so that a seed gives the same network on every backend.
 */
export function initialParams(layout: MlpLayout, rng: Rng): Float32Array {
  const theta = new Float32Array(layout.size);
  for (const L of layout.layers) {
    const bound = 1 / Math.sqrt(L.fanIn);
    const end = L.biasOffset + L.fanOut;
    for (let i = L.kernelOffset; i < end; i++) theta[i] = bound * (2 * rng.uniform() - 1);
  }
  return theta;
}

/** Views of W and b of every layer, sliced out of θ (inside the caller's tidy). */
function unpack(tf: Tf, theta: Tensor1D, layout: MlpLayout): {W: Tensor2D; b: Tensor1D}[] {
  return layout.layers.map((L) => ({
    W: tf.reshape(tf.slice(theta, L.kernelOffset, L.fanIn * L.fanOut), [L.fanIn, L.fanOut]) as Tensor2D,
    b: tf.slice(theta, L.biasOffset, L.fanOut) as Tensor1D
  }));
}

function useExplicitTranspose(tf: Tf, mode: TransposeMode): boolean {
  return mode === "explicit" || (mode === "auto" && tf.getBackend() === "wasm");
}

/**
 * ∂/∂W = h_inᵀ·dz (fanIn × fanOut), contracting over the batch. With explicit transposes it
 * transposes the narrower of the two batch-sized matrices: for the output layer (fanOut = 2) that
 * is dz, then (dzᵀ·h_in)ᵀ costs a tiny transpose instead of one of batch × fanIn.
 */
function kernelGrad(tf: Tf, hIn: Tensor2D, dz: Tensor2D, explicit: boolean): Tensor2D {
  if (!explicit) return tf.matMul(hIn, dz, true, false);
  if (dz.shape[1] < hIn.shape[1]) return tf.transpose(tf.matMul(tf.transpose(dz), hIn)) as Tensor2D;
  return tf.matMul(tf.transpose(hIn), dz);
}

/** a·bᵀ, by an explicit transpose or by matMul's flag (see TransposeMode). */
function matMulTB(tf: Tf, a: Tensor2D, b: Tensor2D, explicit: boolean): Tensor2D {
  return explicit ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

export interface MlpOptions {
  activation?: Activation;
  transpose?: TransposeMode;
  /**
   * Also return ∂/∂h_0 (two more ops in the backward pass). Off by default: the denoiser's input is
   * x_t and a fixed embedding, and training needs only ∂/∂θ. With it off, gradients do not flow
   * into h_0 at all (tf.grad with respect to h_0 then fails loudly rather than returning zeros).
   */
  inputGradient?: boolean;
}

/**
 * The MLP applied to h_0 (batch × d_0), its parameters read from θ: ONE custom-gradient op whose
 * backward pass backpropagates through each dense layer by hand (dW = h_inᵀ·dz, db = Σ_batch dz,
 * dh_in = dz·Wᵀ, dz = dh ⊙ act′), returning ∂/∂θ as one flat vector laid out like θ.
 */
export function mlpApply(tf: Tf, theta: Tensor1D, layout: MlpLayout, h0: Tensor2D, options: MlpOptions = {}): Tensor2D {
  const {activation = "relu", transpose = "auto", inputGradient = false} = options;
  if (theta.size !== layout.size) throw new Error(`θ has ${theta.size} values, the layout needs ${layout.size}`);
  if (h0.shape[1] !== layout.sizes[0]) throw new Error(`the MLP takes ${layout.sizes[0]} inputs, got ${h0.shape[1]}`);
  const explicit = useExplicitTranspose(tf, transpose);
  const nLayers = layout.layers.length;
  const silu = activation === "silu";

  // Inside the forward function every tensor not passed to `save` is freed when it returns (the
  // engine runs it in a tidy), so the backward pass gets what it needs from `saved`:
  // [W_0 … W_{L−1}, h_0 … h_{L−1}] and, for SiLU, [σ(z_0) … σ(z_{L−2})].
  const forward = (thetaIn: Tensor, ...rest: unknown[]) => {
    const save = rest[rest.length - 1] as (tensors: Tensor[]) => void;
    const input = (inputGradient ? rest[0] : h0) as Tensor2D;
    const params = unpack(tf, thetaIn as Tensor1D, layout);
    const hs: Tensor2D[] = [input];
    const sigmas: Tensor2D[] = [];
    let h = input;
    for (let l = 0; l < nLayers; l++) {
      const {W, b} = params[l];
      const last = l === nLayers - 1;
      if (last || !silu) {
        // Bias add and ReLU fused into the matMul kernel: one op per layer.
        h = tf.fused.matMul({a: h, b: W, bias: b, activation: last ? "linear" : "relu"}) as Tensor2D;
      } else {
        const z = tf.fused.matMul({a: h, b: W, bias: b}) as Tensor2D;
        const s = tf.sigmoid(z);
        h = tf.mul(z, s);
        sigmas.push(s);
      }
      if (!last) hs.push(h);
    }
    save([...params.map((p) => p.W), ...hs, ...sigmas]);
    const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
      const Ws = saved.slice(0, nLayers) as Tensor2D[];
      const hIn = saved.slice(nLayers, 2 * nLayers) as Tensor2D[];
      const sig = saved.slice(2 * nLayers) as Tensor2D[];
      const parts: Tensor[] = new Array(2 * nLayers);
      let dz = dy as Tensor2D;
      let dInput: Tensor2D | null = null;
      // ∂/∂b = Σ_batch dz as 1ᵀ·dz: a plain matMul, where sum over axis 0 transposes internally
      // (tfjs reduces innermost axes) and is several times slower on wasm and cpu.
      const ones = tf.ones([1, dz.shape[0]]) as unknown as Tensor2D;
      for (let l = nLayers - 1; l >= 0; l--) {
        parts[2 * l] = tf.reshape(kernelGrad(tf, hIn[l], dz, explicit), [-1]);
        parts[2 * l + 1] = tf.reshape(tf.matMul(ones, dz), [-1]);
        if (l === 0 && !inputGradient) break;
        const dh = matMulTB(tf, dz, Ws[l], explicit);
        if (l === 0) {
          dInput = dh;
          break;
        }
        // dz for layer l − 1 from the gradient of its output h = hIn[l] = act(z).
        const h = hIn[l];
        if (silu) {
          // d/dz [z σ(z)] = σ + zσ(1 − σ) = σ + h − hσ, with h = zσ.
          const s = sig[l - 1];
          dz = tf.mul(dh, tf.sub(tf.add(s, h), tf.mul(h, s)));
        } else {
          dz = tf.mul(dh, tf.step(h)); // relu′(z) = 1 where h = relu(z) > 0, as tfjs's own Relu gradient
        }
      }
      const dTheta = tf.concat(parts, 0);
      return inputGradient ? [dTheta, dInput!] : [dTheta];
    };
    return {value: h, gradFunc};
  };
  const op = tf.customGrad(forward as unknown as CustomGradientFunc);
  return (inputGradient ? op(theta, h0) : op(theta)) as Tensor2D;
}

/**
 * The same MLP written with stock ops (matMul, add, relu or x·sigmoid(x)) and separate W, b
 * tensors: the reference that mlpApply's hand-written gradients are tested against.
 */
export function mlpApplyStock(
  tf: Tf,
  params: readonly {W: Tensor2D; b: Tensor1D}[],
  h0: Tensor2D,
  activation: Activation = "relu"
): Tensor2D {
  let h = h0;
  params.forEach(({W, b}, l) => {
    const z = tf.add(tf.matMul(h, W), b) as Tensor2D;
    if (l === params.length - 1) h = z;
    else h = activation === "relu" ? tf.relu(z) : tf.mul(z, tf.sigmoid(z));
  });
  return h;
}

/**
 * The MLP's forward pass from layer `from` on, with plain ops and no custom gradient: for
 * inference (sampling), where the caller has already computed layer `from`'s input.
 */
export function mlpForward(
  tf: Tf,
  params: readonly {W: Tensor2D; b: Tensor1D}[],
  h: Tensor2D,
  from: number,
  activation: Activation = "relu"
): Tensor2D {
  for (let l = from; l < params.length; l++) {
    const last = l === params.length - 1;
    if (last || activation === "relu") {
      h = tf.fused.matMul({a: h, b: params[l].W, bias: params[l].b, activation: last ? "linear" : "relu"}) as Tensor2D;
    } else {
      const z = tf.fused.matMul({a: h, b: params[l].W, bias: params[l].b});
      h = tf.mul(z, tf.sigmoid(z)) as Tensor2D;
    }
  }
  return h;
}

/** θ split into separate W, b tensors (slices; for tests and for the stock reference). */
export function unpackParams(tf: Tf, theta: Tensor1D, layout: MlpLayout): {W: Tensor2D; b: Tensor1D}[] {
  return unpack(tf, theta, layout);
}

/**
 * Σ_j w_j ‖target_j − pred_j‖² (summed over coordinates) as one custom-gradient op, with
 * ∂/∂pred = −2 w ⊙ (target − pred) · dy written out (autodiff of sub/square/sum/mul would record
 * ~8 backward ops). `weights` (batch × 1) carries any per-example weight and the 1/batch of the
 * mean; null means 1/batch for every example (the plain mean of L_simple, Eq. 14).
 */
export function weightedSquaredError(tf: Tf, pred: Tensor2D, target: Tensor2D, weights: Tensor2D | null): tfTypes.Scalar {
  const batch = pred.shape[0];
  const forward = (p: Tensor, save: (tensors: Tensor[]) => void) => {
    const diff = tf.sub(p, target);
    const sq = tf.square(diff);
    const value = weights ? tf.sum(tf.mul(sq, weights)) : tf.div(tf.sum(sq), batch);
    save([diff]);
    const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor => {
      const scale = weights ? tf.mul(weights, tf.mul(dy, 2)) : tf.mul(dy, 2 / batch);
      return tf.mul(saved[0], scale);
    };
    return {value: value as tfTypes.Scalar, gradFunc};
  };
  const op = tf.customGrad(forward as unknown as CustomGradientFunc);
  return op(pred) as tfTypes.Scalar;
}
