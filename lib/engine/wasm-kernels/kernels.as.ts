// AssemblyScript source of the project's WebAssembly SIMD kernels (compiled by scripts/build-wasm-kernels.js into
// kernels.wasm.ts; not part of the TypeScript build). The module imports tfjs-wasm's own linear memory and works in
// place on its tensors: every pointer below is a byte offset into that heap (tfjs-wasm `memoryOffset`), all data
// float32 row-major. It must never own static data (a data segment would be written over tfjs's heap at
// instantiation): constants live in code, scratch space is malloc'ed by the caller (index.ts).
//
// Why: tfjs-wasm runs a batched (rank-3) or transposed matmul in a scalar loop at 1.3–3 GFLOP/s, while a register-
// blocked f32x4 kernel reaches 20–30 GFLOP/s on the same shapes; and one fused kernel replaces the dozens of small tfjs
// ops (each ≈ 15–20 µs of engine overhead) that attention, LayerNorm and GELU are made of.

// ---------------------------------------------------------------------------------------------------------------
// GEMM: C[m, n] = (accumulate ? C : 0) + A · B (+ bias[n]).
// A element (i, p) at a + 4·(i·ars + p·acs): any strides, so Aᵀ costs nothing (ars = 1, acs = lda).
// B element (p, j) at b + 4·(p·ldb + j): rows contiguous (the vectorised axis). C rows ldc apart.
// Register block 4 rows × 8 columns (8 f32x4 accumulators, A broadcast with load32_splat); wider blocks spill on
// x86-64's 16 vector registers. With `pack` ≠ 0 (scratch of k × 8 floats) each 8-column panel of B is first copied
// contiguous, which keeps a long-k panel (e.g. dW = xᵀ·dy over all tokens) in cache lines it fully uses.
// The sum over p runs in order p = 0 … k−1 for every element, so a row's result does not depend on which other rows
// share its call (batch-composition invariant).
// ---------------------------------------------------------------------------------------------------------------

@inline function ldv(p: usize): v128 { return v128.load(p); }
@inline function bc(p: usize): v128 { return v128.load32_splat(p); }
@inline function splat(x: f32): v128 { return f32x4.splat(x); }
@inline function fma(acc: v128, a: v128, b: v128): v128 { return f32x4.add(acc, f32x4.mul(a, b)); }

@inline function finish(c: usize, v: v128, bias: usize, j4: usize, accumulate: i32): void {
  if (bias) v = f32x4.add(v, ldv(bias + j4));
  if (accumulate) v = f32x4.add(v, ldv(c));
  v128.store(c, v);
}

@inline function finish1(c: usize, v: f32, bias: usize, j4: usize, accumulate: i32): void {
  if (bias) v += load<f32>(bias + j4);
  if (accumulate) v += load<f32>(c);
  store<f32>(c, v);
}

export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, accumulate: i32, pack: usize): void {
  const sa = <usize>ars << 2, sk = <usize>acs << 2, sb = <usize>ldb << 2, sc = <usize>ldc << 2;
  const n8 = n & ~7, n4 = n & ~3, m4 = m & ~3;
  for (let j = 0; j < n8; j += 8) {
    const j4 = <usize>j << 2;
    let panel = b + j4, ps = sb;
    if (pack) {
      let src = panel, dst = pack;
      for (let p = 0; p < k; p++) { v128.store(dst, ldv(src)); v128.store(dst + 16, ldv(src + 16)); src += sb; dst += 32; }
      panel = pack; ps = 32;
    }
    let i = 0;
    for (; i < m4; i += 4) {
      const a0 = a + <usize>i * sa, a1 = a0 + sa, a2 = a1 + sa, a3 = a2 + sa;
      let x00 = splat(0), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
      let bp = panel, ap: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = ldv(bp), b1 = ldv(bp + 16);
        let s = bc(a0 + ap); x00 = fma(x00, s, b0); x01 = fma(x01, s, b1);
        s = bc(a1 + ap); x10 = fma(x10, s, b0); x11 = fma(x11, s, b1);
        s = bc(a2 + ap); x20 = fma(x20, s, b0); x21 = fma(x21, s, b1);
        s = bc(a3 + ap); x30 = fma(x30, s, b0); x31 = fma(x31, s, b1);
        bp += ps; ap += sk;
      }
      let cp = c + <usize>i * sc + j4;
      finish(cp, x00, bias, j4, accumulate); finish(cp + 16, x01, bias, j4 + 16, accumulate); cp += sc;
      finish(cp, x10, bias, j4, accumulate); finish(cp + 16, x11, bias, j4 + 16, accumulate); cp += sc;
      finish(cp, x20, bias, j4, accumulate); finish(cp + 16, x21, bias, j4 + 16, accumulate); cp += sc;
      finish(cp, x30, bias, j4, accumulate); finish(cp + 16, x31, bias, j4 + 16, accumulate);
    }
    for (; i < m; i++) {
      const a0 = a + <usize>i * sa;
      let x0 = splat(0), x1 = x0;
      let bp = panel, ap: usize = 0;
      for (let p = 0; p < k; p++) {
        const s = bc(a0 + ap);
        x0 = fma(x0, s, ldv(bp)); x1 = fma(x1, s, ldv(bp + 16));
        bp += ps; ap += sk;
      }
      const cp = c + <usize>i * sc + j4;
      finish(cp, x0, bias, j4, accumulate); finish(cp + 16, x1, bias, j4 + 16, accumulate);
    }
  }
  if (n8 < n4) {
    const j4 = <usize>n8 << 2;
    let i = 0;
    for (; i < m4; i += 4) {
      const a0 = a + <usize>i * sa, a1 = a0 + sa, a2 = a1 + sa, a3 = a2 + sa;
      let x0 = splat(0), x1 = x0, x2 = x0, x3 = x0;
      let bp = b + j4, ap: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = ldv(bp);
        x0 = fma(x0, bc(a0 + ap), b0); x1 = fma(x1, bc(a1 + ap), b0);
        x2 = fma(x2, bc(a2 + ap), b0); x3 = fma(x3, bc(a3 + ap), b0);
        bp += sb; ap += sk;
      }
      let cp = c + <usize>i * sc + j4;
      finish(cp, x0, bias, j4, accumulate); cp += sc; finish(cp, x1, bias, j4, accumulate); cp += sc;
      finish(cp, x2, bias, j4, accumulate); cp += sc; finish(cp, x3, bias, j4, accumulate);
    }
    for (; i < m; i++) {
      const a0 = a + <usize>i * sa;
      let x0 = splat(0);
      let bp = b + j4, ap: usize = 0;
      for (let p = 0; p < k; p++) { x0 = fma(x0, bc(a0 + ap), ldv(bp)); bp += sb; ap += sk; }
      finish(c + <usize>i * sc + j4, x0, bias, j4, accumulate);
    }
  }
  for (let j = n4; j < n; j++) {
    const j4 = <usize>j << 2;
    for (let i = 0; i < m; i++) {
      const a0 = a + <usize>i * sa;
      let s0: f32 = 0;
      let bp = b + j4, ap: usize = 0;
      for (let p = 0; p < k; p++) { s0 += load<f32>(a0 + ap) * load<f32>(bp); bp += sb; ap += sk; }
      finish1(c + <usize>i * sc + j4, s0, bias, j4, accumulate);
    }
  }
}

/** dst[j·ldd + i] = src[i·lds + j] for i < rows, j < cols. */
export function transpose(src: usize, rows: i32, cols: i32, lds: i32, dst: usize, ldd: i32): void {
  for (let i = 0; i < rows; i++) {
    const s = src + (<usize>(i * lds) << 2);
    const d = dst + (<usize>i << 2);
    for (let j = 0; j < cols; j++) store<f32>(d + (<usize>(j * ldd) << 2), load<f32>(s + (<usize>j << 2)));
  }
}

/** dst[j] = Σ_i src[i·lds + j] (accumulate: dst += …). */
export function colsum(src: usize, rows: i32, cols: i32, lds: i32, dst: usize, accumulate: i32): void {
  const c4 = cols & ~3;
  if (!accumulate) memory.fill(dst, 0, <usize>cols << 2);
  for (let i = 0; i < rows; i++) {
    const s = src + (<usize>(i * lds) << 2);
    let j = 0;
    for (; j < c4; j += 4) { const o = <usize>j << 2; v128.store(dst + o, f32x4.add(ldv(dst + o), ldv(s + o))); }
    for (; j < cols; j++) { const o = <usize>j << 2; store<f32>(dst + o, load<f32>(dst + o) + load<f32>(s + o)); }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// exp and erf on f32x4 (tails use the same code on a splat, so every element gets identical arithmetic).
// exp: Cephes expf (range reduction by ln 2 in two parts, degree-6 polynomial, 2ⁿ through the exponent bits);
// ≈ 1 ulp on [−87, 88]; below −87 the result is flushed to 0 (< 1.7e-38 away): a subnormal float makes every later
// SSE operation on it ~100× slower, and wasm cannot set flush-to-zero.
// erf: Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the approximation tfjs's own Erf kernels use.
// (pmin / pmax are single x86 instructions; wasm's NaN-propagating min / max are several.)
// ---------------------------------------------------------------------------------------------------------------

@inline function exp4(x0: v128): v128 {
  let x = f32x4.pmax(f32x4.pmin(x0, splat(88.0)), splat(-87.0));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, splat(1.44269504088896341)), splat(0.5)));
  x = f32x4.sub(x, f32x4.mul(fx, splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, splat(-2.12194440e-4)));
  const z = f32x4.mul(x, x);
  let y = splat(1.9875691500e-4);
  y = fma(splat(1.3981999507e-3), y, x);
  y = fma(splat(8.3334519073e-3), y, x);
  y = fma(splat(4.1665795894e-2), y, x);
  y = fma(splat(1.6666665459e-1), y, x);
  y = fma(splat(5.0000001201e-1), y, x);
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), splat(1));
  // 2ⁿ: the float 2²³ + 127 + n holds 127 + n in its low mantissa bits; shifted into the exponent field
  const e = i32x4.shl(f32x4.add(fx, splat(8388735.0)), 23);
  return v128.and(f32x4.mul(y, e), f32x4.ge(x0, splat(-87.0)));
}

@inline function erf4(x: v128): v128 {
  // from |x| = 4.5 on, the formula rounds to exactly 1 in float32; clamping there keeps exp(−x²)·p out of the subnormals
  const ax = f32x4.pmin(f32x4.abs(x), splat(4.5));
  const t = f32x4.div(splat(1), fma(splat(1), splat(0.3275911), ax));
  let p = splat(1.061405429);
  p = fma(splat(-1.453152027), p, t);
  p = fma(splat(1.421413741), p, t);
  p = fma(splat(-0.284496736), p, t);
  p = fma(splat(0.254829592), p, t);
  p = f32x4.mul(p, t);
  const r = f32x4.sub(splat(1), f32x4.mul(p, exp4(f32x4.neg(f32x4.mul(ax, ax)))));
  // copy the sign of x
  return v128.or(v128.and(r, i32x4.splat(0x7fffffff)), v128.and(x, i32x4.splat(0x80000000)));
}

const SQRT1_2: f32 = 0.70710678118654752;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

/** Φ(x) = ½(1 + erf(x/√2)). */
@inline function cdf4(x: v128): v128 {
  return f32x4.mul(splat(0.5), f32x4.add(splat(1), erf4(f32x4.mul(x, splat(SQRT1_2)))));
}

/** y = x·Φ(x) (exact GELU) over n elements. */
export function gelu(x: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) { const o = <usize>i << 2; const v = ldv(x + o); v128.store(y + o, f32x4.mul(v, cdf4(v))); }
  for (; i < n; i++) { const o = <usize>i << 2; const v = splat(load<f32>(x + o)); store<f32>(y + o, f32x4.extract_lane(f32x4.mul(v, cdf4(v)), 0)); }
}

/** GELU'(x) = Φ(x) + x·φ(x), given Φ(x). */
@inline function geluDeriv4(x: v128, cdf: v128): v128 {
  const pdf = f32x4.mul(exp4(f32x4.mul(f32x4.mul(x, x), splat(-0.5))), splat(INV_SQRT_2PI));
  return fma(cdf, x, pdf);
}

@inline function geluGrad4(dy: v128, x: v128): v128 {
  return f32x4.mul(dy, geluDeriv4(x, cdf4(x)));
}

/**
 * y = GELU(x) and d = GELU'(x) in one pass (what a layer followed by GELU keeps for its backward, instead of
 * recomputing Φ there). `d` may be `x` itself.
 */
export function gelu_and_deriv(x: usize, y: usize, d: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const v = ldv(x + o), cdf = cdf4(v);
    v128.store(y + o, f32x4.mul(v, cdf));
    v128.store(d + o, geluDeriv4(v, cdf));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = splat(load<f32>(x + o)), cdf = cdf4(v);
    store<f32>(y + o, f32x4.extract_lane(f32x4.mul(v, cdf), 0));
    store<f32>(d + o, f32x4.extract_lane(geluDeriv4(v, cdf), 0));
  }
}

/** out = a ⊙ b over n elements. */
export function mul(a: usize, b: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) { const o = <usize>i << 2; v128.store(out + o, f32x4.mul(ldv(a + o), ldv(b + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o)); }
}

/** dx = dy · (Φ(x) + x·φ(x)) over n elements. */
export function gelu_grad(dy: usize, x: usize, dx: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) { const o = <usize>i << 2; v128.store(dx + o, geluGrad4(ldv(dy + o), ldv(x + o))); }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, f32x4.extract_lane(geluGrad4(splat(load<f32>(dy + o)), splat(load<f32>(x + o))), 0));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Linear layer backward: dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ_rows dy, with x [M, in], W [in, out], dy [M, out].
// Scratch: `wt` for Wᵀ [out, in], `pack` for a B panel (max(M, out) × 8 floats). With `deriv` ≠ 0 the layer was
// followed by an activation whose derivative at the pre-activation is `deriv` [M, out]: dy is first replaced (in
// `dpre`, scratch [M, out]) by dy ⊙ deriv.
// ---------------------------------------------------------------------------------------------------------------

export function linear_grad(M: i32, nin: i32, nout: i32, dy: usize, x: usize, w: usize, deriv: usize, dx: usize, dw: usize, db: usize, wt: usize, dpre: usize, pack: usize): void {
  let g = dy;
  if (deriv) { mul(dy, deriv, dpre, M * nout); g = dpre; }
  if (dx) {
    transpose(w, nin, nout, nout, wt, nin);
    gemm(M, nin, nout, g, nout, 1, wt, nin, dx, nin, 0, 0, pack);
  }
  gemm(nin, nout, M, x, 1, nin, g, nout, dw, nout, 0, 0, pack);
  colsum(g, M, nout, nout, db, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Multi-head self-attention core on qkv rows [B·N, 3D] (per token: q | k | v, each H heads × hd):
//   P = softmax(scale · q·kᵀ) per (b, h), stored in probs [B·H, N, N];  out [B·N, D] = P·v, heads side by side.
// Reads q, k, v in place (no head transposes); `scratch` holds kᵀ of one head (hd × N floats).
// ---------------------------------------------------------------------------------------------------------------

/** Row-wise softmax of scale·s over rows × n (row stride n), in place. */
function softmaxRows(s: usize, rows: i32, n: i32, scale: f32): void {
  const n4 = n & ~3;
  const sc = splat(scale);
  for (let i = 0; i < rows; i++) {
    const r = s + (<usize>(i * n) << 2);
    let mv = splat(-Infinity);
    let j = 0;
    for (; j < n4; j += 4) mv = f32x4.pmax(mv, ldv(r + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (; j < n; j++) m = max(m, load<f32>(r + (<usize>j << 2)));
    const ms = splat(m * scale);
    let sv = splat(0);
    j = 0;
    for (; j < n4; j += 4) {
      const o = r + (<usize>j << 2);
      const e = exp4(f32x4.sub(f32x4.mul(ldv(o), sc), ms));
      v128.store(o, e);
      sv = f32x4.add(sv, e);
    }
    let sum = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
    for (; j < n; j++) {
      const o = r + (<usize>j << 2);
      const e = f32x4.extract_lane(exp4(f32x4.sub(f32x4.mul(splat(load<f32>(o)), sc), ms)), 0);
      store<f32>(o, e);
      sum += e;
    }
    const inv = splat(<f32>1 / sum);
    j = 0;
    for (; j < n4; j += 4) { const o = r + (<usize>j << 2); v128.store(o, f32x4.mul(ldv(o), inv)); }
    for (; j < n; j++) { const o = r + (<usize>j << 2); store<f32>(o, load<f32>(o) * f32x4.extract_lane(inv, 0)); }
  }
}

export function attention(qkv: usize, out: usize, probs: usize, B: i32, N: i32, H: i32, hd: i32, scale: f32, scratch: usize): void {
  const D = H * hd, D3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const rows = qkv + (<usize>(b * N * D3) << 2);
    for (let h = 0; h < H; h++) {
      const q = rows + (<usize>(h * hd) << 2), k = q + (<usize>D << 2), v = k + (<usize>D << 2);
      const p = probs + (<usize>((b * H + h) * N * N) << 2);
      transpose(k, N, hd, D3, scratch, N);
      gemm(N, N, hd, q, D3, 1, scratch, N, p, N, 0, 0, 0);
      softmaxRows(p, N, N, scale);
      gemm(N, hd, N, p, N, 1, v, D3, out + (<usize>(b * N * D + h * hd) << 2), D, 0, 0, 0);
    }
  }
}

/**
 * Gradient of `attention` w.r.t. qkv: dqkv [B·N, 3D] from dout [B·N, D], qkv and the saved probs.
 * Per (b, h): dV = Pᵀ·dO; dP = dO·Vᵀ; dS = scale · P ⊙ (dP − rowsum(dP ⊙ P)); dQ = dS·K; dK = dSᵀ·Q.
 * scratch: vᵀ (hd × N) then dS (N × N) floats.
 */
export function attention_grad(dout: usize, qkv: usize, probs: usize, dqkv: usize, B: i32, N: i32, H: i32, hd: i32, scale: f32, scratch: usize): void {
  const D = H * hd, D3 = 3 * D;
  const vt = scratch, ds = scratch + (<usize>(hd * N) << 2);
  const n4 = N & ~3;
  for (let b = 0; b < B; b++) {
    const rows = qkv + (<usize>(b * N * D3) << 2);
    const drows = dqkv + (<usize>(b * N * D3) << 2);
    for (let h = 0; h < H; h++) {
      const ho = <usize>(h * hd) << 2, Do = <usize>D << 2;
      const q = rows + ho, k = q + Do, v = k + Do;
      const dq = drows + ho, dk = dq + Do, dv = dk + Do;
      const dO = dout + (<usize>(b * N * D) << 2) + ho;
      const p = probs + (<usize>((b * H + h) * N * N) << 2);
      gemm(N, hd, N, p, 1, N, dO, D, dv, D3, 0, 0, 0);
      transpose(v, N, hd, D3, vt, N);
      gemm(N, N, hd, dO, D, 1, vt, N, ds, N, 0, 0, 0);
      for (let i = 0; i < N; i++) {
        const pr = p + (<usize>(i * N) << 2), dr = ds + (<usize>(i * N) << 2);
        let acc = splat(0);
        let j = 0;
        for (; j < n4; j += 4) { const o = <usize>j << 2; acc = fma(acc, ldv(pr + o), ldv(dr + o)); }
        let dot = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
        for (; j < N; j++) { const o = <usize>j << 2; dot += load<f32>(pr + o) * load<f32>(dr + o); }
        const dv4 = splat(dot), sc = splat(scale);
        j = 0;
        for (; j < n4; j += 4) { const o = <usize>j << 2; v128.store(dr + o, f32x4.mul(f32x4.mul(ldv(pr + o), f32x4.sub(ldv(dr + o), dv4)), sc)); }
        for (; j < N; j++) { const o = <usize>j << 2; store<f32>(dr + o, load<f32>(pr + o) * (load<f32>(dr + o) - dot) * scale); }
      }
      gemm(N, hd, N, ds, N, 1, k, D3, dq, D3, 0, 0, 0);
      gemm(N, hd, N, ds, 1, N, q, D3, dk, D3, 0, 0, 0);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// LayerNorm over rows [M, D] (torch.nn.LayerNorm: biased variance, two passes):
//   forward: y = (x − μ)·r·γ + β, r = 1/√(σ² + eps); saves μ and r [M].
//   backward: x̂ = (x − μ)·r, g = dy·γ; dx = r·(g − mean(g) − x̂·mean(g·x̂)); dγ = Σ dy·x̂; dβ = Σ dy.
// ---------------------------------------------------------------------------------------------------------------

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

export function layer_norm(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, M: i32, D: i32, eps: f32): void {
  const d4 = D & ~3;
  const invD: f32 = <f32>1 / <f32>D;
  for (let i = 0; i < M; i++) {
    const r = x + (<usize>(i * D) << 2), out = y + (<usize>(i * D) << 2);
    let sv = splat(0);
    let j = 0;
    for (; j < d4; j += 4) sv = f32x4.add(sv, ldv(r + (<usize>j << 2)));
    let s = hsum(sv);
    for (; j < D; j++) s += load<f32>(r + (<usize>j << 2));
    const mu = s * invD;
    const mv = splat(mu);
    let qv = splat(0);
    j = 0;
    for (; j < d4; j += 4) { const c = f32x4.sub(ldv(r + (<usize>j << 2)), mv); qv = fma(qv, c, c); }
    let q = hsum(qv);
    for (; j < D; j++) { const c = load<f32>(r + (<usize>j << 2)) - mu; q += c * c; }
    const rs: f32 = <f32>1 / Mathf.sqrt(q * invD + eps);
    store<f32>(mean + (<usize>i << 2), mu);
    store<f32>(rstd + (<usize>i << 2), rs);
    const rv = splat(rs);
    j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, fma(ldv(beta + o), f32x4.mul(f32x4.sub(ldv(r + o), mv), rv), ldv(gamma + o)));
    }
    for (; j < D; j++) { const o = <usize>j << 2; store<f32>(out + o, (load<f32>(r + o) - mu) * rs * load<f32>(gamma + o) + load<f32>(beta + o)); }
  }
}

export function layer_norm_grad(dy: usize, x: usize, mean: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, M: i32, D: i32): void {
  const d4 = D & ~3;
  const invD: f32 = <f32>1 / <f32>D;
  memory.fill(dgamma, 0, <usize>D << 2);
  memory.fill(dbeta, 0, <usize>D << 2);
  for (let i = 0; i < M; i++) {
    const ro = <usize>(i * D) << 2;
    const xr = x + ro, gr = dy + ro, dr = dx + ro;
    const mu = load<f32>(mean + (<usize>i << 2)), rs = load<f32>(rstd + (<usize>i << 2));
    const mv = splat(mu), rv = splat(rs);
    let s1 = splat(0), s2 = splat(0);
    let j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      const xh = f32x4.mul(f32x4.sub(ldv(xr + o), mv), rv);
      const d = ldv(gr + o);
      const g = f32x4.mul(d, ldv(gamma + o));
      s1 = f32x4.add(s1, g);
      s2 = fma(s2, g, xh);
      v128.store(dgamma + o, fma(ldv(dgamma + o), d, xh));
      v128.store(dbeta + o, f32x4.add(ldv(dbeta + o), d));
    }
    let m1 = hsum(s1), m2 = hsum(s2);
    for (; j < D; j++) {
      const o = <usize>j << 2;
      const xh = (load<f32>(xr + o) - mu) * rs;
      const d = load<f32>(gr + o);
      const g = d * load<f32>(gamma + o);
      m1 += g; m2 += g * xh;
      store<f32>(dgamma + o, load<f32>(dgamma + o) + d * xh);
      store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
    }
    m1 *= invD; m2 *= invD;
    const m1v = splat(m1), m2v = splat(m2);
    j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      const xh = f32x4.mul(f32x4.sub(ldv(xr + o), mv), rv);
      const g = f32x4.mul(ldv(gr + o), ldv(gamma + o));
      v128.store(dr + o, f32x4.mul(f32x4.sub(f32x4.sub(g, m1v), f32x4.mul(xh, m2v)), rv));
    }
    for (; j < D; j++) {
      const o = <usize>j << 2;
      const xh = (load<f32>(xr + o) - mu) * rs;
      const g = load<f32>(gr + o) * load<f32>(gamma + o);
      store<f32>(dr + o, (g - m1 - xh * m2) * rs);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Residual branch with LayerScale: y = x + a·γ (γ per column, [D]); backward da = dy·γ, dγ = Σ_rows dy·a.
// ---------------------------------------------------------------------------------------------------------------

export function scaled_add(x: usize, a: usize, gamma: usize, y: usize, M: i32, D: i32): void {
  const d4 = D & ~3;
  for (let i = 0; i < M; i++) {
    const ro = <usize>(i * D) << 2;
    let j = 0;
    for (; j < d4; j += 4) { const o = <usize>j << 2; v128.store(y + ro + o, fma(ldv(x + ro + o), ldv(a + ro + o), ldv(gamma + o))); }
    for (; j < D; j++) { const o = <usize>j << 2; store<f32>(y + ro + o, load<f32>(x + ro + o) + load<f32>(a + ro + o) * load<f32>(gamma + o)); }
  }
}

export function scaled_add_grad(dy: usize, a: usize, gamma: usize, da: usize, dgamma: usize, M: i32, D: i32): void {
  const d4 = D & ~3;
  memory.fill(dgamma, 0, <usize>D << 2);
  for (let i = 0; i < M; i++) {
    const ro = <usize>(i * D) << 2;
    let j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      const d = ldv(dy + ro + o);
      v128.store(da + ro + o, f32x4.mul(d, ldv(gamma + o)));
      v128.store(dgamma + o, fma(ldv(dgamma + o), d, ldv(a + ro + o)));
    }
    for (; j < D; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(dy + ro + o);
      store<f32>(da + ro + o, d * load<f32>(gamma + o));
      store<f32>(dgamma + o, load<f32>(dgamma + o) + d * load<f32>(a + ro + o));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Optimiser helpers. AdamW, elementwise with the exact float32 operation order of lib/engine/adamw.ts's tfjs ops
// (so both paths give the same bits): m' = m·β1 + g·(1−β1); v' = v·β2 + g²·(1−β2); d = √v' / √(1−β2ᵗ) + ε;
// p' = p·(1 − lr·wd) − (m' / d)·(lr / (1−β1ᵗ)). Scalars arrive already rounded to float32, as tfjs's scalars are.
// ---------------------------------------------------------------------------------------------------------------

export function adamw(p: usize, m: usize, v: usize, g: usize, po: usize, mo: usize, vo: usize, n: i32,
  b1: f32, c1: f32, b2: f32, c2: f32, sbc2: f32, eps: f32, decay: f32, step: f32): void {
  const B1 = splat(b1), C1 = splat(c1), B2 = splat(b2), C2 = splat(c2), S = splat(sbc2), E = splat(eps), DE = splat(decay), ST = splat(step);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const gv = ldv(g + o);
    const mn = f32x4.add(f32x4.mul(ldv(m + o), B1), f32x4.mul(gv, C1));
    const vn = f32x4.add(f32x4.mul(ldv(v + o), B2), f32x4.mul(f32x4.mul(gv, gv), C2));
    const d = f32x4.add(f32x4.div(f32x4.sqrt(vn), S), E);
    v128.store(po + o, f32x4.sub(f32x4.mul(ldv(p + o), DE), f32x4.mul(f32x4.div(mn, d), ST)));
    v128.store(mo + o, mn);
    v128.store(vo + o, vn);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const mn = load<f32>(m + o) * b1 + gv * c1;
    const vn = load<f32>(v + o) * b2 + (gv * gv) * c2;
    const d = Mathf.sqrt(vn) / sbc2 + eps;
    store<f32>(po + o, load<f32>(p + o) * decay - (mn / d) * step);
    store<f32>(mo + o, mn);
    store<f32>(vo + o, vn);
  }
}

/** Σ x² over n elements (four float32 lane sums, added in float64). */
export function sum_squares(x: usize, n: i32): f64 {
  const n4 = n & ~3;
  let acc = splat(0);
  let i = 0;
  for (; i < n4; i += 4) { const v = ldv(x + (<usize>i << 2)); acc = fma(acc, v, v); }
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; i < n; i++) { const v = load<f32>(x + (<usize>i << 2)); s += <f64>(v * v); }
  return s;
}
