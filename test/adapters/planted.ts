/**
 * Test fixture: patch tokens with planted class signals. Each sample has T noise tokens; for every positive class c a
 * fixed direction u_c is added to one random token (its index recorded in `where`), so a head that attends to the right
 * token separates the class. CLS = mean token + noise.
 */
import { createRng } from '../../lib/engine/rng';
import type { FeatureSet } from '../../lib/features/feature-set';

export interface Planted {
  fs: FeatureSet;
  labels: Float32Array; // [N, C]
  classes: Int32Array;  // [N] first positive class (multiclass view)
  where: Int32Array;    // [N, C] token index of the planted signal, -1 when negative
}

export function planted(n: number, opts: { d?: number; side?: number; c?: number; seed?: number; strength?: number; prevalence?: number } = {}): Planted {
  const d = opts.d ?? 16, side = opts.side ?? 3, c = opts.c ?? 3, t = side * side, strength = opts.strength ?? 3;
  const rng = createRng(opts.seed ?? 1);
  const dirRng = createRng(12345); // class directions shared by every split
  const dirs = Array.from({ length: c }, () => { const u = Float32Array.from({ length: d }, () => dirRng.normal()); const norm = Math.hypot(...u); return u.map((v) => v / norm); });
  const patches = new Float32Array(n * t * d);
  const cls = new Float32Array(n * d);
  const labels = new Float32Array(n * c);
  const classes = new Int32Array(n);
  const where = new Int32Array(n * c).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < t * d; j++) patches[i * t * d + j] = rng.normal();
    const k = rng.int(c);
    classes[i] = k;
    for (let j = 0; j < c; j++) {
      const pos = j === k || rng.uniform() < (opts.prevalence ?? 0.2);
      labels[i * c + j] = pos ? 1 : 0;
      if (!pos) continue;
      const p = rng.int(t);
      where[i * c + j] = p;
      for (let q = 0; q < d; q++) patches[(i * t + p) * d + q] += strength * dirs[j][q];
    }
    for (let q = 0; q < d; q++) {
      let s = 0;
      for (let p = 0; p < t; p++) s += patches[(i * t + p) * d + q];
      cls[i * d + q] = s / t + 0.5 * rng.normal();
    }
  }
  const fs: FeatureSet = { key: '', encoder: 'planted', dataset: 'planted', split: 'train', ids: Array.from({ length: n }, (_, i) => `s${i}`), n, dim: d, gridH: side, gridW: side, cls, patches };
  return { fs, labels, classes, where };
}
