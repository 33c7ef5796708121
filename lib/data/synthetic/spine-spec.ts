/**
 * Spine-film geometry: a scoliotic curve drawn as a sum of three Gaussian bumps (proximal thoracic, main thoracic,
 * thoracolumbar), 17 vertebrae T1–L5 placed along it as isosceles trapezoids whose endplates are perpendicular to
 * the curve (plus a little per-vertebra rotation and lateral wedging), their AASCE-style corner landmarks and the
 * Cobb angles computed from those landmarks (`cobb.ts`).
 */
import type { Rng } from '../../engine/rng';
import { cobbFromLandmarks, VertebraCorners } from './cobb';

export interface VertebraSpec {
  /** Centre (u, v), width, left/right side heights (fractions of the image), tilt (rad, image coordinates). */
  cx: number; cy: number; w: number; hL: number; hR: number; theta: number;
}

export interface SpineSpec {
  vertebrae: VertebraSpec[];
  /** Corners TL, TR, BL, BR per vertebra, in fractions of the image (multiply by size for pixels). */
  landmarks: VertebraCorners[];
  cobb: { pt: number; mt: number; tl: number };
  /** Curve parameters (for display): amplitude and centre level of each bump. */
  bumps: { amp: number; level: number; width: number }[];
  midline: number;
}

export function vertebraCorners(v: VertebraSpec): VertebraCorners {
  const ux = Math.cos(v.theta), uy = Math.sin(v.theta); // left → right axis
  const nx = -uy, ny = ux; // towards the bottom endplate
  const hw = v.w / 2;
  const lx = v.cx - hw * ux, ly = v.cy - hw * uy;
  const rx = v.cx + hw * ux, ry = v.cy + hw * uy;
  return [
    [lx - (v.hL / 2) * nx, ly - (v.hL / 2) * ny],
    [rx - (v.hR / 2) * nx, ry - (v.hR / 2) * ny],
    [lx + (v.hL / 2) * nx, ly + (v.hL / 2) * ny],
    [rx + (v.hR / 2) * nx, ry + (v.hR / 2) * ny],
  ];
}

export function sampleSpineSpec(rng: Rng): SpineSpec {
  const n = 17;
  // severity mix: straight-ish, mild, moderate, severe main curve
  const u = rng.uniform();
  const main = u < 0.25 ? rng.range(0, 0.012) : u < 0.6 ? rng.range(0.012, 0.035) : u < 0.9 ? rng.range(0.035, 0.065) : rng.range(0.065, 0.1);
  const sgn = rng.bernoulli(0.5) ? 1 : -1;
  const bumps = [
    { amp: -sgn * main * rng.range(0.1, 0.6), level: rng.range(1, 3.5), width: rng.range(1.5, 2.5) },
    { amp: sgn * main, level: rng.range(6, 9), width: rng.range(2.2, 3.2) },
    { amp: -sgn * main * rng.range(0.2, 0.9), level: rng.range(11.5, 14), width: rng.range(2, 3) },
  ];
  const midline = 0.5 + 0.02 * rng.normal();
  // vertical layout: heights grow caudally; discs ≈ 28 % of the body height
  const heights = Array.from({ length: n }, (_, i) => (i < 12 ? 0.031 + 0.0011 * i : 0.045 + 0.0012 * (i - 12)));
  const pitch = heights.map((h) => h * 1.28);
  const total = pitch.reduce((s, p) => s + p, 0);
  const scale = 0.88 / total;
  const xAt = (level: number) => midline + bumps.reduce((s, b) => s + b.amp * Math.exp(-0.5 * ((level - b.level) / b.width) ** 2), 0);
  const vertebrae: VertebraSpec[] = [];
  let v = 0.06;
  for (let i = 0; i < n; i++) {
    const h = heights[i] * scale;
    const cy = v + (pitch[i] * scale) / 2;
    v += pitch[i] * scale;
    const cx = xAt(i);
    // slope of the column in image units: dx per level / dv per level
    const dxdl = (xAt(i + 0.01) - xAt(i - 0.01)) / 0.02;
    const slope = dxdl / (pitch[i] * scale);
    const curvature = (xAt(i + 1) - 2 * cx + xAt(i - 1)) / (pitch[i] * scale);
    const theta = -Math.atan(slope) + (rng.normal() * 1.0 * Math.PI) / 180;
    const wedge = Math.max(-0.12, Math.min(0.12, curvature * 1.2)); // mild lateral wedging on the concave side
    const w = (0.058 + 0.0022 * i) * (1 + 0.03 * rng.normal());
    vertebrae.push({ cx, cy, w, hL: h * (1 + wedge), hR: h * (1 - wedge), theta });
  }
  const landmarks = vertebrae.map(vertebraCorners);
  const c = cobbFromLandmarks(landmarks);
  return { vertebrae, landmarks, cobb: { pt: c.pt, mt: c.mt, tl: c.tl }, bumps, midline };
}
