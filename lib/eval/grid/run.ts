/**
 * The paper's frozen-evaluation step shared by every protocol: train the head grid on train features, score every
 * config on validation, keep the best (selection metric), and hand back the trained grid to score test sets.
 */
import { HeadGrid, GridTask } from '../../adapters/grid/head-grid';
import { configName, GridConfig } from '../../adapters/grid/config';
import { selectionScore, SelectionMetric } from '../../adapters/grid/selection-metric';
import type { FeatureSet } from '../../features/feature-set';
import type { HeadOptions } from '../protocol';

export interface LabeledFeatures {
  features: FeatureSet;
  /** [N, C] 1/0/NaN (multilabel) or class indices [N] (multiclass). */
  labels: Float32Array | Int32Array;
}

export interface SelectedGrid {
  grid: HeadGrid;
  /** Validation metric of every config (NaN where undefined). */
  valScores: number[];
  best: number;
  bestName: string;
}

/**
 * Trains one grid (one seed) and selects the best config on validation. `allow` restricts the selection (e.g. to
 * attentive configs for explainability). The caller disposes `grid`.
 */
export async function fitAndSelect(train: LabeledFeatures, val: LabeledFeatures, o: {
  task: GridTask; classes: number; selection: SelectionMetric; seed: number; head?: HeadOptions; allow?: (config: GridConfig, i: number) => boolean;
}): Promise<SelectedGrid> {
  const f = train.features;
  const grid = new HeadGrid({
    dim: f.dim, tokens: f.patches ? f.gridH * f.gridW : 0, classes: o.classes, task: o.task, seed: o.seed,
    grid: o.head?.grid ?? (f.patches ? {} : { poolings: ['avg'] }), configs: o.head?.configs,
    epochs: o.head?.epochs, batchSize: o.head?.batchSize, hidden: o.head?.hidden, engine: o.head?.engine, workers: o.head?.workers, centreKeys: o.head?.centreKeys,
  });
  try {
    await grid.fit(f, train.labels);
    const scores = await grid.predict(val.features);
    const valScores = scores.map((s) => selectionScore(o.selection, val.labels, s, val.features.n, o.classes));
    let best = -1;
    valScores.forEach((v, i) => {
      if (o.allow && !o.allow(grid.configs[i], i)) return;
      if (Number.isFinite(v) && (best < 0 || v > valScores[best])) best = i;
    });
    if (best < 0) throw new Error(`fitAndSelect: no allowed config has a defined validation ${o.selection} (does the validation split hold both labels of some class?)`);
    return { grid, valScores, best, bestName: configName(grid.configs[best]) };
  } catch (e) {
    await grid.dispose();
    throw e;
  }
}
