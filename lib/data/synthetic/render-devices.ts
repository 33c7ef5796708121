/**
 * Support devices as radio-opaque lines whose TIP position defines the RANZCR-style label:
 * ETT (tip 3–7 cm above the carina = normal; too close / too high = borderline; right main bronchus or above the
 * clavicles = abnormal), NGT (tip in the stomach = normal; at the gastro-oesophageal junction = borderline; coiled in the
 * oesophagus or down the right bronchus = abnormal; leaving the film = incompletely imaged), CVC from the right
 * internal jugular (tip at the cavo-atrial junction = normal; high SVC = borderline; deep right atrium or across to the
 * contralateral brachiocephalic = abnormal). Also the planted spurious cue: a cervical collar (neck brace).
 * 1 cm ≈ 0.02 image units (a thorax of ~30 cm spans ~0.6 of the film).
 */
import type { DrawContext } from './draw-context';
import { Box, emptyBox, fillEllipse, strokePolyline } from './raster';
import type { DeviceSpec } from './spec';

/** Device centreline as image fractions [u0, v0, u1, v1, ...], last point = tip. */
export function devicePath(ctx: DrawContext, d: DeviceSpec): number[] {
  const G = ctx.G;
  const [cu, cv] = G.carina;
  const w = 0.004 * d.wiggle;
  const cm = 0.02;
  switch (d.kind) {
    case 'ETT': {
      const top = [cu + 0.01 + w, -0.02, cu + w * 0.5, G.apex];
      if (d.position === 'Normal') return [...top, cu, cv - (3 + 4 * d.depth) * cm];
      if (d.position === 'Borderline') return [...top, cu, d.mode === 0 ? cv - (0.6 + 1.4 * d.depth) * cm : cv - (7.6 + 1.5 * d.depth) * cm];
      return d.mode === 0
        ? [...top, cu, cv - 0.01, cu - 0.04 - 0.02 * d.depth, cv + 0.035 + 0.02 * d.depth]
        : [cu + 0.01 + w, -0.02, cu, G.apex - 0.01 - 0.02 * d.depth];
    }
    case 'NGT': {
      const ge: [number, number] = [cu + 0.06, G.domeTop.left + 0.012];
      const eso = [cu + 0.006 + w, -0.02, cu + 0.018, G.apex, cu + 0.022, cv, cu + 0.032, G.domeTop.left - 0.03];
      if (d.position === 'Normal') return [...eso, ...ge, cu + 0.12, ge[1] + 0.05, cu + 0.14 + 0.05 * d.depth, ge[1] + 0.07 + 0.03 * d.depth];
      if (d.position === 'Borderline') return [...eso, cu + 0.05, ge[1] - 0.02 + 0.02 * d.depth];
      if (d.position === 'Incompletely Imaged') return [...eso, ...ge, cu + 0.12, ge[1] + 0.06, cu + 0.16, 1.05];
      return d.mode === 0
        ? [cu + 0.004 + w, -0.02, cu, G.apex, cu, cv - 0.005, cu - 0.05, cv + 0.05, cu - 0.1, G.domeTop.right - 0.04 - 0.06 * d.depth]
        : [...eso.slice(0, 6), cu + 0.04, cv + 0.06, cu + 0.06, cv + 0.02, cu + 0.03, cv - 0.04 - 0.04 * d.depth];
    }
    case 'CVC': {
      const neck = [cu - 0.1 + w, -0.02, cu - 0.075, G.apex + 0.02, cu - 0.048, G.apex + 0.1];
      if (d.position === 'Normal') return [...neck, cu - 0.042, cv + (1.5 + 2 * d.depth) * cm];
      if (d.position === 'Borderline') return [...neck, cu - 0.045, cv - (2.5 - 2 * d.depth) * cm];
      return d.mode === 0
        ? [...neck, cu - 0.042, cv + 0.06, cu - 0.02, G.heart.cy + 0.03 * d.depth]
        : [...neck.slice(0, 4), cu - 0.05, G.apex + 0.07, cu + 0.1 + 0.08 * d.depth, G.apex + 0.05];
    }
  }
}

export function drawDevices(ctx: DrawContext): void {
  const { S, att } = ctx;
  if (!ctx.spec.devices.length) return;
  const all = emptyBox();
  for (const d of ctx.spec.devices) {
    const px = devicePath(ctx, d).map((x) => x * S);
    const box: Box = emptyBox();
    if (d.kind === 'ETT') {
      // tube wall (plastic) plus its radio-opaque stripe; strong enough to show over the bright mediastinum
      strokePolyline(att, S, px, Math.max(2, 0.016 * S), 0.25, ctx.scratch, { box });
      strokePolyline(att, S, px, Math.max(1, 0.005 * S), 1.0, ctx.scratch);
    } else {
      strokePolyline(att, S, px, Math.max(1, (d.kind === 'NGT' ? 0.007 : 0.008) * S), 1.0, ctx.scratch, { box, profile: 'tube' });
    }
    for (const k of ['x0', 'y0', 'x1', 'y1'] as const) all[k] = k.endsWith('0') ? Math.min(all[k], box[k]) : Math.max(all[k], box[k]);
  }
  ctx.addBox('Support Devices', all, 1);
}

/** Cervical collar: two radio-opaque rings and struts around the neck (top of the film). Returns its pixel box. */
export function drawBrace(ctx: DrawContext): Box {
  const { S, G, att } = ctx;
  const box = emptyBox();
  const c = G.cx;
  const ring = (v: number, half: number) => [(c - half) * S, (v + 0.015) * S, (c - half * 0.5) * S, v * S, (c + half * 0.5) * S, v * S, (c + half) * S, (v + 0.015) * S];
  // plastic shell with radio-opaque edges, vertical struts and metal rivets: conspicuous at 64 px
  strokePolyline(att, S, ring(0.025, 0.14), Math.max(1.5, 0.016 * S), 1.0, ctx.scratch, { box });
  strokePolyline(att, S, ring(0.1, 0.17), Math.max(1.5, 0.016 * S), 1.0, ctx.scratch, { box });
  for (const s of [-1, -0.35, 0.35, 1]) {
    strokePolyline(att, S, [(c + s * 0.12) * S, 0.035 * S, (c + s * 0.14) * S, 0.105 * S], Math.max(1, 0.01 * S), 0.8, ctx.scratch, { box });
  }
  for (const s of [-1, 1]) fillEllipse(att, S, (c + s * 0.155) * S, 0.11 * S, Math.max(1, 0.012 * S), Math.max(1, 0.012 * S), 0, 1.5);
  return box;
}
