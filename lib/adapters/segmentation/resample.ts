/**
 * Resampling of NHWC tensors through separable matrices (see resize-matrix.ts): bilinear upsampling and area pooling
 * for the feature pyramid, with an explicit backward (the same product with transposed matrices) so no tfjs gradient
 * registry is needed. Plain-JS versions for single maps (masks, predictions at the original image size).
 */
import * as tf from '@tensorflow/tfjs-core';
import { areaMatrix, bilinearMatrix, transposeMatrix } from './resize-matrix';

export type ResampleKind = 'bilinear' | 'area';

function matrix(kind: ResampleKind, inSize: number, outSize: number): Float32Array {
  return kind === 'bilinear' ? bilinearMatrix(inSize, outSize) : areaMatrix(inSize, outSize);
}

/**
 * A fixed linear resampler [B, H, W, C] → [B, H', W', C]. Holds its four matrices as tensors; `dispose()` frees them.
 * `forward` and `backward` are pure tensor functions (call inside tf.tidy).
 */
export class Resampler {
  readonly identity: boolean;
  // absent for an identity resampler
  private readonly ry?: tf.Tensor2D;
  private readonly rx?: tf.Tensor2D;
  private readonly ryT?: tf.Tensor2D;
  private readonly rxT?: tf.Tensor2D;

  constructor(readonly inH: number, readonly inW: number, readonly outH: number, readonly outW: number,
    readonly kind: ResampleKind) {
    this.identity = inH === outH && inW === outW;
    if (this.identity) return;
    const my = matrix(kind, inH, outH);
    const mx = matrix(kind, inW, outW);
    this.ry = tf.tensor2d(my, [outH, inH]);
    this.rx = tf.tensor2d(mx, [outW, inW]);
    this.ryT = tf.tensor2d(transposeMatrix(my, outH, inH), [inH, outH]);
    this.rxT = tf.tensor2d(transposeMatrix(mx, outW, inW), [inW, outW]);
  }

  /** x [B, inH, inW, C] → [B, outH, outW, C]. */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    if (x.shape[1] !== this.inH || x.shape[2] !== this.inW) {
      throw new Error(`Resampler: input ${x.shape.join('×')} does not match ${this.inH}×${this.inW}`);
    }
    return this.identity ? x : separable(x, this.ry!, this.rx!);
  }

  /** Gradient of forward: dy [B, outH, outW, C] → dx [B, inH, inW, C]. */
  backward(dy: tf.Tensor4D): tf.Tensor4D {
    return this.identity ? dy : separable(dy, this.ryT!, this.rxT!);
  }

  dispose(): void {
    for (const t of [this.ry, this.rx, this.ryT, this.rxT]) t?.dispose();
  }
}

/** Y[b] = ry · X[b] · rxᵀ per channel, as two 2-D untransposed matmuls around rank-4 transposes. */
function separable(x: tf.Tensor4D, ry: tf.Tensor2D, rx: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const ho = ry.shape[0];
    const wo = rx.shape[0];
    // rows first: [H, B·W·C]
    const xh = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, b * w * c]);
    const y1 = tf.reshape(tf.matMul(ry, xh), [ho, b, w, c]);
    // then columns: [W, B·H'·C]
    const y1w = tf.reshape(tf.transpose(y1, [2, 1, 0, 3]), [w, b * ho * c]);
    const y2 = tf.reshape(tf.matMul(rx, y1w), [wo, b, ho, c]);
    return tf.transpose(y2, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/** Sparse rows of a resampling matrix: for each output index, the input indices and weights. */
interface SparseRows { idx: Int32Array[]; w: Float32Array[] }

function sparseRows(kind: ResampleKind, inSize: number, outSize: number): SparseRows {
  const m = matrix(kind, inSize, outSize);
  const idx: Int32Array[] = [];
  const w: Float32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const is: number[] = [];
    const ws: number[] = [];
    for (let i = 0; i < inSize; i++) {
      const v = m[o * inSize + i];
      if (v !== 0) { is.push(i); ws.push(v); }
    }
    idx.push(Int32Array.from(is));
    w.push(Float32Array.from(ws));
  }
  return { idx, w };
}

/**
 * Resamples one row-major map [inH, inW] (e.g. a mask or a class's logits) to [outH, outW] in plain JS, rows then
 * columns, with the same weights as `Resampler` (cost O(outH·inW + outH·outW) per map, independent of the ratio).
 */
export function resampleMap(src: ArrayLike<number>, inH: number, inW: number, outH: number, outW: number,
  kind: ResampleKind): Float32Array {
  if (src.length !== inH * inW) throw new Error(`resampleMap: length ${src.length} ≠ ${inH}×${inW}`);
  const ry = sparseRows(kind, inH, outH);
  const rx = sparseRows(kind, inW, outW);
  const tmp = new Float32Array(outH * inW);
  for (let o = 0; o < outH; o++) {
    const is = ry.idx[o];
    const ws = ry.w[o];
    const row = o * inW;
    for (let k = 0; k < is.length; k++) {
      const base = is[k] * inW;
      const wk = ws[k];
      for (let x = 0; x < inW; x++) tmp[row + x] += wk * src[base + x];
    }
  }
  const out = new Float32Array(outH * outW);
  for (let o = 0; o < outW; o++) {
    const is = rx.idx[o];
    const ws = rx.w[o];
    for (let y = 0; y < outH; y++) {
      let s = 0;
      const row = y * inW;
      for (let k = 0; k < is.length; k++) s += ws[k] * tmp[row + is[k]];
      out[y * outW + o] = s;
    }
  }
  return out;
}
