/**
 * The most-attended patch of an attention map and its box in image pixels — the paper's pinpointing test (Fig. 4e): a
 * finding counts as found when this box overlaps its annotation (lib/eval/explainability/pinpointing.ts). Patch (row, col) covers
 * [col·W/gridW, (col+1)·W/gridW) × [row·H/gridH, (row+1)·H/gridH), the whole image resized to the encoder's grid.
 */
import { checkMap } from './attention-image';
import { patchRect } from '../data/patch-grid';
import { Size, toSize } from '../data/resize';

export interface MaxPatch {
  /** Row-major patch index. */
  index: number;
  row: number;
  col: number;
  value: number;
  /** The patch's area in pixels of an image of the given size (origin top-left). */
  box: { x: number; y: number; w: number; h: number };
}

/**
 * @param image pixel size of the image the box refers to (default 224, the encoders' input side).
 * Ties go to the first patch in row-major order (numpy.argmax).
 * @example maxAttentionPatch(att, 16, 16, { width: 1024, height: 1024 }).box // { x: 448, y: 320, w: 64, h: 64 }
 */
export function maxAttentionPatch(map: ArrayLike<number>, gridH: number, gridW: number, image: number | Size = 224): MaxPatch {
  checkMap('maxAttentionPatch', map, gridH, gridW);
  const { width, height } = toSize('maxAttentionPatch', image);
  let index = 0;
  for (let i = 1; i < map.length; i++) if (map[i] > map[index]) index = i;
  const { row, col, x, y, w, h } = patchRect(index, gridH, gridW, width, height);
  return { index, row, col, value: map[index], box: { x, y, w, h } };
}
