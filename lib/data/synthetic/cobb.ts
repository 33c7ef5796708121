/**
 * Cobb angles from vertebra geometry (AASCE 2019 convention: 17 vertebrae T1–L5, 4 corner landmarks each).
 *
 * A vertebra's tilt is the direction of the segment joining the midpoints of its left and right sides
 * (as in the AASCE reference `cobb_angle_calc`). The major curve is the pair of vertebrae with the largest tilt
 * difference (its end vertebrae a < b); the proximal curve is the largest tilt difference among vertebrae 0..a and
 * the distal curve among b..16. They are reported as PT (proximal thoracic), MT (main / major) and TL
 * (thoracolumbar / lumbar) — the same decomposition as the AASCE reference for non-S curves, applied to all curves.
 */

/** Landmarks of one vertebra: top-left, top-right, bottom-left, bottom-right, as [x, y] (image coordinates). */
export type VertebraCorners = [[number, number], [number, number], [number, number], [number, number]];

/** Tilt (degrees, image coordinates: positive = right side lower) of each vertebra from its 4 corners. */
export function tiltsFromLandmarks(vertebrae: readonly VertebraCorners[]): number[] {
  return vertebrae.map(([tl, tr, bl, br], i) => {
    const lx = (tl[0] + bl[0]) / 2, ly = (tl[1] + bl[1]) / 2;
    const rx = (tr[0] + br[0]) / 2, ry = (tr[1] + br[1]) / 2;
    if (rx <= lx) throw new Error(`vertebra ${i}: right side is not to the right of the left side`);
    return (Math.atan2(ry - ly, rx - lx) * 180) / Math.PI;
  });
}

export interface CobbAngles {
  pt: number;
  mt: number;
  tl: number;
  /** End vertebrae (indices) of the major curve. */
  apexPair: [number, number];
}

function maxDiff(t: readonly number[], lo: number, hi: number): number {
  let best = 0;
  for (let i = lo; i <= hi; i++) for (let j = i + 1; j <= hi; j++) best = Math.max(best, Math.abs(t[i] - t[j]));
  return best;
}

/** PT / MT / TL Cobb angles (degrees) from per-vertebra tilts (top to bottom). */
export function cobbFromTilts(tilts: readonly number[]): CobbAngles {
  if (tilts.length < 3) throw new Error(`cobbFromTilts: need at least 3 vertebrae, got ${tilts.length}`);
  let a = 0, b = 1, best = -1;
  for (let i = 0; i < tilts.length; i++) {
    for (let j = i + 1; j < tilts.length; j++) {
      const d = Math.abs(tilts[i] - tilts[j]);
      if (d > best) { best = d; a = i; b = j; }
    }
  }
  return { pt: maxDiff(tilts, 0, a), mt: best, tl: maxDiff(tilts, b, tilts.length - 1), apexPair: [a, b] };
}

/** Cobb angles from AASCE-style landmarks (68 × 2 flattened or 17 groups of 4 corners TL, TR, BL, BR). */
export function cobbFromLandmarks(landmarks: readonly VertebraCorners[] | ArrayLike<number>): CobbAngles {
  let groups: VertebraCorners[];
  if (Array.isArray(landmarks) && Array.isArray(landmarks[0])) groups = landmarks as VertebraCorners[];
  else {
    const f = landmarks as ArrayLike<number>;
    if (f.length % 8 !== 0) throw new Error(`cobbFromLandmarks: expected 8 numbers per vertebra, got ${f.length}`);
    groups = [];
    for (let i = 0; i < f.length; i += 8) {
      groups.push([[f[i], f[i + 1]], [f[i + 2], f[i + 3]], [f[i + 4], f[i + 5]], [f[i + 6], f[i + 7]]]);
    }
  }
  return cobbFromTilts(tiltsFromLandmarks(groups));
}
