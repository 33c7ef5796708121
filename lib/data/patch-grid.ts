/**
 * Geometry of an encoder's patch grid laid over an image: the whole image resized to the gridH × gridW grid, so patch
 * (row, col) covers [col·W/gridW, (col+1)·W/gridW) × [row·H/gridH, (row+1)·H/gridH) in pixels of the original W × H
 * image. The one home of patch ↔ box geometry for pinpointing (lib/eval/explainability/pinpointing), the spurious-cue
 * mass (lib/eval/explainability/spurious-cue) and the most-attended patch (lib/analysis/max-attention-patch).
 */

/** An axis-aligned rectangle in pixels (origin top-left); a data Box is one. */
export interface Rect { x: number; y: number; w: number; h: number }

/** Patch `patch` (row-major index) of a gridH × gridW grid over a width × height image, with its row and column. */
export function patchRect(patch: number, gridH: number, gridW: number, width: number, height: number): Rect & { row: number; col: number } {
  const row = Math.floor(patch / gridW), col = patch % gridW;
  const pw = width / gridW, ph = height / gridH;
  return { row, col, x: col * pw, y: row * ph, w: pw, h: ph };
}

/** Area of the intersection of two rectangles (0 when they are apart). */
export function intersectionArea(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return ix * iy;
}

/**
 * Area of the patch's intersection with the box, as a fraction of the patch's area — or of the box's area when the box is
 * smaller than the patch (else a finding smaller than half a patch, e.g. a nodule, could never be hit).
 */
export function patchOverlap(patch: number, gridH: number, gridW: number, width: number, height: number, box: Rect): number {
  const p = patchRect(patch, gridH, gridW, width, height);
  return intersectionArea(p, box) / Math.min(p.w * p.h, Math.max(box.w * box.h, 1e-12));
}

/**
 * Attention mass inside a box: Σ_p map[p] · |patch_p ∩ box| / |patch_p| — the exact mass of the map upsampled
 * piecewise-constantly (each patch's weight spread evenly over its pixels).
 */
export function patchMassInBox(map: ArrayLike<number>, gridH: number, gridW: number, width: number, height: number, box: Rect): number {
  if (map.length !== gridH * gridW) throw new Error(`patchMassInBox: map has ${map.length} values for a ${gridH}×${gridW} grid`);
  let mass = 0;
  for (let p = 0; p < map.length; p++) {
    const r = patchRect(p, gridH, gridW, width, height);
    mass += map[p] * intersectionArea(r, box) / (r.w * r.h);
  }
  return mass;
}

/**
 * Average-pools a patch grid [N, H, W, D] (row-major tokens) by `factor` in both directions → [N, H/f · W/f, D]; the
 * grid sides must be multiples of the factor.
 */
export function poolPatchGrid(patches: Float32Array, n: number, gridH: number, gridW: number, d: number, factor: number): { patches: Float32Array; gridH: number; gridW: number } {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`poolPatchGrid: factor must be a positive integer, got ${factor}`);
  if (gridH % factor || gridW % factor) throw new Error(`poolPatchGrid: a ${gridH}×${gridW} patch grid is not divisible by ${factor}`);
  if (patches.length !== n * gridH * gridW * d) throw new Error(`poolPatchGrid: patches have ${patches.length} values, expected ${n}×${gridH}×${gridW}×${d}`);
  if (factor === 1) return { patches, gridH, gridW };
  const h = gridH / factor, w = gridW / factor;
  const out = new Float32Array(n * h * w * d);
  const acc = new Float64Array(h * w * d);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let y = 0; y < gridH; y++) {
      for (let x = 0; x < gridW; x++) {
        const src = ((i * gridH + y) * gridW + x) * d, dst = ((Math.floor(y / factor)) * w + Math.floor(x / factor)) * d;
        for (let j = 0; j < d; j++) acc[dst + j] += patches[src + j];
      }
    }
    for (let k = 0; k < acc.length; k++) out[i * h * w * d + k] = acc[k] / (factor * factor);
  }
  return { patches: out, gridH: h, gridW: w };
}
