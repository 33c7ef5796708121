/**
 * Bicubic resizing of a learned position-embedding grid, expressed as a constant matrix so that it is one 2-D matmul
 * (differentiable w.r.t. the embeddings, exportable to ONNX as a precomputed initializer).
 *
 * Reproduces torch.nn.functional.interpolate(mode='bicubic', align_corners=False, antialias=False) (ATen
 * UpSampleBicubic2d: Keys cubic convolution with A = -0.75, source index = scale·(dst + 0.5) − 0.5, taps clamped to the
 * border), in the two ways the reference implementations call it:
 *  - 'dinov2' (facebookresearch/dinov2 DinoVisionTransformer.interpolate_pos_encoding): scale_factor = (g + 0.1) / M,
 *    so the source step is M / (g + 0.1) — the "+0.1" kludge of dino issue #8;
 *  - 'hf' (transformers Dinov2Embeddings.interpolate_pos_encoding): size = (gh, gw), step M / g.
 * Both skip interpolation when the token count equals the learned one and the input is square.
 */
import type { PosInterpolation } from './config';

const A = -0.75;

function cubic1(x: number): number { return ((A + 2) * x - (A + 3)) * x * x + 1; }       // |x| <= 1
function cubic2(x: number): number { return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; } // 1 < |x| < 2

/**
 * 1-D bicubic resampling matrix [outSize, inSize]; `step` is the source distance between output samples (PyTorch's
 * `area_pixel_compute_scale`: 1/scale_factor when given, else in/out).
 */
export function bicubicMatrix1d(inSize: number, outSize: number, step: number): Float64Array {
  const m = new Float64Array(outSize * inSize);
  // ATen computes in float32 for float tensors; Math.fround keeps the tap positions bit-compatible.
  const f = Math.fround;
  for (let o = 0; o < outSize; o++) {
    const real = f(f(step) * f(o + 0.5) - 0.5);
    const i0 = Math.floor(real);
    const t = f(real - i0);
    const w = [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
    for (let k = 0; k < 4; k++) {
      const idx = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      m[o * inSize + idx] += w[k];
    }
  }
  return m;
}

/** The per-axis source step for mode `mode`, learned grid M → g. */
export function interpolationStep(mode: PosInterpolation, m: number, g: number, offset: number): number {
  return mode === 'dinov2' ? m / (g + offset) : m / g;
}

/** True when the reference implementation returns the embeddings unchanged. */
export function skipsInterpolation(m: number, gh: number, gw: number): boolean {
  return gh * gw === m * m && gh === gw;
}

/**
 * Dense matrix K [gh·gw, M·M] with vec(out) = K · vec(grid) for a row-major grid (row = y, col = x), i.e.
 * K = kron(Mh, Mw). Returns null when no interpolation is applied.
 */
export function posEmbedInterpolationMatrix(
  m: number, gh: number, gw: number, mode: PosInterpolation, offset = 0.1,
): Float32Array | null {
  if (skipsInterpolation(m, gh, gw)) return null;
  const mh = bicubicMatrix1d(m, gh, interpolationStep(mode, m, gh, offset));
  const mw = bicubicMatrix1d(m, gw, interpolationStep(mode, m, gw, offset));
  const k = new Float32Array(gh * gw * m * m);
  for (let oy = 0; oy < gh; oy++) {
    for (let ox = 0; ox < gw; ox++) {
      const row = (oy * gw + ox) * m * m;
      for (let iy = 0; iy < m; iy++) {
        const wy = mh[oy * m + iy];
        if (wy === 0) continue;
        for (let ix = 0; ix < m; ix++) k[row + iy * m + ix] = wy * mw[ox * m + ix];
      }
    }
  }
  return k;
}

/** Interpolates patch position embeddings P [M·M, D] (row-major grid) to [gh·gw, D] on the CPU (float64 accumulation). */
export function interpolatePosEmbed(
  p: Float32Array, dim: number, m: number, gh: number, gw: number, mode: PosInterpolation, offset = 0.1,
): Float32Array {
  const k = posEmbedInterpolationMatrix(m, gh, gw, mode, offset);
  if (!k) return p.slice();
  const n = m * m;
  const out = new Float32Array(gh * gw * dim);
  const acc = new Float64Array(dim);
  for (let r = 0; r < gh * gw; r++) {
    acc.fill(0);
    for (let j = 0; j < n; j++) {
      const w = k[r * n + j];
      if (w === 0) continue;
      for (let d = 0; d < dim; d++) acc[d] += w * p[j * dim + d];
    }
    for (let d = 0; d < dim; d++) out[r * dim + d] = acc[d];
  }
  return out;
}
