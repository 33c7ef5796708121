/**
 * Cobb-angle regression protocol (paper Fig. 3e / S3, AASCE): train the attentive-pooling regression head
 * (lib/adapters/regression) on frozen patch tokens for each lr of a small grid and each seed, keep the lr with the best
 * validation Pearson (mean over angles), and score the test split: Pearson r and r² per angle, AASCE SMAPE (%) over
 * all angles. Returns test predictions (for scatter plots) and the attention maps of a few test samples.
 *
 * @example
 * const { table, extras: { scatter, attention } } = await evalRegression({
 *   model: 'vit_tiny', samples: spineTable, features: { train, val, test }, seeds: [0], lrs: REG_LR_GRID_QUICK });
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import type { SampleTable } from '../../data/types';
import { pearson, r2 } from '../../stats';
import { REG_LR_GRID } from '../../config/lr-grids';
import { predictCobb, trainCobbHead } from '../../adapters/regression/reg-trainer';
import { aasceSmape } from '../../adapters/regression/smape-loss';
import { lrConfigName, lrGridFields, selectLearningRate } from './lr-grid';
import { ProtocolInput, ProtocolResult, splitFeatures } from '../protocol';
import { ResultRow, rowMaker, toResultTable } from '../result-table';

/** Regression targets by sample id. */
export interface TargetSource {
  names: string[];
  /** Values in `names` order. */
  get(id: string): number[];
}

/** Targets from a SampleTable's numeric columns (default: its `targetNames`, e.g. cobb_pt, cobb_mt, cobb_tl). */
export function targetSourceFromSampleTable(st: SampleTable, names?: string[]): TargetSource {
  const cols = names ?? st.targetNames;
  if (!cols?.length) throw new Error(`targetSourceFromSampleTable: dataset ${st.dataset} has no targetNames`);
  const have = st.table.columnNames();
  for (const c of cols) if (!have.includes(c)) throw new Error(`targetSourceFromSampleTable: dataset ${st.dataset} has no column ${c}`);
  const ids = st.table.array('id') as string[];
  const arrays = cols.map((c) => st.table.array(c) as ArrayLike<number | null>);
  const row = new Map(ids.map((id, i) => [id, i]));
  return {
    names: cols.slice(),
    get(id) {
      const r = row.get(id);
      if (r === undefined) throw new Error(`targets: sample ${id} is not in dataset ${st.dataset}`);
      return arrays.map((a, j) => {
        const v = a[r];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`targets: ${st.dataset} row ${r} (id ${id}) field ${cols[j]} is ${v}`);
        return v;
      });
    },
  };
}

export const EvalRegressionSchema = z.object({
  ...lrGridFields({ task: 'cobb', lrs: REG_LR_GRID, epochs: 50, batchSize: 32 }),
  heads: z.number().int().min(1).default(4),
  valueDim: z.number().int().min(1).default(32),
  /** Test samples whose attention maps [heads, T] are returned. */
  attentionSamples: z.number().int().min(0).default(4),
}).strict();
export type EvalRegressionConfig = z.input<typeof EvalRegressionSchema>;

/**
 * The protocol's input: ProtocolInput (`samples` = the dataset: its target columns, the `dataset` column, features
 * extracted from it when not given; `head`, `labels`, `bootstrap` ignored) & the lr grid and head fields of
 * EvalRegressionSchema.
 */
export type EvalRegressionInput = ProtocolInput & EvalRegressionConfig & {
  /** Targets to learn instead of `samples`' columns (targetSourceFromSampleTable(samples, targetNames)). */
  targets?: TargetSource;
  /** Target columns of `samples` (default its targetNames); not with `targets`, which names its own. */
  targetNames?: string[];
  onProgress?: (message: string) => void;
};

export interface RegAttention { id: string; seed: number; heads: number; gridH: number; gridW: number; attention: Float32Array }

/**
 * What only regression returns. Its ResultTable: group (angle | 'all'), metric ('pearson' | 'r2' | 'smape'),
 * config ('lr=…'); `predictions` is empty (the test predictions are the `scatter` table).
 */
export interface RegressionExtras {
  /** Lr grid per seed: seed, lr, val_pearson (mean over angles), train_loss, seconds, selected. */
  selection: ColumnTable;
  /** Test predictions for scatter plots: model, dataset, seed, id, group (angle), truth, pred. */
  scatter: ColumnTable;
  attention: RegAttention[];
  config: z.output<typeof EvalRegressionSchema> & { targetNames: string[] };
}
export type EvalRegressionResult = ProtocolResult<RegressionExtras>;

function targetsOf(src: TargetSource, ids: string[]): Float32Array {
  const j = src.names.length;
  const y = new Float32Array(ids.length * j);
  ids.forEach((id, i) => {
    const v = src.get(id);
    if (v.length !== j) throw new Error(`targets: sample ${id} has ${v.length} values, expected ${j}`);
    y.set(v, i * j);
  });
  return y;
}

function column(a: Float32Array, j: number, outputs: number): number[] {
  return Array.from({ length: a.length / outputs }, (_, i) => a[i * outputs + j]);
}

/** Pearson r, NaN where undefined (constant predictions). */
function safePearson(x: number[], y: number[]): number {
  try { return pearson(x, y).r; } catch { return NaN; }
}

/** Runs the protocol; see the module doc. */
export async function evalRegression(input: EvalRegressionInput): Promise<EvalRegressionResult> {
  const {
    samples, features: given, encoder, cacheDir, extractBatchSize, datasetKey, head: _head, labels: _labels, bootstrap: _bootstrap,
    targets, targetNames, onProgress, ...rest
  } = input;
  const parsed = EvalRegressionSchema.safeParse(rest);
  if (!parsed.success) throw new Error(`evalRegression: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const cfg = parsed.data;
  const log = onProgress ?? (() => undefined);
  if (targets && targetNames) throw new Error('evalRegression: `targetNames` only selects columns of `samples`; a TargetSource given as `targets` names its own');
  const src = targets ?? targetSourceFromSampleTable(samples, targetNames);
  const names = src.names;
  const j = names.length;
  const features = await splitFeatures({ features: given, encoder, cacheDir, extractBatchSize, datasetKey },
    samples, ['train', 'val', 'test'], { where: 'evalRegression' });
  const dataset = samples.dataset;
  const y = { train: targetsOf(src, features.train.ids), val: targetsOf(src, features.val.ids), test: targetsOf(src, features.test.ids) };
  const meanPearson = (pred: Float32Array, truth: Float32Array): number =>
    names.reduce((s, _, k) => s + safePearson(column(pred, k, j), column(truth, k, j)), 0) / j;

  const { best, selection } = selectLearningRate({
    seeds: cfg.seeds, lrs: cfg.lrs, metric: 'pearson', label: 'Pearson', protocol: 'regression', log,
    train: (lr, seed) => trainCobbHead(features.train, y.train, j, {
      lr, seed, epochs: cfg.epochs, batchSize: cfg.batchSize, heads: cfg.heads, valueDim: cfg.valueDim,
      weightDecay: cfg.weightDecay, warmupFrac: cfg.warmupFrac,
    }),
    score: (head) => meanPearson(predictCobb(head, features.val).pred, y.val),
  });

  const rows: ResultRow[] = [];
  const row = rowMaker({ model: cfg.model, task: cfg.task, dataset });
  const preds: Record<string, unknown>[] = [];
  const attention: RegAttention[] = [];
  const test = features.test;
  const t = test.gridH * test.gridW;
  for (const b of best) {
    const out = predictCobb(b.head, test);
    b.head.dispose();
    const base = { split: 'test', seed: b.seed, config: lrConfigName(b.lr) };
    names.forEach((name, k) => {
      const p = column(out.pred, k, j);
      const tr = column(y.test, k, j);
      rows.push(row({ ...base, group: name, metric: 'pearson', value: safePearson(p, tr) }));
      rows.push(row({ ...base, group: name, metric: 'r2', value: r2(tr, p) }));
    });
    rows.push(row({ ...base, group: 'all', metric: 'smape', value: aasceSmape(out.pred, y.test, j) }));
    test.ids.forEach((id, i) => names.forEach((name, k) => preds.push({
      model: cfg.model, dataset, seed: b.seed, id, group: name, truth: y.test[i * j + k], pred: out.pred[i * j + k],
    })));
    const h = cfg.heads;
    for (let i = 0; i < Math.min(cfg.attentionSamples, test.n); i++) {
      attention.push({ id: test.ids[i], seed: b.seed, heads: h, gridH: test.gridH, gridW: test.gridW, attention: out.attention.slice(i * h * t, (i + 1) * h * t) });
    }
  }
  return {
    table: toResultTable(rows),
    predictions: [],
    extras: { selection, scatter: aq.from(preds), attention, config: { ...cfg, targetNames: names.slice() } },
  };
}
