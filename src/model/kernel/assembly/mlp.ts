// The denoiser's MLP as WebAssembly SIMD kernels (AssemblyScript; built by scripts/build-kernel.ts).
//
// Everything the training step and the sampler need, in a handful of loops over plain float32
// arrays in linear memory: dense layers with bias and ReLU fused (gemm, and gemmSparseA for the
// sampler's ReLU inputs), their gradients (gemmTN, the masked gemm, colSum), the two-wide output
// layer, the loss and its gradient, Adam with the weights' moving average, the Fourier features
// and Algorithm 2's update. The caller (mlp.ts)
// owns the memory layout and the order of the calls; nothing here allocates.
//
// Matrices are row-major; `ld*` are row strides in floats. The wide kernels need N % 16 == 0 (the
// hidden widths); the contraction length (K, or the batch for gemmTN) and the row count are free.
//
// Longer than the site's ~350 lines on purpose: this file is the whole WebAssembly module (one
// entry for scripts/build-kernel.ts); forward and backward share its inlined SIMD helpers.

/** a·b + c, fused where the build has relaxed SIMD (one rounding instead of two). */
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** The epilogue of one 4-wide block of C: + bias, then ReLU, or ⊙ (mask > 0). */
@inline
function finish(acc: v128, bias: usize, relu: bool, mask: usize, j: usize): v128 {
  let v = acc;
  if (bias) v = f32x4.add(v, v128.load(bias + j));
  if (relu) v = f32x4.max(v, f32x4.splat(0));
  if (mask) v = v128.and(v, f32x4.gt(v128.load(mask + j), f32x4.splat(0)));
  return v;
}

/**
 * C (M×N) = epilogue(A·B), the workhorse. A's element (r, k) sits at a + r·aRow + k·aK (bytes), so the
 * same loop serves A·B (aRow = lda·4, aK = 4) and Aᵀ·B (aRow = 4, aK = lda·4). B is K×N (ldb), C is
 * M×N (ldc). Epilogue: + bias (N floats; 0 = none), ReLU if relu, ⊙ (mask > 0) with mask M×N (ldc;
 * 0 = none). Blocks of 2 rows × 16 columns keep 8 accumulators, 4 B vectors and a splat in
 * registers (16 on x86-64); a last odd row runs alone.
 */
export function gemm(
  a: usize, aRow: usize, aK: usize,
  b: usize, ldb: i32,
  c: usize, ldc: i32,
  M: i32, K: i32, N: i32,
  bias: usize, relu: bool, mask: usize, accumulate: bool
): void {
  const bRow = <usize>ldb << 2;
  const cRow = <usize>ldc << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const ar = a + <usize>i * aRow;
    const cr = c + <usize>i * cRow;
    const mr = mask ? mask + <usize>i * cRow : 0;
    for (let j = 0; j < N; j += 16) {
      const jb = <usize>j << 2;
      const p0 = cr + jb, p1 = p0 + cRow;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      if (accumulate) {
        c00 = v128.load(p0); c01 = v128.load(p0, 16); c02 = v128.load(p0, 32); c03 = v128.load(p0, 48);
        c10 = v128.load(p1); c11 = v128.load(p1, 16); c12 = v128.load(p1, 32); c13 = v128.load(p1, 48);
      }
      let pa = ar;
      let pb = b + jb;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
        let s = v128.load32_splat(pa);
        c00 = madd(s, b0, c00); c01 = madd(s, b1, c01); c02 = madd(s, b2, c02); c03 = madd(s, b3, c03);
        s = v128.load32_splat(pa + aRow);
        c10 = madd(s, b0, c10); c11 = madd(s, b1, c11); c12 = madd(s, b2, c12); c13 = madd(s, b3, c13);
        pa += aK;
        pb += bRow;
      }
      const m0 = mr, m1 = mr ? mr + cRow : 0;
      v128.store(p0, finish(c00, bias, relu, m0, jb)); v128.store(p0 + 16, finish(c01, bias, relu, m0, jb + 16));
      v128.store(p0 + 32, finish(c02, bias, relu, m0, jb + 32)); v128.store(p0 + 48, finish(c03, bias, relu, m0, jb + 48));
      v128.store(p1, finish(c10, bias, relu, m1, jb)); v128.store(p1 + 16, finish(c11, bias, relu, m1, jb + 16));
      v128.store(p1 + 32, finish(c12, bias, relu, m1, jb + 32)); v128.store(p1 + 48, finish(c13, bias, relu, m1, jb + 48));
    }
  }
  if (i < M) {
    const ar = a + <usize>i * aRow;
    const cr = c + <usize>i * cRow;
    const mr = mask ? mask + <usize>i * cRow : 0;
    for (let j = 0; j < N; j += 16) {
      const jb = <usize>j << 2;
      const p0 = cr + jb;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      if (accumulate) {
        c00 = v128.load(p0); c01 = v128.load(p0, 16); c02 = v128.load(p0, 32); c03 = v128.load(p0, 48);
      }
      let pa = ar;
      let pb = b + jb;
      for (let k = 0; k < K; k++) {
        const s = v128.load32_splat(pa);
        c00 = madd(s, v128.load(pb), c00); c01 = madd(s, v128.load(pb, 16), c01);
        c02 = madd(s, v128.load(pb, 32), c02); c03 = madd(s, v128.load(pb, 48), c03);
        pa += aK;
        pb += bRow;
      }
      const m0 = mr;
      v128.store(p0, finish(c00, bias, relu, m0, jb)); v128.store(p0 + 16, finish(c01, bias, relu, m0, jb + 16));
      v128.store(p0 + 32, finish(c02, bias, relu, m0, jb + 32)); v128.store(p0 + 48, finish(c03, bias, relu, m0, jb + 48));
    }
  }
}

/**
 * C (M×N) = epilogue(A·B) for an A with many zeros (a ReLU's output: about half zeros in a fresh
 * model, two thirds in a trained one). Rows of A go in pairs, as in gemm; each pair is first packed
 * into the k where either row is nonzero (the two values in `vals`, 2K floats of scratch, and B's
 * row offset in `rows`, K of scratch), and only those rows of B are read. The products left out
 * are exact zeros, so C is gemm's, term for term in the same order. A is M×K (lda), B is K×N (ldb),
 * C is M×N (ldc), N % 16 == 0; epilogue as gemm's (bias, relu; no mask).
 */
export function gemmSparseA(
  a: usize, lda: i32,
  b: usize, ldb: i32,
  c: usize, ldc: i32,
  M: i32, K: i32, N: i32,
  bias: usize, relu: bool, vals: usize, rows: usize
): void {
  const aRowBytes = <usize>lda << 2;
  const bRow = <usize>ldb << 2;
  const cRow = <usize>ldc << 2;
  for (let i = 0; i < M; i += 2) {
    const a0 = a + <usize>i * aRowBytes;
    const two = i + 1 < M;
    const a1 = two ? a0 + aRowBytes : a0;
    // Pack the k where either row is nonzero: every entry is written, and the count moves on only
    // past a kept one (no branch to mispredict).
    let nnz: usize = 0;
    for (let k = 0; k < K; k++) {
      const kb = <usize>k << 2;
      const v0 = load<f32>(a0 + kb), v1 = load<f32>(a1 + kb);
      store<f32>(vals + (nnz << 3), v0);
      store<f32>(vals + (nnz << 3), v1, 4);
      store<u32>(rows + (nnz << 2), <u32>(<usize>k * bRow));
      nnz += <usize>((v0 != 0) | (v1 != 0));
    }
    const p0 = c + <usize>i * cRow;
    for (let j = 0; j < N; j += 16) {
      const jb = <usize>j << 2;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      const bj = b + jb;
      for (let q: usize = 0; q < nnz; q++) {
        const pb = bj + <usize>load<u32>(rows + (q << 2));
        const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
        let s = v128.load32_splat(vals + (q << 3));
        c00 = madd(s, b0, c00); c01 = madd(s, b1, c01); c02 = madd(s, b2, c02); c03 = madd(s, b3, c03);
        s = v128.load32_splat(vals + (q << 3) + 4);
        c10 = madd(s, b0, c10); c11 = madd(s, b1, c11); c12 = madd(s, b2, c12); c13 = madd(s, b3, c13);
      }
      const q0 = p0 + jb;
      v128.store(q0, finish(c00, bias, relu, 0, jb)); v128.store(q0 + 16, finish(c01, bias, relu, 0, jb + 16));
      v128.store(q0 + 32, finish(c02, bias, relu, 0, jb + 32)); v128.store(q0 + 48, finish(c03, bias, relu, 0, jb + 48));
      if (two) {
        const q1 = q0 + cRow;
        v128.store(q1, finish(c10, bias, relu, 0, jb)); v128.store(q1 + 16, finish(c11, bias, relu, 0, jb + 16));
        v128.store(q1 + 32, finish(c12, bias, relu, 0, jb + 32)); v128.store(q1 + 48, finish(c13, bias, relu, 0, jb + 48));
      }
    }
  }
}

/** out (N floats) = Σ_rows A (M×N, lda), e.g. ∂/∂b = Σ_batch dz. N % 4 == 0. */
export function colSum(a: usize, lda: i32, M: i32, N: i32, out: usize): void {
  const row = <usize>lda << 2;
  for (let j = 0; j < N; j += 4) {
    const jb = <usize>j << 2;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    let p = a + jb;
    let i = 0;
    for (; i + 2 <= M; i += 2) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p + row));
      p += row << 1;
    }
    if (i < M) s0 = f32x4.add(s0, v128.load(p));
    v128.store(out + jb, f32x4.add(s0, s1));
  }
}

/** dst (cols × rows) = srcᵀ, src rows × cols, both dense. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * cols) << 2);
    for (let q = 0; q < cols; q++) store<f32>(dst + (<usize>(q * rows + r) << 2), load<f32>(s + (<usize>q << 2)));
  }
}

/**
 * The two-wide output layer: out (M×2) = h (M×K, ldh)·W + b with W = [w0 | w1] given as its two
 * columns (K floats each, deinterleaved by the caller) and b two floats. K % 4 == 0.
 */
export function outForward(h: usize, ldh: i32, M: i32, K: i32, w0: usize, w1: usize, b: usize, out: usize): void {
  const row = <usize>ldh << 2;
  const b0 = load<f32>(b), b1 = load<f32>(b, 4);
  for (let i = 0; i < M; i++) {
    const hr = h + <usize>i * row;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let k = 0;
    for (; k + 8 <= K; k += 8) {
      const kb = <usize>k << 2;
      const x0 = v128.load(hr + kb), x1 = v128.load(hr + kb + 16);
      a0 = madd(x0, v128.load(w0 + kb), a0); a1 = madd(x0, v128.load(w1 + kb), a1);
      a2 = madd(x1, v128.load(w0 + kb + 16), a2); a3 = madd(x1, v128.load(w1 + kb + 16), a3);
    }
    if (k < K) {
      const kb = <usize>k << 2;
      const x0 = v128.load(hr + kb);
      a0 = madd(x0, v128.load(w0 + kb), a0); a1 = madd(x0, v128.load(w1 + kb), a1);
    }
    const s0 = f32x4.add(a0, a2), s1 = f32x4.add(a1, a3);
    // Horizontal sums of s0 and s1 at once: [s0₀+s0₂, s1₀+s1₂, s0₁+s0₃, s1₁+s1₃], then pairs.
    const t = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
    const u = f32x4.add(t, v128.shuffle<f32>(t, t, 2, 3, 0, 1));
    const o = out + (<usize>i << 3);
    store<f32>(o, f32x4.extract_lane(u, 0) + b0);
    store<f32>(o, f32x4.extract_lane(u, 1) + b1, 4);
  }
}

/**
 * Loss Σ_i w_i ‖pred_i − target_i‖² over M rows of 2 (w_i = weights[i], or `scale` for every row when
 * weights is 0), and its gradient dy_i = 2 w_i (pred_i − target_i) written to dy (M×2).
 */
export function lossGrad(pred: usize, target: usize, weights: usize, scale: f32, M: i32, dy: usize): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < M; i++) {
    const o = <usize>i << 3;
    const w: f32 = weights ? load<f32>(weights + (<usize>i << 2)) : scale;
    const d0 = load<f32>(pred + o) - load<f32>(target + o);
    const d1 = load<f32>(pred + o, 4) - load<f32>(target + o, 4);
    loss += <f64>(w * (d0 * d0 + d1 * d1));
    const w2: f32 = <f32>2 * w;
    store<f32>(dy + o, w2 * d0);
    store<f32>(dy + o, w2 * d1, 4);
  }
  return loss;
}

/**
 * The output layer's backward pass. With dy (M×2) the loss gradient at its output and h (M×K, ldh)
 * its input: ∂W (K×2, interleaved as θ lays it out) = hᵀ·dy, ∂b (2) = Σ_i dy_i, and the gradient at the
 * previous layer's pre-activation dz (M×K, ldh) = (dy·Wᵀ) ⊙ (h > 0). K % 16 == 0.
 */
export function outBackward(h: usize, ldh: i32, M: i32, K: i32, dy: usize, w0: usize, w1: usize, gW: usize, gb: usize, dz: usize): void {
  const row = <usize>ldh << 2;
  // ∂W in blocks of 16 inputs × 2 outputs: 8 accumulators over the batch.
  for (let k = 0; k < K; k += 16) {
    const kb = <usize>k << 2;
    let p0 = f32x4.splat(0), p1 = f32x4.splat(0), p2 = f32x4.splat(0), p3 = f32x4.splat(0);
    let q0 = f32x4.splat(0), q1 = f32x4.splat(0), q2 = f32x4.splat(0), q3 = f32x4.splat(0);
    let ph = h + kb;
    for (let i = 0; i < M; i++) {
      const d0 = v128.load32_splat(dy + (<usize>i << 3));
      const d1 = v128.load32_splat(dy + (<usize>i << 3) + 4);
      const x0 = v128.load(ph), x1 = v128.load(ph, 16), x2 = v128.load(ph, 32), x3 = v128.load(ph, 48);
      p0 = madd(x0, d0, p0); p1 = madd(x1, d0, p1); p2 = madd(x2, d0, p2); p3 = madd(x3, d0, p3);
      q0 = madd(x0, d1, q0); q1 = madd(x1, d1, q1); q2 = madd(x2, d1, q2); q3 = madd(x3, d1, q3);
      ph += row;
    }
    // Interleave [∂W(k, 0), ∂W(k, 1), ∂W(k+1, 0), …] as θ stores W (K × 2, row-major).
    const g = gW + (kb << 1);
    v128.store(g, v128.shuffle<f32>(p0, q0, 0, 4, 1, 5)); v128.store(g, v128.shuffle<f32>(p0, q0, 2, 6, 3, 7), 16);
    v128.store(g, v128.shuffle<f32>(p1, q1, 0, 4, 1, 5), 32); v128.store(g, v128.shuffle<f32>(p1, q1, 2, 6, 3, 7), 48);
    v128.store(g, v128.shuffle<f32>(p2, q2, 0, 4, 1, 5), 64); v128.store(g, v128.shuffle<f32>(p2, q2, 2, 6, 3, 7), 80);
    v128.store(g, v128.shuffle<f32>(p3, q3, 0, 4, 1, 5), 96); v128.store(g, v128.shuffle<f32>(p3, q3, 2, 6, 3, 7), 112);
  }
  let s0: f32 = 0, s1: f32 = 0;
  for (let i = 0; i < M; i++) {
    s0 += load<f32>(dy + (<usize>i << 3));
    s1 += load<f32>(dy + (<usize>i << 3), 4);
  }
  store<f32>(gb, s0);
  store<f32>(gb, s1, 4);
  // dz = (dy·Wᵀ) ⊙ relu′: row i is dy_i0·w0 + dy_i1·w1 where the layer's input h_i > 0.
  const zero = f32x4.splat(0);
  for (let i = 0; i < M; i++) {
    const d0 = v128.load32_splat(dy + (<usize>i << 3));
    const d1 = v128.load32_splat(dy + (<usize>i << 3) + 4);
    const hr = h + <usize>i * row;
    const zr = dz + <usize>i * row;
    for (let k = 0; k < K; k += 4) {
      const kb = <usize>k << 2;
      const v = madd(d1, v128.load(w1 + kb), f32x4.mul(d0, v128.load(w0 + kb)));
      v128.store(zr + kb, v128.and(v, f32x4.gt(v128.load(hr + kb), zero)));
    }
  }
}

/**
 * One Adam step on n parameters (n % 4 == 0), as the site's adamUpdate: m ← β₁m + (1−β₁)g,
 * v ← β₂v + (1−β₂)g², θ ← θ − stepSize·m/(√(v·vScale) + ε) with stepSize = lr/(1−β₁ᵏ) and
 * vScale = 1/(1−β₂ᵏ); then the moving average avg ← d·avg + (1−d)·θ when d > 0. The complements
 * 1−β₁, 1−β₂ and 1−d come from the caller, computed in float64 as the tfjs path does.
 */
export function adam(
  theta: usize, m: usize, v: usize, g: usize, avg: usize, n: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, epsilon: f32, stepSize: f32, vScale: f32, decay: f32, oneMinusDecay: f32
): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(oneMinusBeta2);
  const eps = f32x4.splat(epsilon), lr = f32x4.splat(stepSize), vs = f32x4.splat(vScale);
  const d = f32x4.splat(decay), cd = f32x4.splat(oneMinusDecay);
  const averaging = decay > 0;
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(gi, c1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(gi, gi), c2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vi, vs)), eps);
    const t = f32x4.sub(v128.load(theta + o), f32x4.mul(f32x4.div(mi, denom), lr));
    v128.store(theta + o, t);
    if (averaging) v128.store(avg + o, f32x4.add(f32x4.mul(v128.load(avg + o), d), f32x4.mul(t, cd)));
  }
}

// sin and cos of four floats at once: x = j·π/2 + r with |r| ≤ π/4 (π/2 in three parts, so r is
// exact to float32 for |x| well beyond the features' range), then Cephes's minimax polynomials
// for sin r and cos r, and the quadrant j mod 4 picks and signs them. Error ~1e-7 for |x| < 1000.
const PIO2_1: f32 = 1.5703125;
const PIO2_2: f32 = 4.837512969970703125e-4;
const PIO2_3: f32 = 7.54978995489188216e-8;

@inline
function sinPoly(r: v128, r2: v128): v128 {
  const p = madd(madd(f32x4.splat(-1.9515295891e-4), r2, f32x4.splat(8.3321608736e-3)), r2, f32x4.splat(-1.6666654611e-1));
  return madd(f32x4.mul(r, r2), p, r);
}

@inline
function cosPoly(r2: v128): v128 {
  const p = madd(madd(f32x4.splat(2.443315711809948e-5), r2, f32x4.splat(-1.388731625493765e-3)), r2, f32x4.splat(4.166664568298827e-2));
  return madd(f32x4.mul(r2, r2), p, f32x4.sub(f32x4.splat(1), f32x4.mul(r2, f32x4.splat(0.5))));
}

/** Writes sin(x) to ps and cos(x) to pc, `lanes` (2 or 4) of them. */
@inline
function sincos(x: v128, ps: usize, pc: usize, lanes: i32): void {
  const j = f32x4.nearest(f32x4.mul(x, f32x4.splat(0.636619772367581343)));
  let r = f32x4.sub(x, f32x4.mul(j, f32x4.splat(PIO2_1)));
  r = f32x4.sub(r, f32x4.mul(j, f32x4.splat(PIO2_2)));
  r = f32x4.sub(r, f32x4.mul(j, f32x4.splat(PIO2_3)));
  // Past |x| ≈ 1e5 float32 cannot reduce x (the remainder is noise, and past ~1e9 huge): such a
  // lane gets r = 0, a finite value in [−1, 1] as sin of a number that large may be, not ±Infinity.
  r = v128.andnot(r, f32x4.gt(f32x4.abs(r), f32x4.splat(1)));
  const r2 = f32x4.mul(r, r);
  const s = sinPoly(r, r2);
  const c = cosPoly(r2);
  const q = i32x4.trunc_sat_f32x4_s(j);
  const odd = i32x4.eq(v128.and(q, i32x4.splat(1)), i32x4.splat(1));
  const sinSign = i32x4.shl(v128.and(q, i32x4.splat(2)), 30);
  const cosSign = i32x4.shl(v128.and(i32x4.add(q, i32x4.splat(1)), i32x4.splat(2)), 30);
  const sv = v128.xor(v128.bitselect(c, s, odd), sinSign);
  const cv = v128.xor(v128.bitselect(s, c, odd), cosSign);
  if (lanes == 4) {
    v128.store(ps, sv);
    v128.store(pc, cv);
  } else {
    v128.store64_lane(ps, sv, 0);
    v128.store64_lane(pc, cv, 0);
  }
}

/** sin and cos of each of n floats (n % 4 == 0), for the tests of the approximation. */
export function sinCos(x: usize, n: i32, sinOut: usize, cosOut: usize): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    sincos(v128.load(x + o), sinOut + o, cosOut + o, 4);
  }
}

/**
 * The x-dependent columns of h_0 for n points x (n×2): [x, y, sin(ω_k x), sin(ω_k y) for k < F,
 * cos(ω_k x), cos(ω_k y) for k < F] (2 + 4F columns, row stride ldo), as the denoiser's features().
 * `omega` holds the F frequencies each twice ([ω_0, ω_0, ω_1, ω_1, …], padded to a multiple of 4).
 */
export function fourier(x: usize, n: i32, F: i32, omega: usize, out: usize, ldo: i32): void {
  const row = <usize>ldo << 2;
  for (let i = 0; i < n; i++) {
    const xy = v128.load64_zero(x + (<usize>i << 3));
    const o = out + <usize>i * row;
    v128.store64_lane(o, xy, 0);
    const args = v128.shuffle<f32>(xy, xy, 0, 1, 0, 1);
    const sinAt = o + 8;
    const cosAt = sinAt + (<usize>F << 3);
    for (let k = 0; k < F; k += 2) {
      const kb = <usize>k << 3;
      sincos(f32x4.mul(args, v128.load(omega + kb)), sinAt + kb, cosAt + kb, k + 1 < F ? 4 : 2);
    }
  }
}

/** Algorithm 2's update of n points in place: x ← a·x + b·ε (+ c·z when z ≠ 0). */
export function update(x: usize, eps: usize, z: usize, n: i32, a: f32, b: f32, c: f32): void {
  const va = f32x4.splat(a), vb = f32x4.splat(b), vc = f32x4.splat(c);
  const len = n << 1;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    let v = madd(v128.load(eps + o), vb, f32x4.mul(v128.load(x + o), va));
    if (z) v = madd(v128.load(z + o), vc, v);
    v128.store(x + o, v);
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    let v = a * load<f32>(x + o) + b * load<f32>(eps + o);
    if (z) v += c * load<f32>(z + o);
    store<f32>(x + o, v);
  }
}

