/**
 * Frontal chest phantom: anatomy + findings + devices summed as attenuation, composed with lung air (see
 * draw-context.ts), then the acquisition chain. Used for the 'cxr' and 'covid3' variants.
 */
import { createRng, Rng } from '../../engine/rng';
import { acquire } from './acquisition';
import { AIR, DrawContext, PhantomBox, PTX_AIR } from './draw-context';
import { thoraxGeometry } from './geometry';
import type { Box } from './raster';
import {
  drawBody, drawDiaphragm, drawHeartAndMediastinum, drawLungs, drawRibs, drawShoulderGirdle, drawThoracicSpine, drawVessels,
} from './render-anatomy';
import { drawBrace, drawDevices } from './render-devices';
import { drawFindings } from './render-findings';
import type { PhantomSpec } from './spec';

export interface RenderOutput {
  data: Float32Array;
  masks: Map<string, Uint8Array>;
  boxes: PhantomBox[];
  braceBox: PhantomBox | null;
}

function toPhantomBox(label: string, b: Box, S: number, pad = 0): PhantomBox | null {
  if (!(b.x1 > b.x0 && b.y1 > b.y0)) return null;
  const x0 = Math.max(0, Math.floor(b.x0 - pad)), y0 = Math.max(0, Math.floor(b.y0 - pad));
  const x1 = Math.min(S, Math.ceil(b.x1 + pad)), y1 = Math.min(S, Math.ceil(b.y1 + pad));
  if (x1 <= x0 || y1 <= y0) return null;
  return { label, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Scratch buffers reused across calls of the same size (rendering is synchronous, so no sharing hazard). */
const pools = new Map<number, { lungT: Float32Array; lungSide: Uint8Array; opac: Float32Array; vessel: Float32Array; ptx: Float32Array; scratch: Float32Array }>();
function pool(N: number) {
  let p = pools.get(N);
  if (!p) {
    p = { lungT: new Float32Array(N), lungSide: new Uint8Array(N), opac: new Float32Array(N), vessel: new Float32Array(N), ptx: new Float32Array(N), scratch: new Float32Array(N) };
    if (pools.size > 4) pools.clear();
    pools.set(N, p);
  } else {
    p.lungT.fill(0); p.lungSide.fill(0); p.opac.fill(0); p.vessel.fill(0); p.ptx.fill(0); p.scratch.fill(0);
  }
  return p;
}

export function renderCxr(spec: PhantomSpec, S: number, rng: Rng, withMasks: boolean): RenderOutput {
  const N = S * S;
  const buf = pool(N);
  const masks = new Map<string, Uint8Array>();
  const boxes: PhantomBox[] = [];
  const ctx: DrawContext = {
    spec, S, G: thoraxGeometry(spec),
    att: new Float32Array(N), ...buf,
    masks: withMasks ? masks : null, boxes, airScale: 1, vesselScale: 1,
    mask(name) {
      if (!withMasks) return undefined;
      let m = masks.get(name);
      if (!m) { m = new Uint8Array(N); masks.set(name, m); }
      return m;
    },
    addBox(label, b, pad = 0) {
      const pb = toPhantomBox(label, b, S, pad);
      if (pb) boxes.push(pb);
    },
  };
  drawBody(ctx);
  drawLungs(ctx);
  drawHeartAndMediastinum(ctx);
  drawThoracicSpine(ctx);
  drawRibs(ctx);
  drawShoulderGirdle(ctx);
  drawDiaphragm(ctx);
  drawVessels(ctx);
  drawFindings(ctx);
  drawDevices(ctx);
  const braceBox = spec.brace ? toPhantomBox('brace', drawBrace(ctx), S, 1) : null;

  // compose: lung air minus what fluid/consolidation replaced, vessels inside aerated lung, free pleural air
  const { att, lungT, opac, vessel, ptx } = ctx;
  const air = AIR * ctx.airScale, vs = ctx.vesselScale;
  // parenchymal texture: a smooth random field (9×9 control grid, bilinear) modulating lung air by ±~8 %
  const G = 9;
  const trng = createRng((spec.seed ^ 0x7e57) >>> 0);
  const grid = new Float32Array(G * G);
  for (let k = 0; k < grid.length; k++) grid[k] = 0.08 * trng.normal();
  const cell = (G - 1) / S;
  for (let y = 0; y < S; y++) {
    const gy = (y + 0.5) * cell, iy = Math.min(G - 2, gy | 0), fy = gy - iy;
    for (let x = 0, i = y * S; x < S; x++, i++) {
      const lt = lungT[i];
      if (lt === 0 && ptx[i] === 0) continue;
      const gx = (x + 0.5) * cell, ix = Math.min(G - 2, gx | 0), fx = gx - ix;
      const g0 = iy * G + ix;
      const tex = (1 - fy) * ((1 - fx) * grid[g0] + fx * grid[g0 + 1]) + fy * ((1 - fx) * grid[g0 + G] + fx * grid[g0 + G + 1]);
      const keep = 1 - opac[i];
      att[i] += -air * lt * keep * (1 + tex) + vessel[i] * vs * keep * (1 - ptx[i]) * Math.min(1, lt * 3) - PTX_AIR * ptx[i];
    }
  }
  const data = acquire(att, S, spec.acquisition, rng, ctx.scratch);
  return { data, masks, boxes, braceBox };
}
