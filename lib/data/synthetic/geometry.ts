/**
 * Resolved thoracic geometry of one study (fractions of the image side): lung borders as functions of v, the
 * hemidiaphragm domes as functions of u, the heart ellipse, carina, rib and clavicle curves. Findings that change
 * anatomy (emphysema, cardiomegaly) and the AP projection act here, so every drawer sees the same thorax.
 */
import type { PhantomSpec, Side } from './spec';
import { AP_HEART_MAGNIFICATION } from './guideline';

export const sideSign = (side: Side): number => (side === 'right' ? -1 : 1); // patient right = image left

export interface HeartGeom { cx: number; cy: number; a: number; b: number; theta: number; halfW: number; halfH: number }

export interface RibGeom {
  name: string; side: Side; k: number;
  /** Posterior arc: medial x, lateral x, y at medial end, hump and drop. */
  xm: number; xl: number; y0: number; hump: number; drop: number;
  /** Anterior arc: from the lateral end back to xa, descending by dA. */
  xa: number; dA: number;
  thick: number;
}

export interface ThoraxGeometry {
  cx: number; apex: number; tw: number; k: number;
  domeTop: Record<Side, number>;
  cp: Record<Side, number>;
  heart: HeartGeom;
  carina: [number, number];
  emphysema: number;
  lateral(v: number, side: Side): number;
  medial(v: number, side: Side): number;
  dome(u: number, side: Side): number;
  /** Lung-relative (tx medial→lateral, ty apex→costophrenic) to image fractions, kept above the dome. */
  lungPoint(side: Side, tx: number, ty: number): [number, number];
  ribs: RibGeom[];
  ribY(r: RibGeom, x: number): number;
  ribYAnterior(r: RibGeom, x: number): number;
  bodyHalf(v: number): number;
}

const smooth = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

export function thoraxGeometry(spec: PhantomSpec): ThoraxGeometry {
  const an = spec.patient.anatomy;
  const emph = spec.findings.find((f) => f.name === 'Emphysema')?.p.severity ?? 0;
  const cm = spec.findings.find((f) => f.name === 'Cardiomegaly');
  const ap = spec.view === 'AP';
  const cx = an.cx, apex = an.apex - (emph ? 0.01 * emph : 0), tw = an.thoraxHalf * (1 + 0.03 * emph);
  const k = tw / 0.36;
  const flat = 1 - 0.55 * emph;
  const domeR = an.dome + 0.05 * emph - (ap ? 0.015 : 0);
  const domeTop: Record<Side, number> = { right: domeR, left: domeR + an.domeLeftDelta };
  const cpDepth = an.cpDepth * flat;
  const cp: Record<Side, number> = { right: domeTop.right + cpDepth, left: domeTop.left + cpDepth };
  const apexOff = 0.12 * k;

  const tOf = (v: number, side: Side) => Math.min(1, Math.max(0, (v - apex) / (cp[side] - apex)));
  const lateral = (v: number, side: Side) => {
    const s = sideSign(side), t = tOf(v, side);
    const f = t < 0.5 ? Math.sqrt(1 - (1 - t / 0.5) ** 2) : 1 + 0.04 * (t - 0.5);
    return cx + s * apexOff + s * (tw - apexOff) * f;
  };
  const medHalf = (v: number, side: Side) => {
    let m = an.mediastinumHalf + 0.012 * tOf(v, side);
    if (side === 'left') m += an.aorticKnob * Math.exp(-0.5 * ((v - (apex + 0.15)) / 0.025) ** 2);
    return m;
  };
  const medial = (v: number, side: Side) => {
    const s = sideSign(side), t = tOf(v, side);
    const g = Math.sqrt(Math.min(1, t / 0.12));
    return cx + s * apexOff - s * (apexOff - medHalf(v, side)) * g;
  };
  const latCp: Record<Side, number> = { right: lateral(cp.right, 'right'), left: lateral(cp.left, 'left') };
  const dome = (u: number, side: Side) => {
    const s = sideSign(side);
    const ud = cx + s * 0.5 * tw;
    const rel = (u - ud) * s; // > 0 lateral
    if (rel >= 0) return domeTop[side] + cpDepth * (rel / Math.max(1e-3, (latCp[side] - ud) * s)) ** 2;
    return domeTop[side] + 0.45 * an.cpDepth * flat * (rel / (0.5 * tw)) ** 2;
  };

  // heart: horizontal half-width from the CTR (AP magnifies), resting on (and overlapping) the left dome
  const ctr = cm ? cm.p.ctr : an.ctr;
  const halfW = (ctr * 2 * tw * (ap ? AP_HEART_MAGNIFICATION : 1)) / 2;
  const th = an.heartTilt * (1 - 0.5 * emph), asp = an.heartAspect * (1 - 0.15 * emph);
  const a = halfW / Math.sqrt(Math.cos(th) ** 2 + asp * asp * Math.sin(th) ** 2);
  const b = a * asp;
  const halfH = Math.sqrt(a * a * Math.sin(th) ** 2 + b * b * Math.cos(th) ** 2);
  const heart: HeartGeom = { cx: cx + 0.4 * halfW, cy: domeTop.left + 0.045 - 0.85 * halfH, a, b, theta: th, halfW, halfH };
  const carina: [number, number] = [cx, apex + 0.2 * k];

  const lungPoint = (side: Side, tx: number, ty: number): [number, number] => {
    const v0 = apex + ty * (cp[side] - apex);
    const m = medial(v0, side), l = lateral(v0, side);
    const u = m + tx * (l - m);
    const v = Math.min(v0, dome(u, side) - 0.02);
    return [u, v];
  };

  // ribs: posterior arcs from the spine laterally (hump then drop), anterior arcs descending medially
  const ribs: RibGeom[] = [];
  for (const side of ['right', 'left'] as Side[]) {
    const s = sideSign(side);
    const spacing = (domeTop[side] + 0.4 * cpDepth - apex + 0.03) / 9.7;
    for (let i = 1; i <= 10; i++) {
      const jitter = an.ribJitter[(side === 'right' ? 0 : 10) + i - 1];
      const y0 = apex - 0.035 + (i - 1 + jitter) * spacing * (1 + 0.015 * (i - 1));
      const drop = 0.045 + 0.006 * i;
      const xm = cx + s * 0.028;
      const latAt = lateral(Math.max(apex + 0.01, y0 + drop), side);
      const xl = s > 0 ? Math.max(latAt + 0.015, cx + 0.1) : Math.min(latAt - 0.015, cx - 0.1);
      ribs.push({
        name: `${side === 'right' ? 'R' : 'L'}${i}`, side, k: i, xm, xl, y0, hump: 0.03 - 0.0012 * i, drop,
        xa: cx + s * (0.1 + 0.012 * i), dA: 0.07 + 0.004 * i, thick: 0.021 + 0.0006 * i,
      });
    }
  }
  const ribY = (r: RibGeom, x: number) => {
    const t = Math.min(1, Math.max(0, (x - r.xm) / (r.xl - r.xm)));
    return r.y0 - r.hump * Math.sin(Math.PI * Math.min(1, t * 1.6)) + r.drop * t * t * t;
  };
  const ribYAnterior = (r: RibGeom, x: number) => {
    const yEnd = ribY(r, r.xl);
    const t = Math.min(1, Math.max(0, (x - r.xl) / (r.xa - r.xl)));
    return yEnd + r.dA * Math.sin((t * Math.PI) / 2) * (0.6 + 0.4 * t);
  };
  const bodyHalf = (v: number) => {
    const shoulders = 0.1 + 0.42 * smooth(v / 0.16);
    return shoulders - 0.05 * smooth((v - 0.3) / 0.7);
  };

  return {
    cx, apex, tw, k, domeTop, cp, heart, carina, emphysema: emph, lateral, medial, dome, lungPoint, ribs, ribY, ribYAnterior, bodyHalf,
  };
}
