/**
 * The denoiser's MLP on the WebAssembly SIMD kernel (assembly/mlp.ts): its training step (forward,
 * backward, Adam and the weights' moving average in one call from JavaScript, no tfjs ops) and the
 * sampler's evaluation of ε_θ. tfjs spends ~20–35 µs of bookkeeping per op on cpu/wasm and a
 * training step is ~50 ops; here a step is a dozen calls into one WebAssembly instance, whose loops
 * run at the machine's SIMD rate.
 *
 * The parameters live in the instance's memory, laid out as θ in dense.ts (so a θ read from or
 * written to the tfjs denoiser is one copy). The layout of the rest (activations, gradients) is
 * this file's: a bump allocation, redone when a larger batch arrives.
 *
 * Supported architectures: ReLU, hidden widths that are multiples of 16, two outputs — the site's
 * default and large models. kernelSupport (load.ts, with the loading of the module) says why
 * another one is not.
 *
 * Longer than the site's ~350 lines on purpose: MlpKernel is one class over one memory layout, and
 * its forward, backward, Adam and sampling calls all read the byte offsets its constructor lays out.
 */
import type {MlpLayout} from "../dense.js";
import type {KernelExports, KernelFlavour, LoadedKernel} from "./load.js";

/** Adam's settings for one step (the k-th), as the site's adamUpdate takes them. */
export interface AdamStep {
  k: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decay of the weights' moving average (0: off). */
  averageDecay: number;
}

/** What sampling needs beyond θ: the inputs' shape (denoiser.ts's h_0 = [x, Fourier features, emb(t)]). */
export interface KernelInputs {
  /** The Fourier features' frequencies ω_k (F of them). */
  fourierFrequencies: ArrayLike<number>;
  /** The time-embedding table, row t for t = 0 … maxT. */
  embeddingTable: Float32Array;
  /** Width of one embedding row. */
  embeddingWidth: number;
}

const align = (bytes: number) => (bytes + 15) & ~15;

/** Batch rows per pass of ∂W = hᵀ·dz (measured: 64 rows of h and dz fit the first-level cache together). */
const TN_CHUNK = 64;

/**
 * One MLP on one WebAssembly instance. Buffers for the batch are sized on first use and grown when
 * a larger batch comes; views returned by the methods are valid until the next call that may grow
 * memory (any call taking a row count).
 */
export class MlpKernel {
  readonly flavour: KernelFlavour;
  /** θ's length rounded up to a multiple of 4 (the padding stays 0). */
  readonly paddedSize: number;
  private readonly ex: KernelExports;
  private readonly sizes: number[];
  private readonly nLayers: number;
  // Byte offsets of the fixed regions.
  private readonly theta: number;
  private readonly m: number;
  private readonly v: number;
  private readonly avg: number;
  private readonly grad: number;
  private readonly wT: number;
  private readonly w0: number;
  private readonly w1: number;
  private readonly biasT: number;
  private readonly packVals: number;
  private readonly packRows: number;
  private readonly omega: number;
  private readonly table: number;
  private readonly fixedEnd: number;
  // Byte offsets of the batch regions (for `rows` rows).
  private rows = 0;
  private hs: number[] = [];
  private out = 0;
  private target = 0;
  private weights = 0;
  private dy = 0;
  private dzA = 0;
  private dzB = 0;
  private feat = 0;
  private x = 0;
  private z = 0;

  private constructor(
    instance: WebAssembly.Instance,
    flavour: KernelFlavour,
    readonly layout: MlpLayout,
    private readonly inputs: KernelInputs | null
  ) {
    this.ex = instance.exports as unknown as KernelExports;
    this.flavour = flavour;
    this.sizes = layout.sizes;
    this.nLayers = layout.layers.length;
    const last = this.sizes[this.nLayers];
    if (last !== 2) throw new Error(`the kernel's output layer is two wide (ε for 2D points), this MLP has ${last} outputs`);
    const hidden = this.sizes.slice(1, -1);
    if (hidden.length < 1 || hidden.some((h) => h % 16 !== 0)) throw new Error(`the kernel needs hidden widths that are multiples of 16, got [${hidden.join(", ")}]`);
    this.paddedSize = (layout.size + 3) & ~3;
    const maxHidden = Math.max(...hidden);
    let at = 16; // keep address 0 free: 0 means "none" to the kernel
    const take = (floats: number) => {
      const start = at;
      at += align(4 * floats);
      return start;
    };
    this.theta = take(this.paddedSize);
    this.m = take(this.paddedSize);
    this.v = take(this.paddedSize);
    this.avg = take(this.paddedSize);
    this.grad = take(this.paddedSize);
    this.wT = take(maxHidden * maxHidden);
    this.w0 = take(this.sizes[this.nLayers - 1]);
    this.w1 = take(this.sizes[this.nLayers - 1]);
    this.biasT = take(this.sizes[1]);
    this.packVals = take(2 * maxHidden);
    this.packRows = take(maxHidden);
    const F = inputs?.fourierFrequencies.length ?? 0;
    this.omega = take(2 * F + 4);
    this.table = take(inputs?.embeddingTable.length ?? 0);
    this.fixedEnd = at;
    this.ensureMemory(at);
    if (inputs) {
      const omega = this.f32(this.omega, 2 * F);
      for (let k = 0; k < F; k++) omega[2 * k] = omega[2 * k + 1] = inputs.fourierFrequencies[k];
      this.f32(this.table, inputs.embeddingTable.length).set(inputs.embeddingTable);
    }
  }

  /** The inputs it was created with (null: it cannot sample). */
  get modelInputs(): KernelInputs | null {
    return this.inputs;
  }

  /** A kernel for an MLP with this layout; `inputs` are needed for sampling (predictAt). */
  static async create(kernel: LoadedKernel, layout: MlpLayout, inputs: KernelInputs | null = null): Promise<MlpKernel> {
    const instance = await WebAssembly.instantiate(kernel.module, {env: {abort: () => {
      throw new Error("the kernel aborted");
    }}});
    return new MlpKernel(instance, kernel.flavour, layout, inputs);
  }

  private ensureMemory(bytes: number): void {
    const memory = this.ex.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  }

  private f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.ex.memory.buffer, offset, length);
  }

  /** Lays out the batch regions for n rows (keeps them if already large enough). */
  private ensureRows(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`the row count must be an integer ≥ 1, got ${n}`);
    if (n <= this.rows) return;
    const rows = Math.max(n, 2 * this.rows);
    let at = this.fixedEnd;
    const take = (floats: number) => {
      const start = at;
      at += align(4 * floats);
      return start;
    };
    const maxHidden = Math.max(...this.sizes.slice(1, -1));
    this.hs = this.sizes.slice(0, -1).map((d) => take(rows * d));
    this.out = take(rows * 2);
    this.target = take(rows * 2);
    this.weights = take(rows);
    this.dy = take(rows * 2);
    this.dzA = take(rows * maxHidden);
    this.dzB = take(rows * maxHidden);
    this.feat = take(rows * (2 + 4 * (this.inputs?.fourierFrequencies.length ?? 0)));
    this.x = take(rows * 2);
    this.z = take(rows * 2);
    this.ensureMemory(at);
    this.rows = rows;
  }

  /** θ (live view; layout.size values). */
  thetaView(): Float32Array {
    return this.f32(this.theta, this.layout.size);
  }
  /** The weights' moving average (live view). */
  averageView(): Float32Array {
    return this.f32(this.avg, this.layout.size);
  }
  /** Adam's first and second moments (live views). */
  momentViews(): {m: Float32Array; v: Float32Array} {
    return {m: this.f32(this.m, this.layout.size), v: this.f32(this.v, this.layout.size)};
  }
  /** ∂loss/∂θ of the last gradient() or step() (live view). */
  gradientView(): Float32Array {
    return this.f32(this.grad, this.layout.size);
  }

  /**
   * The batch's inputs, to be filled before gradient()/step(): h_0 (n × d_0), the target ε (n × 2)
   * and, for weighted losses, the per-example weights (n; they carry the batch mean's 1/n).
   */
  batchViews(n: number): {h0: Float32Array; target: Float32Array; weights: Float32Array} {
    this.ensureRows(n);
    return {h0: this.f32(this.hs[0], n * this.sizes[0]), target: this.f32(this.target, 2 * n), weights: this.f32(this.weights, n)};
  }

  /** The output layer's two weight columns, deinterleaved from θ for outForward/outBackward. */
  private splitOutputColumns(params: number): void {
    const L = this.layout.layers[this.nLayers - 1];
    const W = this.f32(params + 4 * L.kernelOffset, 2 * L.fanIn);
    const c0 = this.f32(this.w0, L.fanIn);
    const c1 = this.f32(this.w1, L.fanIn);
    for (let k = 0; k < L.fanIn; k++) {
      c0[k] = W[2 * k];
      c1[k] = W[2 * k + 1];
    }
  }

  /** The forward pass on the n rows of h_0 in batchViews, with the parameters at `params`; ε_θ lands in `out`. */
  private forward(n: number, params: number): void {
    const {ex, layout, sizes} = this;
    this.splitOutputColumns(params);
    for (let l = 0; l + 1 < this.nLayers; l++) {
      const L = layout.layers[l];
      // Past the first layer the inputs are ReLU outputs: gemmSparseA skips their zeros (same result).
      if (l === 0) ex.gemm(this.hs[0], 4 * sizes[0], 4, params + 4 * L.kernelOffset, L.fanOut, this.hs[1], L.fanOut, n, L.fanIn, L.fanOut, params + 4 * L.biasOffset, 1, 0, 0);
      else ex.gemmSparseA(this.hs[l], sizes[l], params + 4 * L.kernelOffset, L.fanOut, this.hs[l + 1], L.fanOut, n, L.fanIn, L.fanOut, params + 4 * L.biasOffset, 1, this.packVals, this.packRows);
    }
    const L = layout.layers[this.nLayers - 1];
    ex.outForward(this.hs[this.nLayers - 1], L.fanIn, n, L.fanIn, this.w0, this.w1, params + 4 * L.biasOffset, this.out);
  }

  /** ε_θ(h_0) for the n rows of batchViews(n).h0 (a copy). */
  predict(n: number): Float32Array {
    this.ensureRows(n);
    this.forward(n, this.theta);
    return this.f32(this.out, 2 * n).slice();
  }

  /**
   * The loss Σ_j w_j ‖target_j − ε_θ‖² (w_j = `scale`, 1/n by default, or the weights in batchViews
   * when `weighted`) of the first n rows in batchViews, and its gradient with respect to θ in
   * gradientView(). Returns the loss. (A part of a larger batch passes that batch's 1/B as scale.)
   */
  gradient(n: number, weighted: boolean, scale = 1 / n): number {
    const {ex, layout, sizes} = this;
    this.ensureRows(n);
    this.forward(n, this.theta);
    const loss = ex.lossGrad(this.out, this.target, weighted ? this.weights : 0, scale, n, this.dy);
    const g = this.grad;
    const last = layout.layers[this.nLayers - 1];
    let dz = this.dzA;
    let spare = this.dzB;
    ex.outBackward(this.hs[this.nLayers - 1], last.fanIn, n, last.fanIn, this.dy, this.w0, this.w1, g + 4 * last.kernelOffset, g + 4 * last.biasOffset, dz);
    for (let l = this.nLayers - 2; l >= 0; l--) {
      const L = layout.layers[l];
      // ∂W_l = h_lᵀ·dz: the kernel's A·B with A read transposed (rows of C are h_l's columns), summed
      // over chunks of the batch whose rows of h_l and dz stay in the first-level cache together.
      for (let i = 0; i < n; i += TN_CHUNK) {
        ex.gemm(this.hs[l] + 4 * i * sizes[l], 4, 4 * sizes[l], dz + 4 * i * L.fanOut, L.fanOut, g + 4 * L.kernelOffset, L.fanOut, L.fanIn, Math.min(TN_CHUNK, n - i), L.fanOut, 0, 0, 0, i > 0 ? 1 : 0);
      }
      ex.colSum(dz, L.fanOut, n, L.fanOut, g + 4 * L.biasOffset);
      if (l === 0) break;
      // dz of the layer below = (dz·W_lᵀ) ⊙ relu′, with W_lᵀ copied out so the product is a plain A·B.
      ex.transpose(this.theta + 4 * L.kernelOffset, L.fanIn, L.fanOut, this.wT);
      ex.gemm(dz, 4 * L.fanOut, 4, this.wT, L.fanIn, spare, L.fanIn, n, L.fanOut, L.fanIn, 0, 0, this.hs[l], 0);
      [dz, spare] = [spare, dz];
    }
    return loss;
  }

  /** One training step on the batch in batchViews(n): gradient(), then Adam and the moving average. Returns the loss. */
  step(n: number, weighted: boolean, adam: AdamStep): number {
    const loss = this.gradient(n, weighted);
    this.applyAdam(adam);
    return loss;
  }

  /** Adds `part` (another thread's gradient of the rest of the batch) to gradientView(). */
  addGradient(part: Float32Array): void {
    const g = this.gradientView();
    for (let i = 0; i < g.length; i++) g[i] += part[i];
  }

  /** Adam and the moving average with the gradient in gradientView(). */
  applyAdam(adam: AdamStep): void {
    const stepSize = adam.learningRate / (1 - Math.pow(adam.beta1, adam.k));
    const vScale = 1 / (1 - Math.pow(adam.beta2, adam.k));
    const {beta1, beta2, epsilon, averageDecay: d} = adam;
    this.ex.adam(this.theta, this.m, this.v, this.grad, this.avg, this.paddedSize, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, stepSize, vScale, d, 1 - d);
  }

  /** Sets θ (and, if `average`, the moving average too) from values laid out as in dense.ts. */
  setTheta(values: ArrayLike<number>, {average = false} = {}): void {
    if (values.length !== this.layout.size) throw new Error(`expected ${this.layout.size} parameters, got ${values.length}`);
    this.thetaView().set(values);
    if (average) this.averageView().set(values);
  }

  /** Zeroes Adam's moments. */
  resetMoments(): void {
    const {m, v} = this.momentViews();
    m.fill(0);
    v.fill(0);
  }

  /** The points x_t of a sampling run (n × 2; live view, to fill or read). */
  pointsView(n: number): Float32Array {
    this.ensureRows(n);
    return this.f32(this.x, 2 * n);
  }
  /** The noise z of the next sampling update (n × 2; live view, to fill). */
  noiseView(n: number): Float32Array {
    this.ensureRows(n);
    return this.f32(this.z, 2 * n);
  }

  /**
   * ε_θ(x, t) of the n points in pointsView, all at timestep t, into `out`. The first layer takes
   * [x, Fourier features] only; the embedding's share emb(t)·W_t + b_0 is computed once, as that
   * layer's bias.
   */
  private epsAt(n: number, t: number, params: number): void {
    const inputs = this.inputs;
    if (!inputs) throw new Error("this kernel was created without the model's inputs; it cannot sample");
    const {ex, layout} = this;
    const F = inputs.fourierFrequencies.length;
    const nx = 2 + 4 * F;
    const E = inputs.embeddingWidth;
    const first = layout.layers[0];
    if (nx + E !== first.fanIn) throw new Error(`the inputs (${nx} + ${E} wide) do not match the first layer (${first.fanIn})`);
    const maxT = inputs.embeddingTable.length / E - 1;
    if (!Number.isInteger(t) || t < 0 || t > maxT) throw new Error(`t = ${t} is outside the embedding's 0..${maxT}`);
    this.splitOutputColumns(params);
    ex.fourier(this.x, n, F, this.omega, this.feat, nx);
    const W0 = params + 4 * first.kernelOffset;
    const h1 = first.fanOut;
    ex.gemm(this.table + 4 * t * E, 0, 4, W0 + 4 * nx * h1, h1, this.biasT, h1, 1, E, h1, params + 4 * first.biasOffset, 0, 0, 0);
    ex.gemm(this.feat, 4 * nx, 4, W0, h1, this.hs[1], h1, n, nx, h1, this.biasT, 1, 0, 0);
    // The hidden layers' inputs are ReLU outputs (half zeros in a fresh model, two thirds in a
    // trained one): gemmSparseA multiplies only the nonzero ones, with the same result.
    for (let l = 1; l + 1 < this.nLayers; l++) {
      const L = layout.layers[l];
      ex.gemmSparseA(this.hs[l], L.fanIn, params + 4 * L.kernelOffset, L.fanOut, this.hs[l + 1], L.fanOut, n, L.fanIn, L.fanOut, params + 4 * L.biasOffset, 1, this.packVals, this.packRows);
    }
    const last = layout.layers[this.nLayers - 1];
    ex.outForward(this.hs[this.nLayers - 1], last.fanIn, n, last.fanIn, this.w0, this.w1, params + 4 * last.biasOffset, this.out);
  }

  /**
   * One sampling update of the n points in pointsView, all at timestep t, with θ (or the moving
   * average when `average`): x ← a·x + b·ε_θ(x, t) + c·z, z from noiseView (not used when c = 0).
   */
  sampleStep(n: number, t: number, a: number, b: number, c: number, {average = false} = {}): void {
    this.ensureRows(n);
    this.epsAt(n, t, average ? this.avg : this.theta);
    this.ex.update(this.x, this.out, c > 0 ? this.z : 0, n, a, b, c);
  }

  /** ε_θ(x, t) for the n points in pointsView at one t (a copy). */
  predictAt(n: number, t: number, {average = false} = {}): Float32Array {
    this.ensureRows(n);
    this.epsAt(n, t, average ? this.avg : this.theta);
    return this.f32(this.out, 2 * n).slice();
  }

  /** sin and cos of n floats (n % 4 == 0) by the kernel's approximation: for its tests. */
  sinCos(values: Float32Array): {sin: Float32Array; cos: Float32Array} {
    const n = values.length;
    if (n % 4 !== 0) throw new Error(`sinCos takes a multiple of 4 values, got ${n}`);
    this.ensureRows(Math.ceil((3 * n) / (2 * this.sizes[0])) + 1);
    const at = this.hs[0];
    this.f32(at, n).set(values);
    this.ex.sinCos(at, n, at + 4 * n, at + 8 * n);
    return {sin: this.f32(at + 4 * n, n).slice(), cos: this.f32(at + 8 * n, n).slice()};
  }
}
