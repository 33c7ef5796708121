/**
 * Findings as LOCALISED appearance changes (each also records its box = the pixels where it is drawn):
 * effusion (fluid replaces air below a meniscus, blunting the costophrenic angle), pneumothorax (lucent rim without
 * vessels + visceral pleural line), nodule / mass (round / lobulated soft-tissue spheres), consolidation (patchy
 * air-space opacity with air bronchograms), atelectasis (plate-like band), cardiomegaly (heart box; enlargement is
 * geometric), edema (bat-wing perihilar haze + Kerley lines), emphysema (hyperlucent, pruned vessels, bullae, flat
 * domes), pleural thickening (lateral band or apical cap), fracture (drawn with the ribs), calcification (dense
 * granulomas or aortic-knob rim), hernia (retrocardiac gas bubble with a fluid level); COVID-3 variant: lobar
 * pneumonia (one lobe, sharp at its fissure) and COVID-like bilateral peripheral lower-zone ground glass.
 */
import { createRng } from '../../engine/rng';
import type { DrawContext } from './draw-context';
import { sideSign } from './geometry';
import { Box, emptyBox, fillEllipse, growBox, strokePolyline } from './raster';
import type { FindingSpec, Side } from './spec';

const sidesOf = (f: FindingSpec): Side[] => (f.side === 'both' ? ['right', 'left'] : [f.side ?? 'right']);
const smooth = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** Lung pixels (of one side) in a pixel box get opac = max(opac, c(u, v)); box/mask where c is visible. */
function opacify(
  ctx: DrawContext, side: Side, x0: number, y0: number, x1: number, y1: number, c: (u: number, v: number, o: number) => number,
  box: Box, mask?: Uint8Array, visible = 0.2,
): void {
  const { S, opac, lungSide } = ctx;
  const code = side === 'right' ? 1 : 2;
  const xa = Math.max(0, Math.floor(x0)), xb = Math.min(S - 1, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)), yb = Math.min(S - 1, Math.ceil(y1));
  for (let y = ya; y <= yb; y++) {
    const v = (y + 0.5) / S;
    for (let x = xa; x <= xb; x++) {
      const o = y * S + x;
      if (lungSide[o] !== code) continue;
      const val = c((x + 0.5) / S, v, o);
      if (val <= 0) continue;
      if (val > opac[o]) opac[o] = val > 1 ? 1 : val;
      if (val > visible) growBox(box, x, y, x + 1, y + 1);
      if (mask && val > 0.4) mask[o] = 1;
    }
  }
}

/** Lung-relative coordinates of an image point (tx medial→lateral, ty apex→costophrenic). */
function lungRel(ctx: DrawContext, side: Side, u: number, v: number): [number, number] {
  const G = ctx.G;
  const m = G.medial(v, side), l = G.lateral(v, side);
  return [(u - m) / (l - m), (v - G.apex) / (G.cp[side] - G.apex)];
}

function effusion(ctx: DrawContext, f: FindingSpec): void {
  const { S, G } = ctx;
  for (const side of sidesOf(f)) {
    const h = f.p.height, cp = G.cp[side];
    const box = emptyBox();
    const lat = G.lateral(cp, side);
    opacify(ctx, side, Math.min(G.cx, lat) * S - 2, (cp - h - 0.03) * S, Math.max(G.cx, lat) * S + 2, cp * S + 2, (u, v, o) => {
      const [tx] = lungRel(ctx, side, u, v);
      const q = Math.min(1, Math.max(0, tx));
      const ym = cp - h * (0.5 + 0.8 * q * q); // meniscus: higher at the lateral wall
      const c = f.p.contrast * smooth((v - ym) / (0.02 + 0.15 * h) + 0.5);
      // fluid layers in the posterior recess: a soft-tissue-thick layer, not just the air it displaces
      ctx.att[o] += 0.3 * c;
      return c;
    }, box, ctx.mask('Effusion'));
    ctx.addBox('Effusion', box);
  }
}

function pneumothorax(ctx: DrawContext, f: FindingSpec): void {
  const { S, G, ptx, att } = ctx;
  const side = sidesOf(f)[0];
  const box = emptyBox();
  const mask = ctx.mask('Pneumothorax');
  const code = side === 'right' ? 1 : 2;
  const vEnd = G.apex + f.p.extent * (G.cp[side] - G.apex);
  const y0 = Math.max(0, Math.floor(G.apex * S)), y1 = Math.min(S - 1, Math.ceil(vEnd * S));
  for (let y = y0; y <= y1; y++) {
    const v = (y + 0.5) / S;
    const tv = (v - G.apex) / (vEnd - G.apex);
    const d = f.p.depth * Math.sqrt(Math.max(0, 1 - tv * tv));
    const lat = G.lateral(v, side);
    for (let x = 0; x < S; x++) {
      const o = y * S + x;
      if (ctx.lungSide[o] !== code) continue;
      const dl = Math.abs(lat - (x + 0.5) / S);
      const inside = Math.min(1, Math.max(0, (d - dl) * S + 0.5));
      if (inside > 0) {
        ptx[o] = Math.max(ptx[o], inside);
        if (inside > 0.5) { growBox(box, x, y, x + 1, y + 1); if (mask) mask[o] = 1; }
      }
      const line = 1 - Math.abs(dl - d) * S / 0.9; // visceral pleural line
      if (line > 0 && d > 0.5 / S) att[o] += 0.1 * line;
    }
  }
  ctx.addBox('Pneumothorax', box, 1);
}

function nodule(ctx: DrawContext, f: FindingSpec, label: string): void {
  const { S, G, att } = ctx;
  const side = sidesOf(f)[0];
  const [u, v] = G.lungPoint(side, f.p.tx, f.p.ty);
  const r = f.p.r * S;
  const mask = ctx.mask(label);
  const amount = f.p.contrast * (label === 'Nodule' ? 0.7 : 0.55);
  const box = emptyBox();
  if (label === 'Nodule') {
    fillEllipse(att, S, u * S, v * S, r, r, 0, amount, { mask });
  } else {
    const cx = u * S, cy = v * S, R = r * (1 + f.p.a1 + f.p.a2);
    for (let y = Math.max(0, Math.floor(cy - R)); y <= Math.min(S - 1, Math.ceil(cy + R)); y++) {
      for (let x = Math.max(0, Math.floor(cx - R)); x <= Math.min(S - 1, Math.ceil(cx + R)); x++) {
        const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
        const th = Math.atan2(dy, dx);
        const rr = r * (1 + f.p.a1 * Math.sin(2 * th + f.p.f1) + f.p.a2 * Math.sin(3 * th + f.p.f2));
        const q = 1 - (dx * dx + dy * dy) / (rr * rr);
        if (q <= 0) continue;
        att[y * S + x] += amount * Math.sqrt(q);
        if (mask) mask[y * S + x] = 1;
      }
    }
  }
  const R = label === 'Nodule' ? r : r * (1 + f.p.a1 + f.p.a2);
  growBox(box, u * S - R, v * S - R, u * S + R, v * S + R);
  ctx.addBox(label, box);
}

/** Branching dark tubes (air bronchograms) from (u, v) towards `ang`, stroked into `buf`. */
function bronchograms(ctx: DrawContext, buf: Float32Array, u: number, v: number, ang: number, len: number, seed: number): void {
  const { S } = ctx;
  const rng = createRng(seed);
  for (let k = 0; k < 3; k++) {
    let a = ang + 0.5 * rng.normal(), x = u, y = v;
    const pts = [x * S, y * S];
    for (let i = 0; i < 4; i++) {
      a += 0.25 * rng.normal();
      x += Math.cos(a) * len / 4; y += Math.sin(a) * len / 4;
      pts.push(x * S, y * S);
    }
    strokePolyline(buf, S, pts, Math.max(1, 0.007 * S), 1, ctx.scratch);
  }
}

function consolidation(ctx: DrawContext, f: FindingSpec): void {
  const { S, G } = ctx;
  const side = sidesOf(f)[0];
  const blobs = (f.blobs ?? []).map((b) => { const [u, v] = G.lungPoint(side, b.tx, b.ty); return { u, v, s: b.s }; });
  const air = new Float32Array(S * S);
  const c0 = blobs[0];
  bronchograms(ctx, air, c0.u, c0.v, side === 'right' ? Math.PI * 0.75 : Math.PI * 0.25, 0.09, f.p.seed);
  let x0 = S, y0 = S, x1 = 0, y1 = 0;
  for (const b of blobs) {
    x0 = Math.min(x0, (b.u - 3 * b.s) * S); x1 = Math.max(x1, (b.u + 3 * b.s) * S);
    y0 = Math.min(y0, (b.v - 3 * b.s) * S); y1 = Math.max(y1, (b.v + 3 * b.s) * S);
  }
  const box = emptyBox();
  opacify(ctx, side, x0, y0, x1, y1, (u, v, o) => {
    let g = 0;
    for (const b of blobs) g += Math.exp(-((u - b.u) ** 2 + (v - b.v) ** 2) / (2 * b.s * b.s));
    const c = f.p.contrast * Math.min(1, 1.4 * g);
    return c * (1 - 0.5 * Math.min(1, air[o]));
  }, box, ctx.mask('Consolidation'), 0.25);
  ctx.addBox('Consolidation', box);
}

function atelectasis(ctx: DrawContext, f: FindingSpec): void {
  const { S, G } = ctx;
  const side = sidesOf(f)[0];
  const [u, v] = G.lungPoint(side, f.p.tx, f.p.ty);
  const dx = Math.cos(f.p.angle) * f.p.length / 2, dy = Math.sin(f.p.angle) * f.p.length / 2;
  const band = new Float32Array(S * S);
  strokePolyline(band, S, [(u - dx) * S, (v - dy) * S, u * S, (v + 0.004) * S, (u + dx) * S, (v + dy) * S], Math.max(1.2, f.p.thickness * S), 1, ctx.scratch);
  const box = emptyBox();
  const pad = f.p.thickness * S + 2;
  opacify(ctx, side, (u - Math.abs(dx)) * S - pad, (v - Math.abs(dy)) * S - pad, (u + Math.abs(dx)) * S + pad, (v + Math.abs(dy)) * S + pad,
    (_u, _v, o) => f.p.contrast * band[o], box);
  ctx.addBox('Atelectasis', box, 1);
}

function edema(ctx: DrawContext, f: FindingSpec): void {
  const { S, G, att } = ctx;
  const sig = 0.085 * G.k;
  for (const side of ['right', 'left'] as Side[]) {
    const [hu, hv] = G.lungPoint(side, 0.12, 0.5);
    const box = emptyBox();
    opacify(ctx, side, (hu - 3 * sig) * S, (hv - 3 * sig) * S, (hu + 3 * sig) * S, (hv + 3 * sig) * S,
      (u, v) => 0.7 * f.p.severity * Math.exp(-((u - hu) ** 2 + (v - hv) ** 2) / (2 * sig * sig)), box, undefined, 0.2);
    // Kerley B lines: short horizontal lines at the lateral bases
    const s = sideSign(side);
    for (let i = 0; i < 3 + f.p.kerley * 2; i++) {
      const [lu, lv] = G.lungPoint(side, 0.97, 0.7 + 0.05 * i);
      strokePolyline(att, S, [lu * S, lv * S, (lu - s * 0.03) * S, lv * S], Math.max(1, 0.004 * S), 0.05 * f.p.severity, ctx.scratch, { box });
    }
    ctx.addBox('Edema', box); // vessels lose definition inside the haze through (1 - opac)
  }
}

function emphysema(ctx: DrawContext, f: FindingSpec): void {
  const { S, G, att, lungSide } = ctx;
  ctx.airScale *= 1.12 + 0.25 * f.p.severity;
  ctx.vesselScale *= 1 - 0.55 * f.p.severity;
  for (const side of ['right', 'left'] as Side[]) {
    const [bu, bv] = G.lungPoint(side, 0.6, 0.18);
    fillEllipse(att, S, bu * S, bv * S, 0.045 * S, 0.035 * S, 0, -0.08 * f.p.severity);
  }
  const box = emptyBox();
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) if (lungSide[y * S + x]) growBox(box, x, y, x + 1, y + 1);
  ctx.addBox('Emphysema', box);
}

function pleuralThickening(ctx: DrawContext, f: FindingSpec): void {
  const { S, G, att } = ctx;
  const side = sidesOf(f)[0];
  const box = emptyBox();
  const code = side === 'right' ? 1 : 2;
  if (f.p.apical) {
    const vMax = G.apex + f.p.ty1 * (G.cp[side] - G.apex);
    for (let x = 0; x < S; x++) {
      let top = -1;
      for (let y = Math.max(0, Math.floor(G.apex * S) - 1); y < Math.min(S, Math.ceil(vMax * S)); y++) {
        const o = y * S + x;
        if (ctx.lungSide[o] !== code) continue;
        if (top < 0) top = y;
        const c = smooth(1 - (y - top) / (f.p.depth * S + 0.5));
        if (c <= 0) break;
        ctx.opac[o] = Math.max(ctx.opac[o], c);
        att[o] += 0.03 * c;
        growBox(box, x, y, x + 1, y + 1);
      }
    }
  } else {
    const v0 = G.apex + f.p.ty0 * (G.cp[side] - G.apex), v1 = G.apex + f.p.ty1 * (G.cp[side] - G.apex);
    const lat0 = G.lateral((v0 + v1) / 2, side);
    opacify(ctx, side, Math.min(lat0, G.cx) * S, v0 * S, Math.max(lat0, G.cx) * S, v1 * S, (u, v) => {
      const t = (v - v0) / (v1 - v0);
      const d = f.p.depth * Math.sin(Math.PI * Math.min(1, Math.max(0, t))) ** 0.5;
      return smooth((d - Math.abs(G.lateral(v, side) - u)) * S + 0.5);
    }, box, undefined, 0.3);
  }
  ctx.addBox('Pleural Thickening', box, 1);
}

function calcification(ctx: DrawContext, f: FindingSpec): void {
  const { S, G, att } = ctx;
  const box = emptyBox();
  if (f.p.aortic) {
    const an = ctx.spec.patient.anatomy;
    const kx = G.cx + an.mediastinumHalf + an.aorticKnob * 0.4, ky = G.apex + 0.15;
    const pts: number[] = [];
    for (let i = 0; i <= 8; i++) {
      const a = -1.3 + (2.2 * i) / 8;
      pts.push((kx + Math.cos(a) * 0.03) * S, (ky + Math.sin(a) * 0.026) * S);
    }
    strokePolyline(att, S, pts, Math.max(1.2, f.p.r * S), 0.35, ctx.scratch, { box });
  } else {
    const side = sidesOf(f)[0];
    for (const b of f.blobs ?? []) {
      const [u, v] = G.lungPoint(side, Math.min(0.95, Math.max(0.05, b.tx)), Math.min(0.9, Math.max(0.05, b.ty)));
      const r = Math.max(0.8, b.s * S);
      fillEllipse(att, S, u * S, v * S, r, r, 0, 1.2);
      growBox(box, u * S - r, v * S - r, u * S + r, v * S + r);
    }
  }
  ctx.addBox('Calcification', box, 1);
}

function hernia(ctx: DrawContext, f: FindingSpec): void {
  const { S, G, att } = ctx;
  const r = f.p.r * S;
  const cx = (G.cx + 0.03 + f.p.dx) * S, cy = (G.domeTop.left - 0.6 * f.p.r) * S;
  const level = cy - r + 2 * r * f.p.level;
  for (let y = Math.max(0, Math.floor(cy - r - 1)); y <= Math.min(S - 1, Math.ceil(cy + r + 1)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r - 1)); x <= Math.min(S - 1, Math.ceil(cx + r + 1)); x++) {
      const dx = (x + 0.5 - cx) / r, dy = (y + 0.5 - cy) / r;
      const rho = Math.sqrt(dx * dx + dy * dy);
      const o = y * S + x;
      if (rho < 1 && y + 0.5 < level) att[o] -= 0.45 * Math.sqrt(1 - rho * rho); // gas
      const rim = 1 - Math.abs(rho - 1) * r / 1.2;
      if (rim > 0) att[o] += 0.06 * rim;
    }
  }
  ctx.addBox('Hernia', { x0: cx - r - 1, y0: cy - r - 1, x1: cx + r + 1, y1: cy + r + 1 });
}

function lobarPneumonia(ctx: DrawContext, f: FindingSpec): void {
  const { S, G } = ctx;
  const side = sidesOf(f)[0];
  const air = new Float32Array(S * S);
  const rng = createRng(f.p.seed);
  const lobeOf = (tx: number, ty: number): [number, number] => {
    // returns [lobe, distance to its fissure in ty units]
    if (f.p.lobes === 3) {
      const minor = 0.42 + 0.05 * (tx - 0.5);
      if (ty < minor) return [0, minor - ty];
      const major = 0.55 + 0.35 * (ty - 0.5);
      return tx < major ? [1, Math.min(ty - minor, major - tx)] : [2, Math.min(ty - minor, tx - major)];
    }
    const major = 0.5 - 0.12 * (tx - 0.5);
    return ty < major ? [0, major - ty] : [1, ty - major];
  };
  // air bronchograms run from the hilum towards the centre of the affected lobe
  const [su, sv] = G.lungPoint(side, 0.5, [0.25, 0.55, 0.75][f.p.lobe] ?? 0.6);
  const [hu, hv] = G.lungPoint(side, 0.15, 0.45);
  bronchograms(ctx, air, hu, hv, Math.atan2(sv - hv, su - hu), 0.16, rng.int(1 << 30));
  const box = emptyBox();
  const lat = G.lateral(G.cp[side], side);
  opacify(ctx, side, Math.min(lat, G.cx) * S - 2, G.apex * S, Math.max(lat, G.cx) * S + 2, G.cp[side] * S, (u, v, o) => {
    const [tx, ty] = lungRel(ctx, side, u, v);
    const [lobe, dist] = lobeOf(tx, ty);
    if (lobe !== f.p.lobe) return 0;
    return f.p.contrast * smooth(dist / 0.03 + 0.3) * (1 - 0.45 * Math.min(1, air[o]));
  }, box, ctx.mask('Consolidation'), 0.25);
  ctx.addBox('Pneumonia', box);
}

function covidGGO(ctx: DrawContext, f: FindingSpec): void {
  const { S, G } = ctx;
  for (const side of ['right', 'left'] as Side[]) {
    const blobs = (f.blobs ?? []).filter((b) => b.side === side).map((b) => { const [u, v] = G.lungPoint(side, b.tx, b.ty); return { u, v, s: b.s }; });
    if (!blobs.length) continue;
    const box = emptyBox();
    const lat = G.lateral(G.cp[side], side);
    opacify(ctx, side, Math.min(lat, G.cx) * S - 2, G.apex * S, Math.max(lat, G.cx) * S + 2, G.cp[side] * S, (u, v) => {
      let g = 0;
      for (const b of blobs) g += Math.exp(-((u - b.u) ** 2 + (v - b.v) ** 2) / (2 * b.s * b.s));
      return 0.7 * f.p.severity * Math.min(1, g);
    }, box, undefined, 0.15);
    ctx.addBox('COVID-19', box);
  }
}

/** Draw every finding of the spec (cardiomegaly and emphysema geometry already live in ThoraxGeometry). */
export function drawFindings(ctx: DrawContext): void {
  for (const f of ctx.spec.findings) {
    switch (f.name) {
      case 'Effusion': effusion(ctx, f); break;
      case 'Pneumothorax': pneumothorax(ctx, f); break;
      case 'Nodule': nodule(ctx, f, 'Nodule'); break;
      case 'Mass': nodule(ctx, f, 'Mass'); break;
      case 'Consolidation': consolidation(ctx, f); break;
      case 'Atelectasis': atelectasis(ctx, f); break;
      case 'Cardiomegaly': {
        const h = ctx.G.heart, S = ctx.S;
        ctx.addBox('Cardiomegaly', { x0: (h.cx - h.halfW) * S, y0: (h.cy - h.halfH) * S, x1: (h.cx + h.halfW) * S, y1: (h.cy + h.halfH) * S });
        break;
      }
      case 'Edema': edema(ctx, f); break;
      case 'Emphysema': emphysema(ctx, f); break;
      case 'Pleural Thickening': pleuralThickening(ctx, f); break;
      case 'Fracture': break; // drawn with the ribs
      case 'Calcification': calcification(ctx, f); break;
      case 'Hernia': hernia(ctx, f); break;
      case 'LobarPneumonia': lobarPneumonia(ctx, f); break;
      case 'CovidGGO': covidGGO(ctx, f); break;
      default: throw new Error(`invalid finding: ${f.name}`);
    }
  }
}
