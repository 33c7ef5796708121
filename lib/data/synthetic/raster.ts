/**
 * Analytic rasterisation into a square attenuation buffer (row-major, pixel centres at (x + 0.5, y + 0.5)).
 * Every primitive visits only its bounding box and ADDS line integrals (projection-like): an ellipsoid adds
 * amount · sqrt(1 - r²), a tube adds a cortical profile, flat shapes add a constant with an anti-aliased rim.
 * Masks (optional) get 1 where the pixel centre lies inside the shape.
 */

export interface Box { x0: number; y0: number; x1: number; y1: number }

export const emptyBox = (): Box => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity });
export function growBox(b: Box, x0: number, y0: number, x1: number, y1: number): void {
  if (x0 < b.x0) b.x0 = x0; if (y0 < b.y0) b.y0 = y0; if (x1 > b.x1) b.x1 = x1; if (y1 > b.y1) b.y1 = y1;
}

/** Ellipse centred (cx, cy) with semi-axes a (along angle theta) and b, in pixels. */
export function fillEllipse(
  att: Float32Array | null, size: number, cx: number, cy: number, a: number, b: number, theta: number, amount: number,
  opts: { flat?: boolean; mask?: Uint8Array; maskValue?: number; clip?: Uint8Array } = {},
): void {
  const c = Math.cos(theta), s = Math.sin(theta);
  const hx = Math.sqrt(a * a * c * c + b * b * s * s), hy = Math.sqrt(a * a * s * s + b * b * c * c);
  const x0 = Math.max(0, Math.floor(cx - hx - 1)), x1 = Math.min(size - 1, Math.ceil(cx + hx + 1));
  const y0 = Math.max(0, Math.floor(cy - hy - 1)), y1 = Math.min(size - 1, Math.ceil(cy + hy + 1));
  const ia = 1 / a, ib = 1 / b, rim = Math.min(a, b);
  const mv = opts.maskValue ?? 1;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    let o = y * size + x0;
    for (let x = x0; x <= x1; x++, o++) {
      const dx = x + 0.5 - cx;
      const p = (dx * c + dy * s) * ia, q = (-dx * s + dy * c) * ib;
      const r2 = p * p + q * q;
      if (r2 >= 1 + 2 / rim) continue;
      if (opts.clip && !opts.clip[o]) continue;
      if (opts.mask && r2 < 1) opts.mask[o] = mv;
      if (!att) continue;
      if (opts.flat) {
        const cov = (1 - Math.sqrt(r2)) * rim + 0.5;
        att[o] += amount * (cov >= 1 ? 1 : cov <= 0 ? 0 : cov);
      } else if (r2 < 1) att[o] += amount * Math.sqrt(1 - r2);
    }
  }
}

/** Tube profile across a band, d in [-1, 1]: outer minus inner cylinder chord (bright cortex, dimmer marrow). */
export function tubeProfile(d: number): number {
  const o = 1 - d * d;
  if (o <= 0) return 0;
  const i = 0.55 - d * d;
  return Math.sqrt(o) - (i > 0 ? 0.75 * Math.sqrt(i) : 0);
}

/**
 * A band around the graph y = yc(x) for x in [xa, xb] (pixels), vertical half-thickness corrected for slope.
 * `skip(x)` leaves gaps (rib fractures); `offset(x)` shifts fragments.
 */
export function fillBandY(
  att: Float32Array | null, size: number, xa: number, xb: number, yc: (x: number) => number, halfThick: number, amount: number,
  opts: { mask?: Uint8Array; skip?: (x: number) => boolean; offset?: (x: number) => number; box?: Box; taper?: number } = {},
): void {
  const lo = Math.max(0, Math.floor(Math.min(xa, xb))), hi = Math.min(size - 1, Math.ceil(Math.max(xa, xb)));
  const span = Math.max(1e-6, Math.abs(xb - xa));
  for (let x = lo; x <= hi; x++) {
    const xc = x + 0.5;
    if (xc < Math.min(xa, xb) || xc > Math.max(xa, xb)) continue;
    if (opts.skip && opts.skip(xc)) continue;
    const off = opts.offset ? opts.offset(xc) : 0;
    const y = yc(xc) + off;
    const slope = (yc(xc + 0.5) - yc(xc - 0.5));
    // taper: thinner towards xb (anterior rib ends)
    const t = opts.taper ? 1 - opts.taper * (Math.abs(xc - xa) / span) : 1;
    const ht = halfThick * t * Math.sqrt(1 + slope * slope);
    const ya = Math.max(0, Math.floor(y - ht)), yb = Math.min(size - 1, Math.ceil(y + ht));
    for (let yy = ya; yy <= yb; yy++) {
      const d = (yy + 0.5 - y) / ht;
      if (d <= -1 || d >= 1) continue;
      const o = yy * size + x;
      if (att) att[o] += amount * tubeProfile(d);
      if (opts.mask) opts.mask[o] = 1;
    }
    if (opts.box) growBox(opts.box, x, y - ht, x + 1, y + ht);
  }
}

/** Distance-based stroke of a polyline (pixels) with max-compositing inside the stroke, then added to att. */
export function strokePolyline(
  att: Float32Array, size: number, pts: readonly number[], width: number, amount: number, scratch: Float32Array,
  opts: { box?: Box; mask?: Uint8Array; profile?: 'tube' | 'flat' } = {},
): void {
  const hw = width / 2;
  let bx0 = size, by0 = size, bx1 = -1, by1 = -1;
  for (let k = 0; k + 3 < pts.length; k += 2) {
    const ax = pts[k], ay = pts[k + 1], bx = pts[k + 2], by = pts[k + 3];
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - hw - 1)), x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + hw + 1));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - hw - 1)), y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + hw + 1));
    if (x0 > x1 || y0 > y1) continue;
    if (x0 < bx0) bx0 = x0; if (y0 < by0) by0 = y0; if (x1 > bx1) bx1 = x1; if (y1 > by1) by1 = y1;
    const vx = bx - ax, vy = by - ay, l2 = vx * vx + vy * vy || 1e-9;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5 - ay;
      let o = y * size + x0;
      for (let x = x0; x <= x1; x++, o++) {
        const px = x + 0.5 - ax;
        let t = (px * vx + py * vy) / l2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const dx = px - t * vx, dy = py - t * vy;
        const d = Math.sqrt(dx * dx + dy * dy) / hw;
        // soft-edged (≥ 1 px) so thin lines stay visible and anti-aliased
        const edge = Math.max(1, hw);
        let v: number;
        if (opts.profile === 'tube') v = d < 1 ? tubeProfile(d) * 0.7 + 0.3 : Math.max(0, 1 - (d - 1) * hw / 0.75) * 0.3;
        else v = Math.min(1, Math.max(0, (1 - d) * edge + 0.5));
        if (v > scratch[o]) scratch[o] = v;
      }
    }
  }
  if (bx1 < 0) return;
  for (let y = by0; y <= by1; y++) {
    let o = y * size + bx0;
    for (let x = bx0; x <= bx1; x++, o++) {
      const v = scratch[o];
      if (v > 0) {
        att[o] += amount * v;
        if (opts.mask && v > 0.5) opts.mask[o] = 1;
        scratch[o] = 0;
        if (opts.box) growBox(opts.box, x, y, x + 1, y + 1);
      }
    }
  }
}

/** Convex polygon fill (pixel-centre rule) with a constant; returns nothing. pts = [x0, y0, x1, y1, ...]. */
export function fillConvexPolygon(att: Float32Array | null, size: number, pts: readonly number[], amount: number, mask?: Uint8Array, maskValue = 1): void {
  let ymin = Infinity, ymax = -Infinity;
  const n = pts.length / 2;
  for (let i = 0; i < n; i++) { ymin = Math.min(ymin, pts[2 * i + 1]); ymax = Math.max(ymax, pts[2 * i + 1]); }
  const y0 = Math.max(0, Math.floor(ymin)), y1 = Math.min(size - 1, Math.ceil(ymax));
  for (let y = y0; y <= y1; y++) {
    const yc = y + 0.5;
    let xl = Infinity, xr = -Infinity;
    for (let i = 0; i < n; i++) {
      const ax = pts[2 * i], ay = pts[2 * i + 1];
      const bx = pts[(2 * i + 2) % (2 * n)], by = pts[(2 * i + 3) % (2 * n)];
      if ((ay <= yc && by > yc) || (by <= yc && ay > yc)) {
        const x = ax + ((yc - ay) / (by - ay)) * (bx - ax);
        if (x < xl) xl = x; if (x > xr) xr = x;
      }
    }
    if (!(xr > xl)) continue;
    const xa = Math.max(0, Math.ceil(xl - 0.5)), xb = Math.min(size - 1, Math.floor(xr - 0.5));
    for (let x = xa; x <= xb; x++) {
      const o = y * size + x;
      if (att) att[o] += amount;
      if (mask) mask[o] = maskValue;
    }
    // anti-aliased ends
    if (att) {
      const fl = Math.ceil(xl - 0.5) - (xl - 0.5), fr = (xr - 0.5) - Math.floor(xr - 0.5);
      if (xa - 1 >= 0 && fl > 0) att[y * size + xa - 1] += amount * Math.min(1, fl);
      if (xb + 1 < size && fr > 0) att[y * size + xb + 1] += amount * Math.min(1, fr);
    }
  }
}

/** In-place separable [1, 2, 1] / 4 blur, `passes` times. */
export function blur121(img: Float32Array, size: number, passes: number, tmp: Float32Array): void {
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < size; y++) {
      const r = y * size;
      tmp[r] = 0.25 * (3 * img[r] + img[r + 1]);
      let a = img[r], b = img[r + 1];
      for (let x = 1; x < size - 1; x++) {
        const c = img[r + x + 1];
        tmp[r + x] = 0.25 * (a + 2 * b + c);
        a = b; b = c;
      }
      tmp[r + size - 1] = 0.25 * (img[r + size - 2] + 3 * img[r + size - 1]);
    }
    for (let x = 0; x < size; x++) img[x] = 0.25 * (3 * tmp[x] + tmp[size + x]);
    for (let y = 1; y < size - 1; y++) {
      const r = y * size;
      for (let x = 0; x < size; x++) img[r + x] = 0.25 * (tmp[r - size + x] + 2 * tmp[r + x] + tmp[r + size + x]);
    }
    const l = (size - 1) * size;
    for (let x = 0; x < size; x++) img[l + x] = 0.25 * (tmp[l - size + x] + 3 * tmp[l + x]);
  }
}

/** Bilinear splat of `amount` at (x, y): anti-aliased stamps for thin vessels. */
export function splat(buf: Float32Array, size: number, x: number, y: number, amount: number): void {
  const fx = x - 0.5, fy = y - 0.5;
  const ix = Math.floor(fx), iy = Math.floor(fy);
  if (ix < 0 || iy < 0 || ix >= size - 1 || iy >= size - 1) return;
  const ax = fx - ix, ay = fy - iy;
  const o = iy * size + ix;
  buf[o] += amount * (1 - ax) * (1 - ay);
  buf[o + 1] += amount * ax * (1 - ay);
  buf[o + size] += amount * (1 - ax) * ay;
  buf[o + size + 1] += amount * ax * ay;
}
