/**
 * Colour maps for heat maps and mask palettes.
 * `turbo`: Google's Turbo colormap, polynomial approximation (A. Mikhailov, 2019, "Turbo, An Improved Rainbow
 * Colormap for Visualization", Google AI blog; the published 6th-order fit). `inferno`-like maps can be added here.
 */
export type Rgb = [number, number, number];

function clamp01(x: number): number { return x < 0 ? 0 : x > 1 ? 1 : x; }

/** Turbo colour of t ∈ [0, 1] as 0..255 integers. NaN maps to t = 0. */
export function turbo(t: number): Rgb {
  const x = clamp01(Number.isNaN(t) ? 0 : t);
  const x2 = x * x, x3 = x2 * x, x4 = x3 * x, x5 = x4 * x;
  const r = 0.13572138 + 4.6153926 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5;
  const g = 0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5;
  const b = 0.1066733 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5;
  return [Math.round(255 * clamp01(r)), Math.round(255 * clamp01(g)), Math.round(255 * clamp01(b))];
}

/** Okabe–Ito colour-blind-safe palette (same order as lib/figures), for masks and boxes. */
export const CATEGORY_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** '#rrggbb' → [r, g, b]; throws naming the value otherwise. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`invalid colour: ${hex} (expected #rrggbb)`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}
