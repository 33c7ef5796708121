/**
 * Polygon rasterisation (even-odd rule, pixel centres): pixel (x, y) is inside when its centre (x + 0.5, y + 0.5)
 * is inside the polygon. Used for VinDr-RibCXR rib outlines and line annotations.
 */
export interface Point { x: number; y: number }

/** Fill `points` into a row-major width×height mask (values set to `value`); returns the mask. */
export function fillPolygon(points: readonly Point[], width: number, height: number, into?: Uint8Array, value = 1): Uint8Array {
  const mask = into ?? new Uint8Array(width * height);
  const n = points.length;
  if (n < 3) return mask;
  let minY = Infinity, maxY = -Infinity;
  for (const p of points) { if (p.y < minY) minY = p.y; if (p.y > maxY) maxY = p.y; }
  const y0 = Math.max(0, Math.floor(minY - 0.5)), y1 = Math.min(height - 1, Math.ceil(maxY));
  const xs: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = points[i], b = points[j];
      // half-open rule on y avoids double-counting vertices
      if ((a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy)) xs.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // pixels whose centre lies in [xs[k], xs[k+1])
      const xa = Math.max(0, Math.ceil(xs[k] - 0.5)), xb = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      for (let x = xa; x <= xb; x++) mask[y * width + x] = value;
    }
  }
  return mask;
}
