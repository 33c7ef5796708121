/**
 * The multi-label frozen-evaluation loop shared by classification, long-tail and catheter protocols: per seed, train the
 * grid on train, select on validation, score test with the selected config, turn the test scores into rows.
 */
import { columnsOf, SelectionMetric } from '../../adapters/grid/selection-metric';
import { bootstrapCI } from '../../stats';
import type { Split } from '../../data/types';
import type { ProtocolInput, ProtocolResult, Predictions } from '../protocol';
import { resolveFeatures, seedsOf } from '../protocol';
import { fitAndSelect } from './run';
import { labelMatrix } from '../labels';
import { ResultRow, rowMaker, toResultTable } from '../result-table';

export interface MultiLabelSpec {
  task: string;
  selection: SelectionMetric;
  labels: string[];
  /** Test rows from column-major labels Y[c][i] / scores S[c][i]; `train` = the training labels [N, C]. */
  metrics(Y: Float64Array[], S: Float64Array[], ctx: { train: Float32Array; nTrain: number }): { group: string; metric: string; value: number; split?: string }[];
  /** Metric whose macro value gets a bootstrap CI (rows `<metric>_ci_lo` / `_ci_hi`, group 'macro'). */
  ci?: { metric: string; fn: (Y: Float64Array[], S: Float64Array[]) => number };
}

export async function multiLabelProtocol(input: ProtocolInput, spec: MultiLabelSpec): Promise<ProtocolResult> {
  const splits: Split[] = ['train', 'val', 'test'];
  const feats = await resolveFeatures(input, splits);
  const c = spec.labels.length;
  if (c === 0) throw new Error(`${spec.task}: no labels to evaluate`);
  const lab = Object.fromEntries(splits.map((s) => [s, labelMatrix(input.samples, feats[s].ids, spec.labels)])) as Record<Split, Float32Array>;
  const row = rowMaker({ model: input.model, task: input.task ?? spec.task, dataset: input.samples.dataset });
  const rows: ResultRow[] = [];
  const predictions: Predictions[] = [];
  for (const seed of seedsOf(input)) {
    const sel = await fitAndSelect({ features: feats.train, labels: lab.train }, { features: feats.val, labels: lab.val },
      { task: 'multilabel', classes: c, selection: spec.selection, seed, head: input.head });
    let scores: Float32Array;
    try {
      scores = (await sel.grid.predict(feats.test, [sel.best]))[sel.best];
    } finally {
      await sel.grid.dispose();
    }
    const config = sel.bestName;
    rows.push(row({ split: 'val', seed, group: 'macro', metric: spec.selection, value: sel.valScores[sel.best], config }));
    const n = feats.test.n;
    const Y = columnsOf(lab.test, n, c);
    const S = columnsOf(scores, n, c);
    for (const m of spec.metrics(Y, S, { train: lab.train, nTrain: feats.train.n })) rows.push(row({ split: 'test', seed, config, ...m }));
    if (spec.ci && input.bootstrap !== false) {
      const b = input.bootstrap || {};
      const ci = bootstrapCI((y: Float64Array[], s: Float64Array[]) => spec.ci!.fn(y, s), [Y, S], { n: b.n ?? 200, seed: (b.seed ?? 0) + seed });
      rows.push(row({ split: 'test', seed, group: 'macro', metric: `${spec.ci.metric}_ci_lo`, value: ci.lo, config }));
      rows.push(row({ split: 'test', seed, group: 'macro', metric: `${spec.ci.metric}_ci_hi`, value: ci.hi, config }));
    }
    predictions.push({ seed, fold: 0, config, split: 'test', group: '', ids: feats.test.ids, classNames: spec.labels, scores, labels: lab.test });
  }
  return { table: toResultTable(rows), predictions, extras: {} };
}
