/**
 * Normal chest anatomy as projected attenuation: body soft tissue (elliptic thickness per row), lungs (air, thickest
 * centrally), heart and mediastinum, trachea and bronchi, thoracic spine, 20 ribs (posterior arcs bright, anterior
 * arcs faint and tapering), clavicles, humeral heads, breast shadows (F), diaphragm and gastric bubble, and a
 * patient-specific pulmonary vessel tree radiating from the hila.
 */
import { createRng } from '../../engine/rng';
import type { DrawContext } from './draw-context';
import { sideSign } from './geometry';
import { fillBandY, fillConvexPolygon, fillEllipse, splat, strokePolyline } from './raster';
import type { Side } from './spec';

const SIDES: Side[] = ['right', 'left'];

export function drawBody(ctx: DrawContext): void {
  const { S, G, att, spec } = ctx;
  const soft = 0.9 * spec.patient.anatomy.softTissue;
  const body = ctx.mask('body');
  for (let y = 0; y < S; y++) {
    const v = (y + 0.5) / S;
    const B = G.bodyHalf(v) * S;
    const c = G.cx * S;
    const x0 = Math.max(0, Math.floor(c - B)), x1 = Math.min(S - 1, Math.ceil(c + B));
    for (let x = x0; x <= x1; x++) {
      const d = (x + 0.5 - c) / B;
      const q = 1 - d * d;
      if (q <= 0) continue;
      const o = y * S + x;
      att[o] += soft * Math.sqrt(q);
      if (body) body[o] = 1;
    }
  }
}

export function drawLungs(ctx: DrawContext): void {
  const { S, G, lungT, lungSide } = ctx;
  const h = G.heart;
  const hc = Math.cos(h.theta), hs = Math.sin(h.theta);
  const domeV = new Float64Array(S);
  const heartRim = 1 + 2 / Math.max(1, h.b * S);
  for (const side of SIDES) {
    const m = ctx.mask(side === 'right' ? 'right_lung' : 'left_lung');
    const code = side === 'right' ? 1 : 2;
    for (let x = 0; x < S; x++) domeV[x] = G.dome((x + 0.5) / S, side); // the dome depends on u only
    const y0 = Math.max(0, Math.floor(G.apex * S)), y1 = Math.min(S - 1, Math.ceil(G.cp[side] * S));
    for (let y = y0; y <= y1; y++) {
      const v = (y + 0.5) / S;
      if (v < G.apex || v > G.cp[side]) continue;
      const a = G.medial(v, side), b = G.lateral(v, side);
      const lo = Math.min(a, b), hi = Math.max(a, b);
      if (hi - lo < 1e-4) continue;
      const xa = Math.max(0, Math.floor(lo * S)), xb = Math.min(S - 1, Math.ceil(hi * S));
      const apexTaper = Math.min(1, 0.35 + (v - G.apex) / 0.06);
      for (let x = xa; x <= xb; x++) {
        const u = (x + 0.5) / S;
        const q = (u - lo) / (hi - lo);
        if (q <= 0 || q >= 1) continue;
        const dv = domeV[x] - v;
        if (dv <= -0.5 / S) continue;
        // heart occludes the lung (soft edge); sqrt only near the heart border
        const dx = u - h.cx, dy = v - h.cy;
        const p = (dx * hc + dy * hs) / h.a, r = (-dx * hs + dy * hc) / h.b;
        const hr2 = p * p + r * r;
        let heartCov = 1, hr = 2;
        if (hr2 < heartRim * heartRim) {
          hr = Math.sqrt(hr2);
          heartCov = Math.min(1, Math.max(0, (hr - 1) * h.b * S + 0.5));
          if (heartCov <= 0) continue;
        }
        const domeCov = Math.min(1, dv * S + 0.5);
        // lungs wrap laterally: a flattened chord profile, thinning only near the borders
        const c4 = Math.sqrt(Math.sqrt(4 * q * (1 - q)));
        const t = c4 * Math.sqrt(Math.sqrt(Math.sqrt(c4))) * Math.min(1, 0.45 + dv / 0.05) * apexTaper; // (4q(1-q))^0.28
        const o = y * S + x;
        lungT[o] = t * domeCov * heartCov;
        lungSide[o] = code;
        if (m && dv > 0 && hr > 1) m[o] = 1;
      }
    }
  }
}

export function drawHeartAndMediastinum(ctx: DrawContext): void {
  const { S, G, att, spec } = ctx;
  const h = G.heart;
  fillEllipse(att, S, h.cx * S, h.cy * S, h.a * S, h.b * S, h.theta, 0.04, { mask: ctx.mask('heart') });
  // mediastinum: between the lungs' medial borders, from the thoracic inlet to the top of the heart
  const med = ctx.mask('mediastinum');
  const yTop = Math.max(0, Math.floor((G.apex - 0.05) * S)), yBot = Math.min(S - 1, Math.ceil((h.cy - 0.35 * h.halfH) * S));
  const an = spec.patient.anatomy;
  for (let y = yTop; y <= yBot; y++) {
    const v = (y + 0.5) / S;
    const l = G.cx - an.mediastinumHalf - 0.005, r = G.cx + an.mediastinumHalf + an.aorticKnob * Math.exp(-0.5 * ((v - (G.apex + 0.15)) / 0.025) ** 2);
    const xa = Math.max(0, Math.ceil(l * S - 0.5)), xb = Math.min(S - 1, Math.floor(r * S - 0.5));
    for (let x = xa; x <= xb; x++) {
      const o = y * S + x;
      att[o] += 0.05;
      if (med) med[o] = 1;
    }
  }
  // aortic knob
  fillEllipse(att, S, (G.cx + an.mediastinumHalf + an.aorticKnob * 0.4) * S, (G.apex + 0.15) * S, 0.035 * S, 0.03 * S, 0, 0.08);
  // trachea (air column) and main bronchi
  const [cu, cv] = G.carina;
  strokePolyline(att, S, [cu * S, 0, cu * S, cv * S], 0.03 * G.k * S, -0.12, ctx.scratch);
  strokePolyline(att, S, [cu * S, cv * S, (cu - 0.055) * S, (cv + 0.05) * S], 0.02 * S, -0.08, ctx.scratch);
  strokePolyline(att, S, [cu * S, cv * S, (cu + 0.06) * S, (cv + 0.065) * S], 0.018 * S, -0.08, ctx.scratch);
}

/** Vertebrae as quadrilaterals with a cortical rim and pedicles; returns nothing, fills the 'spine' mask. */
export function drawThoracicSpine(ctx: DrawContext): void {
  const { S, G, att, spec } = ctx;
  const dens = spec.patient.anatomy.boneDensity;
  const m = ctx.mask('spine');
  const pitch = (G.domeTop.right + 0.09 - G.apex) / 12;
  for (let i = 0; i < 20; i++) {
    const cy = G.apex - 0.045 + i * pitch;
    if (cy - pitch > 1.02) break;
    const w = (0.058 + 0.001 * i) * G.k, h = 0.74 * pitch;
    const x0 = (G.cx - w / 2) * S, x1 = (G.cx + w / 2) * S, y0 = (cy - h / 2) * S, y1 = (cy + h / 2) * S;
    fillConvexPolygon(att, S, [x0, y0, x1, y0, x1, y1, x0, y1], 0.13 * dens, m);
    const ix = 0.2 * (x1 - x0), iy = 0.2 * (y1 - y0);
    fillConvexPolygon(att, S, [x0 + ix, y0 + iy, x1 - ix, y0 + iy, x1 - ix, y1 - iy, x0 + ix, y1 - iy], -0.04 * dens);
    for (const s of [-1, 1]) fillEllipse(att, S, (G.cx + s * w * 0.33) * S, (cy - h * 0.15) * S, 0.008 * S, 0.011 * S, 0, 0.07 * dens);
    fillEllipse(att, S, G.cx * S, (cy + h * 0.3) * S, 0.006 * S, 0.012 * S, 0, 0.06 * dens);
  }
}

export function drawRibs(ctx: DrawContext): void {
  const { S, G, att, spec } = ctx;
  const dens = spec.patient.anatomy.boneDensity;
  const frac = spec.findings.find((f) => f.name === 'Fracture');
  for (const r of G.ribs) {
    const m = ctx.mask(r.name);
    let skip: ((x: number) => boolean) | undefined;
    let offset: ((x: number) => number) | undefined;
    if (frac && frac.side === r.side && frac.p.rib === r.k) {
      const xf = (r.xm + frac.p.t * (r.xl - r.xm)) * S;
      const g = (frac.p.gap * S) / 2 + 0.5;
      const s = sideSign(r.side);
      skip = (x) => Math.abs(x - xf) < g;
      // displaced lateral fragment: the step is at the gap and fades within ~2.5 % of the film (keeps the change local)
      offset = (x) => ((x - xf) * s > 0 ? frac.p.offset * S * Math.max(0, 1 - Math.abs(x - xf) / (0.025 * S)) : 0);
      const yf = G.ribY(r, xf / S) * S;
      // healing fractures (≈ 80 %) carry a callus: a focal bony bulge, the cue readers use at low resolution
      if (frac.p.callus > 0.2) fillEllipse(att, S, xf, yf, Math.max(1.3, 0.022 * S), Math.max(1.3, 0.018 * S), 0, 0.4 * dens);
      const pad = 0.03 * S;
      const box = { x0: xf - pad, y0: yf - pad, x1: xf + pad, y1: yf + pad + Math.abs(frac.p.offset) * S };
      // extrapleural haematoma (≈ 60 %): a lenticular soft-tissue opacity on the chest wall at the fracture's level
      if (frac.p.callus > 0.4) {
        const code = r.side === 'right' ? 1 : 2;
        const vh = yf / S, half = 0.045;
        for (let y = Math.max(0, Math.floor((vh - half) * S)); y <= Math.min(S - 1, Math.ceil((vh + half) * S)); y++) {
          const v = (y + 0.5) / S;
          const lat = G.lateral(v, r.side);
          const depth = 0.035 * Math.max(0, 1 - ((v - vh) / half) ** 2);
          for (let x = 0; x < S; x++) {
            const o = y * S + x;
            if (ctx.lungSide[o] !== code) continue;
            const c = Math.min(1, Math.max(0, (depth - Math.abs(lat - (x + 0.5) / S)) * S + 0.5));
            if (c <= 0) continue;
            ctx.opac[o] = Math.max(ctx.opac[o], 0.9 * c);
            if (c > 0.2) { box.x0 = Math.min(box.x0, x); box.x1 = Math.max(box.x1, x + 1); box.y0 = Math.min(box.y0, y); box.y1 = Math.max(box.y1, y + 1); }
          }
        }
      }
      ctx.addBox('Fracture', box);
    }
    fillBandY(att, S, r.xm * S, r.xl * S, (x) => G.ribY(r, x / S) * S, (r.thick * S) / 2, 0.22 * dens, { mask: m, skip, offset });
    fillBandY(att, S, r.xl * S, r.xa * S, (x) => G.ribYAnterior(r, x / S) * S, (r.thick * 0.85 * S) / 2, 0.07 * dens, { mask: m, taper: 0.45 });
  }
}

export function drawShoulderGirdle(ctx: DrawContext): void {
  const { S, G, att, spec } = ctx;
  const dens = spec.patient.anatomy.boneDensity;
  const ap = spec.view === 'AP' ? 0.03 : 0;
  for (const side of SIDES) {
    const s = sideSign(side);
    const xm = G.cx + s * 0.035, xl = G.cx + s * 0.31 * G.k;
    const ym = G.apex + 0.04 - ap * 0.3, yl = G.apex - 0.035 - ap;
    const yc = (x: number) => {
      const t = (x / S - xm) / (xl - xm);
      return (ym + (yl - ym) * t + 0.012 * Math.sin(2 * Math.PI * t)) * S;
    };
    fillBandY(att, S, xm * S, xl * S, yc, 0.0125 * S, 0.42 * dens, { mask: ctx.mask(side === 'right' ? 'right_clavicle' : 'left_clavicle') });
    // humeral head and scapular glenoid at the upper corners
    fillEllipse(att, S, (G.cx + s * 0.5) * S, (G.apex + 0.07) * S, 0.065 * S, 0.075 * S, 0, 0.3 * dens);
    // breast shadows
    const br = spec.patient.anatomy.breast;
    if (br > 0) fillEllipse(att, S, (G.cx + s * 0.25) * S, (G.domeTop[side] - 0.01) * S, 0.16 * S, 0.12 * S, s * 0.25, 0.13 * br);
  }
}

export function drawDiaphragm(ctx: DrawContext): void {
  const { S, G, att } = ctx;
  const m = ctx.mask('diaphragm');
  if (m) {
    for (const side of SIDES) {
      const s = sideSign(side);
      const ua = G.cx + s * 0.02, ub = G.lateral(G.cp[side], side);
      const xa = Math.max(0, Math.floor(Math.min(ua, ub) * S)), xb = Math.min(S - 1, Math.ceil(Math.max(ua, ub) * S));
      for (let x = xa; x <= xb; x++) {
        const u = (x + 0.5) / S;
        const y0 = G.dome(u, side) * S, y1 = y0 + 0.022 * S;
        for (let y = Math.max(0, Math.ceil(y0 - 0.5)); y <= Math.min(S - 1, Math.floor(y1 - 0.5)); y++) m[y * S + x] = 1;
      }
    }
  }
  // gastric bubble under the left hemidiaphragm
  fillEllipse(att, S, (G.cx + 0.15) * S, (G.domeTop.left + 0.045) * S, 0.045 * S, 0.025 * S, 0, -0.12);
}

/** Patient-specific vessel tree: 7 trunks per hilum, two generations of branches, tapering. */
export function drawVessels(ctx: DrawContext): void {
  const { S, G, vessel, spec } = ctx;
  const rng = createRng(spec.patient.anatomy.vesselSeed);
  const step = 0.6 / S;
  const grow = (x: number, y: number, ang: number, len: number, w: number, gen: number) => {
    let px = x, py = y, a = ang;
    const n = Math.ceil(len / step);
    for (let i = 0; i < n; i++) {
      a += 0.04 * rng.normal();
      px += Math.cos(a) * step; py += Math.sin(a) * step;
      const taper = w * (1 - 0.6 * (i / n));
      // a vessel thinner than a pixel deposits its line integral (∝ physical width) over ~1 px
      splat(vessel, S, px * S, py * S, 0.1 * Math.min(1.5, taper * S));
    }
    if (gen < 2) {
      for (const d of [-1, 1]) grow(px - Math.cos(a) * len * 0.4, py - Math.sin(a) * len * 0.4, a + d * rng.range(0.25, 0.6), len * rng.range(0.55, 0.75), w * 0.6, gen + 1);
    }
  };
  for (const side of SIDES) {
    const s = sideSign(side);
    const [hx, hy] = G.lungPoint(side, 0.12, 0.5);
    for (let i = 0; i < 7; i++) {
      // lateral direction is angle 0 (left lung) or π (right lung); fan from superior to inferior
      const fan = -1.25 + (2.5 * i) / 6 + 0.15 * rng.normal();
      const ang = s > 0 ? fan : Math.PI - fan;
      grow(hx, hy, ang, rng.range(0.1, 0.17), 0.0055, 0);
    }
  }
}
