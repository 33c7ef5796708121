/**
 * A patch-grid attention map (CLS→patch attention, an attentive head's class query; paper Fig. 2d, 4f, S6) as an image-sized
 * heat map: bilinear upsampling with half-pixel centres (lib/data/resize), then min–max normalised to [0, 1] so maps of
 * different models share one colour scale.
 */
import { resizeBilinear, Size, toSize } from '../data/resize';

export function checkMap(fn: string, map: ArrayLike<number>, gridH: number, gridW: number): void {
  if (!Number.isInteger(gridH) || !Number.isInteger(gridW) || gridH < 1 || gridW < 1) throw new Error(`${fn}: invalid grid ${gridH}×${gridW}`);
  if (!map || map.length !== gridH * gridW) throw new Error(`${fn}: map has ${map?.length} values, expected gridH·gridW = ${gridH}·${gridW} = ${gridH * gridW}`);
  for (let i = 0; i < map.length; i++) if (!Number.isFinite(map[i])) throw new Error(`${fn}: map[${i}] is ${map[i]}`);
}

/**
 * @param map [gridH·gridW] row-major. @param size output side (square) or { width, height }.
 * @returns [height·width] in [0, 1]; a constant map gives all zeros.
 * @example renderXray({ image, heatmap: { data: attentionToImage(att, 16, 16, 224), width: 224, height: 224 } })
 */
export function attentionToImage(map: ArrayLike<number>, gridH: number, gridW: number, size: number | Size): Float32Array {
  checkMap('attentionToImage', map, gridH, gridW);
  const { width, height } = toSize('attentionToImage', size);
  const up = resizeBilinear(map, gridH, gridW, height, width);
  let lo = Infinity, hi = -Infinity;
  for (const v of up) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const out = new Float32Array(up.length);
  if (hi > lo) for (let i = 0; i < up.length; i++) out[i] = (up[i] - lo) / (hi - lo);
  return out;
}
