/**
 * Test stand-in for a dataset: a SampleTable (labels named like device positions, a 3-class column, sex, age bin,
 * population, boxes on the planted patch) and its FeatureSets per split, from test/adapters/planted.
 */
import * as aq from 'arquero';
import type { Box, SampleTable, Split } from '../../lib/data/types';
import { createRng } from '../../lib/engine/rng';
import { FeatureSet, selectRows } from '../../lib/features/feature-set';
import { planted } from '../adapters/planted';

export const LABELS = ['ETT - Normal', 'ETT - Borderline', 'ETT - Abnormal'];
export const PATCH_PX = 8;

export function plantedDataset(n: number, seed = 1): { samples: SampleTable; features: Record<Split, FeatureSet> } {
  const p = planted(n, { seed, strength: 4 });
  const rng = createRng(seed + 100);
  const side = p.fs.gridW;
  const split: Split[] = p.fs.ids.map((_, i) => (i % 5 < 3 ? 'train' : i % 5 === 3 ? 'val' : 'test'));
  const cols: Record<string, unknown[]> = {
    id: p.fs.ids, path: p.fs.ids.map(() => null), patient: p.fs.ids, split,
    sex: p.fs.ids.map(() => (rng.uniform() < 0.5 ? 'F' : 'M')),
    age_bin: p.fs.ids.map(() => ['Young', 'Middle', 'Elder'][rng.int(3)]),
    population: p.fs.ids.map((_, i) => (i % 2 ? 'P1' : 'P2')),
    width: p.fs.ids.map(() => side * PATCH_PX), height: p.fs.ids.map(() => side * PATCH_PX),
    class: Array.from(p.classes),
  };
  LABELS.forEach((name, k) => { cols[name] = p.fs.ids.map((_, i) => p.labels[i * 3 + k]); });
  const boxes: Box[] = [];
  p.fs.ids.forEach((id, i) => LABELS.forEach((label, k) => {
    const w = p.where[i * 3 + k];
    if (w >= 0) boxes.push({ id, label, x: (w % side) * PATCH_PX + 1, y: Math.floor(w / side) * PATCH_PX + 1, w: PATCH_PX, h: PATCH_PX });
  }));
  const samples: SampleTable = {
    dataset: 'planted', table: aq.table(cols), labelNames: LABELS, classNames: ['Normal', 'Pneumonia', 'COVID-19'], boxes, problems: [],
    async loadImage() { throw new Error('planted: features only'); },
  };
  const rowsOf = (s: Split) => split.map((x, i) => (x === s ? i : -1)).filter((i) => i >= 0);
  const features = Object.fromEntries((['train', 'val', 'test'] as Split[]).map((s) => [s, selectRows(p.fs, rowsOf(s), s)])) as Record<Split, FeatureSet>;
  return { samples, features };
}
