/**
 * Half-pixel bilinear resampling (= torch.nn.functional.interpolate(mode='bilinear', align_corners=False), OpenCV
 * INTER_LINEAR): output pixel x samples the source at (x + ½)·(inW/outW) − ½, clamped at 0; edge pixels repeat the
 * border. The one home of this rule: the patch-grid maps laid over images (lib/analysis), the heads' resize matrices
 * (lib/adapters/segmentation/resize-matrix), the heat maps of lib/plots/xray, the crops of lib/pretrain/multi-crop and
 * the plain (non-antialiased) image resize of ./preprocess.
 *
 * Two border rules, kept because callers' numbers were computed with them:
 *  - 'torch' (torch's upsample_bilinear2d): past the last source pixel both taps are that pixel and the weight of the
 *    second stays src − i0, so the value is (1 − w)·a + w·a — a up to float rounding.
 *  - 'exact': the source coordinate is clamped to the last pixel too, so the weight there is 0 and the value is a
 *    exactly.
 * Inside the grid both rules give the same taps and weights.
 */

export interface Size { width: number; height: number }

/** A square side or an explicit width × height, validated. */
export function toSize(fn: string, size: number | Size): Size {
  const s = typeof size === 'number' ? { width: size, height: size } : size;
  if (!s || !Number.isInteger(s.width) || !Number.isInteger(s.height) || s.width < 1 || s.height < 1) {
    throw new Error(`${fn}: invalid size ${JSON.stringify(size)}; expected a positive integer or { width, height }`);
  }
  return s;
}

/** The two taps of each output coordinate along one axis: sources i0, i1 and the weight w1 of i1 (i0 has 1 − w1). */
export interface BilinearTaps { i0: Int32Array; i1: Int32Array; w1: Float64Array }

/** Source taps of `outLen` samples over `inLen` (torch's area_pixel_compute_source_index + clamp); see the border rules above. */
export function bilinearTaps(inLen: number, outLen: number, border: 'torch' | 'exact' = 'torch'): BilinearTaps {
  const i0 = new Int32Array(outLen), i1 = new Int32Array(outLen), w1 = new Float64Array(outLen);
  const scale = inLen / outLen;
  for (let x = 0; x < outLen; x++) {
    const src = Math.max(scale * (x + 0.5) - 0.5, 0);
    const lo = Math.min(Math.floor(src), inLen - 1);
    const last = lo >= inLen - 1;
    i0[x] = lo;
    i1[x] = last ? lo : lo + 1;
    w1[x] = last && border === 'exact' ? 0 : src - lo;
  }
  return { i0, i1, w1 };
}

/**
 * Resizes a row-major grid with the 'torch' border rule.
 * @param src [inH, inW, channels] row-major. @returns [outH, outW, channels] Float64Array.
 * @example resizeBilinear([0, 1, 2, 3], 2, 2, 4, 4) // 16 values, corners 0 … 3
 */
export function resizeBilinear(src: ArrayLike<number>, inH: number, inW: number, outH: number, outW: number, channels = 1): Float64Array {
  if (src.length !== inH * inW * channels) throw new Error(`resizeBilinear: source has ${src.length} values, expected ${inH}×${inW}×${channels}`);
  const ty = bilinearTaps(inH, outH), tx = bilinearTaps(inW, outW);
  const out = new Float64Array(outH * outW * channels);
  for (let y = 0; y < outH; y++) {
    const r0 = ty.i0[y] * inW, r1 = ty.i1[y] * inW, wy = ty.w1[y];
    for (let x = 0; x < outW; x++) {
      const c0 = tx.i0[x], c1 = tx.i1[x], wx = tx.w1[x];
      for (let ch = 0; ch < channels; ch++) {
        const a = src[(r0 + c0) * channels + ch], b = src[(r0 + c1) * channels + ch];
        const c = src[(r1 + c0) * channels + ch], d = src[(r1 + c1) * channels + ch];
        out[(y * outW + x) * channels + ch] = (1 - wy) * ((1 - wx) * a + wx * b) + wy * ((1 - wx) * c + wx * d);
      }
    }
  }
  return out;
}

/**
 * One bilinear sample of a w×h row-major grid at source coordinates (x, y) in pixel units (pixel i's centre at i),
 * clamped to [0, w − 1] × [0, h − 1] — the 'exact' border rule, for callers that sample at their own coordinates
 * (crops, heat maps laid over an image) rather than over a whole output grid.
 */
export function sampleBilinear(d: ArrayLike<number>, w: number, h: number, x: number, y: number): number {
  const xc = Math.min(Math.max(x, 0), w - 1), yc = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(xc), y0 = Math.floor(yc), x1 = Math.min(x0 + 1, w - 1), y1 = Math.min(y0 + 1, h - 1);
  const fx = xc - x0, fy = yc - y0;
  return (d[y0 * w + x0] * (1 - fx) + d[y0 * w + x1] * fx) * (1 - fy) + (d[y1 * w + x0] * (1 - fx) + d[y1 * w + x1] * fx) * fy;
}
