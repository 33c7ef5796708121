/**
 * Bilinear resize of a row-major grid with half-pixel centres (= torch.nn.functional.interpolate(mode='bilinear',
 * align_corners=False), OpenCV INTER_LINEAR): output pixel x samples the source at (x + ½)·(inW/outW) − ½, clamped at 0;
 * edge pixels repeat the border. This is how patch-grid maps (attention, PCA colours) are laid over the image.
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

/** Source index and weight of one output coordinate (torch's area_pixel_compute_source_index + clamp). */
function taps(outLen: number, inLen: number): { i0: Int32Array; i1: Int32Array; w1: Float64Array } {
  const i0 = new Int32Array(outLen), i1 = new Int32Array(outLen), w1 = new Float64Array(outLen);
  const scale = inLen / outLen;
  for (let x = 0; x < outLen; x++) {
    const src = Math.max(scale * (x + 0.5) - 0.5, 0);
    const lo = Math.min(Math.floor(src), inLen - 1);
    i0[x] = lo;
    i1[x] = lo < inLen - 1 ? lo + 1 : lo;
    w1[x] = src - lo;
  }
  return { i0, i1, w1 };
}

/**
 * @param src [inH, inW, channels] row-major. @returns [outH, outW, channels] Float64Array.
 * @example resizeBilinear([0, 1, 2, 3], 2, 2, 4, 4) // 16 values, corners 0 … 3
 */
export function resizeBilinear(src: ArrayLike<number>, inH: number, inW: number, outH: number, outW: number, channels = 1): Float64Array {
  if (src.length !== inH * inW * channels) throw new Error(`resizeBilinear: source has ${src.length} values, expected ${inH}×${inW}×${channels}`);
  const ty = taps(outH, inH), tx = taps(outW, inW);
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
