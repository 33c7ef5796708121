/**
 * From head logits to binary masks at the original image size: each class's logit map is upsampled bilinearly
 * (half-pixel centres, as F.interpolate(align_corners=False)) to the mask size and thresholded at logit 0 ⇔
 * sigmoid 0.5 (mmseg's `threshold=0.5` for sigmoid outputs). Resizing logits rather than probabilities follows
 * mmseg's `resize(seg_logits)` before activation.
 */
import { resampleMap } from './resample';

/**
 * @param logits row-major [P0, K] (one sample) at [outH, outW], or a larger buffer read from `offset`.
 * @returns one Uint8Array (height × width, 1 = inside) per class.
 */
export function predictedMasks(logits: Float32Array, outH: number, outW: number, classes: number,
  width: number, height: number, offset = 0): Uint8Array[] {
  const p0 = outH * outW;
  if (offset + p0 * classes > logits.length) throw new Error(`predictedMasks: logits too short for ${outH}×${outW}×${classes} at ${offset}`);
  const out: Uint8Array[] = [];
  const map = new Float32Array(p0);
  for (let c = 0; c < classes; c++) {
    for (let p = 0; p < p0; p++) map[p] = logits[offset + p * classes + c];
    const up = resampleMap(map, outH, outW, height, width, 'bilinear');
    const m = new Uint8Array(width * height);
    for (let i = 0; i < m.length; i++) m[i] = up[i] > 0 ? 1 : 0;
    out.push(m);
  }
  return out;
}
