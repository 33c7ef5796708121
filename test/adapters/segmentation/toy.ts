/**
 * A toy segmentation problem whose tokens encode the mask: K overlapping patch-aligned rectangles per image; at each
 * patch the first K token channels hold the class coverage (0/1) plus noise, the rest is noise. Every level gets its
 * own noise. A head that works must reach mDice ≈ 1.
 */
import { createRng } from '../../../lib/engine/rng';
import type { SampleMasks, SegTokens } from '../../../lib/adapters/segmentation/seg-data';

export interface Toy { tokens: SegTokens; samples: SampleMasks[] }

export function makeToy(n: number, seed: number, opts = { grid: 8, patch: 4, dim: 8, classes: 3, levels: 4, noise: 0.1 }): Toy {
  const { grid, patch, dim, classes, levels, noise } = opts;
  const rng = createRng(seed);
  const size = grid * patch;
  const t = grid * grid;
  const tokenLevels = Array.from({ length: levels }, () => new Float32Array(n * t * dim));
  const samples: SampleMasks[] = [];
  for (let i = 0; i < n; i++) {
    const masks: Uint8Array[] = [];
    const cover: Uint8Array[] = [];
    for (let c = 0; c < classes; c++) {
      // a rectangle of 2..5 patches per side; class 2 sits inside class 0 (overlap, as ribs over lungs)
      let [r0, c0, h, w] = [rng.int(grid - 2), rng.int(grid - 2), 2 + rng.int(4), 2 + rng.int(4)];
      if (c === 2) { const p = cover[0]; let k = p.indexOf(1); r0 = Math.floor(k / grid); c0 = k % grid; h = 1 + rng.int(2); w = 1 + rng.int(2); }
      const cv = new Uint8Array(t);
      for (let y = r0; y < Math.min(grid, r0 + h); y++) for (let x = c0; x < Math.min(grid, c0 + w); x++) cv[y * grid + x] = 1;
      cover.push(cv);
      const m = new Uint8Array(size * size);
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) m[y * size + x] = cv[Math.floor(y / patch) * grid + Math.floor(x / patch)];
      masks.push(m);
    }
    samples.push({ width: size, height: size, masks });
    for (const lv of tokenLevels) {
      for (let p = 0; p < t; p++) {
        for (let d = 0; d < dim; d++) {
          const signal = d < classes ? cover[d][p] : 0;
          lv[(i * t + p) * dim + d] = signal + noise * rng.normal();
        }
      }
    }
  }
  return { tokens: { n, gridH: grid, gridW: grid, dim, levels: tokenLevels }, samples };
}
