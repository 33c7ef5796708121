/**
 * Separable resampling as matrices: a resize of an H×W map to H'×W' is Y = R_y · X · R_xᵀ with R_y [H', H] and
 * R_x [W', W]. Writing resizes this way keeps every resample a 2-D untransposed matmul (the only fast tfjs-wasm matmul;
 * transposed or batched ones run ~15× slower) and makes its gradient the same product with the transposed matrices.
 */
import { bilinearTaps } from '../../data/resize';

/**
 * Bilinear interpolation weights from `inSize` to `outSize` samples, PyTorch `F.interpolate(mode='bilinear',
 * align_corners=False)` convention (lib/data/resize `bilinearTaps`, torch border; no antialias).
 * Row-major [outSize, inSize].
 */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  checkSizes('bilinearMatrix', inSize, outSize);
  const m = new Float32Array(outSize * inSize);
  const { i0, i1, w1 } = bilinearTaps(inSize, outSize);
  for (let o = 0; o < outSize; o++) {
    m[o * inSize + i0[o]] += 1 - w1[o];
    m[o * inSize + i1[o]] += w1[o];
  }
  return m;
}

/**
 * Area (box-average) weights from `inSize` to `outSize`: each output cell averages the input cells it covers, with
 * fractional overlap at the borders (PyTorch `F.adaptive_avg_pool` for integer ratios; `avg_pool(k=2,s=2)` when
 * outSize = inSize/2). Used for the ×0.5 pyramid level and to bring masks down to a head's output size.
 */
export function areaMatrix(inSize: number, outSize: number): Float32Array {
  checkSizes('areaMatrix', inSize, outSize);
  const m = new Float32Array(outSize * inSize);
  const step = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const lo = o * step;
    const hi = lo + step;
    for (let i = Math.floor(lo); i < Math.min(Math.ceil(hi), inSize); i++) {
      const overlap = Math.min(hi, i + 1) - Math.max(lo, i);
      if (overlap > 0) m[o * inSize + i] = overlap / step;
    }
  }
  return m;
}

/** Transpose of a row-major [rows, cols] matrix. */
export function transposeMatrix(m: Float32Array, rows: number, cols: number): Float32Array {
  if (m.length !== rows * cols) throw new Error(`transposeMatrix: length ${m.length} ≠ ${rows}×${cols}`);
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}

function checkSizes(name: string, inSize: number, outSize: number): void {
  if (!Number.isInteger(inSize) || inSize < 1) throw new Error(`${name}: invalid inSize ${inSize}`);
  if (!Number.isInteger(outSize) || outSize < 1) throw new Error(`${name}: invalid outSize ${outSize}`);
}
