/**
 * Thoracolumbar spine film (AASCE-like field of view): soft tissue, lungs in the upper half, 17 vertebrae T1–L5
 * drawn as the spec's trapezoids (cortical rim, pedicles, spinous process), 12 rib pairs attached to the thoracic
 * vertebrae, iliac crests at the bottom. One mask per vertebra (T1..L5).
 */
import type { Rng } from '../../engine/rng';
import { acquire } from './acquisition';
import { SPINE_LEVELS } from './catalogue';
import type { PhantomBox } from './draw-context';
import { fillBandY, fillConvexPolygon, fillEllipse } from './raster';
import type { PhantomSpec } from './spec';
import type { RenderOutput } from './render-cxr';

export function renderSpine(spec: PhantomSpec, S: number, rng: Rng, withMasks: boolean): RenderOutput {
  const sp = spec.spine;
  if (!sp) throw new Error('renderSpine: spec has no spine geometry (variant must be "spine")');
  const N = S * S;
  const att = new Float32Array(N);
  const tmp = new Float32Array(N);
  const masks = new Map<string, Uint8Array>();
  const dens = spec.patient.anatomy.boneDensity;
  const mid = sp.midline;
  // body: wide soft tissue, lungs (air) lateral to the spine in the upper ~55 %
  for (let y = 0; y < S; y++) {
    const v = (y + 0.5) / S;
    const half = 0.4 + 0.04 * Math.sin(Math.PI * v);
    for (let x = 0; x < S; x++) {
      const d = ((x + 0.5) / S - mid) / half;
      if (Math.abs(d) >= 1) continue;
      let a = 0.85 * Math.sqrt(1 - d * d);
      const lungBottom = 0.56 + 0.03 * Math.sign(d);
      if (v < lungBottom && Math.abs(d) > 0.18 && Math.abs(d) < 0.85) {
        const t = Math.min(1, (lungBottom - v) / 0.08) * Math.sin((Math.PI * (Math.abs(d) - 0.18)) / 0.67);
        a -= 0.55 * t * Math.min(1, (v + 0.05) / 0.15);
      }
      att[y * S + x] = a;
    }
  }
  // ribs from the 12 thoracic vertebrae
  for (let i = 0; i < 12; i++) {
    const vt = sp.vertebrae[i];
    for (const s of [-1, 1]) {
      // ribs leave the transverse processes, arc laterally and down; T11–T12 are short floating ribs
      const len = i < 9 ? 0.27 - 0.006 * Math.abs(i - 5) : 0.2 - 0.05 * (i - 9);
      const x0 = vt.cx + s * vt.w * 0.55, x1 = vt.cx + s * (vt.w * 0.55 + len);
      const yc = (x: number) => { const t = (x / S - x0) / (x1 - x0); return (vt.cy - 0.014 * Math.sin(Math.PI * Math.min(1, 1.5 * t)) + 0.09 * t * t * t) * S; };
      fillBandY(att, S, x0 * S, x1 * S, yc, 0.009 * S, 0.2 * dens);
    }
  }
  // iliac crests
  for (const s of [-1, 1]) fillEllipse(att, S, (mid + s * 0.22) * S, 1.02 * S, 0.17 * S, 0.09 * S, s * 0.3, 0.3 * dens);
  // vertebrae: body (trapezoid) with cortical rim, pedicles, spinous process
  sp.vertebrae.forEach((vt, i) => {
    const lm = sp.landmarks[i];
    const quad = [lm[0], lm[1], lm[3], lm[2]].flatMap(([x, y]) => [x * S, y * S]);
    const m = withMasks ? new Uint8Array(N) : undefined;
    fillConvexPolygon(att, S, quad, 0.34 * dens, m);
    if (m) masks.set(SPINE_LEVELS[i], m);
    const inner = [lm[0], lm[1], lm[3], lm[2]].flatMap(([x, y]) => [(vt.cx + 0.72 * (x - vt.cx)) * S, (vt.cy + 0.72 * (y - vt.cy)) * S]);
    fillConvexPolygon(att, S, inner, -0.1 * dens);
    const ux = Math.cos(vt.theta), uy = Math.sin(vt.theta);
    for (const s of [-1, 1]) {
      fillEllipse(att, S, (vt.cx + s * 0.3 * vt.w * ux) * S, (vt.cy + s * 0.3 * vt.w * uy - 0.15 * (vt.hL + vt.hR) / 2) * S, 0.1 * vt.w * S, 0.14 * vt.w * S, vt.theta, 0.1 * dens);
    }
    fillEllipse(att, S, vt.cx * S, (vt.cy + 0.25 * (vt.hL + vt.hR) / 2) * S, 0.06 * vt.w * S, 0.18 * vt.w * S, vt.theta, 0.08 * dens);
  });
  const data = acquire(att, S, spec.acquisition, rng, tmp);
  const boxes: PhantomBox[] = [];
  return { data, masks, boxes, braceBox: null };
}
