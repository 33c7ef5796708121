import * as assert from 'assert';
import * as aq from 'arquero';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { SampleTable } from '../../lib/data/types';
import { pearson, r2 } from '../../lib/stats';
import { aasceSmape } from '../../lib/adapters/regression/smape-loss';
import { evalRegression, targetSourceFromSampleTable } from '../../lib/eval/dense/regression';
import { useBackend } from '../adapters/segmentation/helpers';
import { linearProblem } from '../adapters/regression/linear-problem';

const NAMES = ['cobb_pt', 'cobb_mt', 'cobb_tl'];

function split(n: number, seed: number, name: string, prefix: string) {
  const p = linearProblem(n, seed);
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const fs: FeatureSet = { key: '', encoder: 'toy', dataset: 'spine', split: name, ids, n, dim: p.tokens.dim, gridH: p.tokens.gridH, gridW: p.tokens.gridW, cls: new Float32Array(n * p.tokens.dim), patches: p.tokens.patches };
  return { fs, y: p.y, ids };
}

describe('evalRegression', () => {
  before(useBackend);

  it('selects an lr on val Pearson, reports Pearson/r² per angle and AASCE SMAPE on test, predictions for scatter', async () => {
    const tr = split(192, 1, 'train', 'a');
    const va = split(48, 2, 'val', 'b');
    const te = split(48, 3, 'test', 'c');
    const all = [tr, va, te];
    const table = aq.table({
      id: all.flatMap((s) => s.ids),
      ...Object.fromEntries(NAMES.map((nm, k) => [nm, all.flatMap((s) => Array.from({ length: s.ids.length }, (_, i) => s.y[i * 3 + k]))])),
    });
    const st: SampleTable = { dataset: 'spine', table, labelNames: [], targetNames: NAMES, problems: [], loadImage: async () => { throw new Error('unused'); } };
    const before = tf.memory().numTensors;
    const out = await evalRegression({ model: 'toy-vit', samples: st, features: { train: tr.fs, val: va.fs, test: te.fs }, seeds: [0, 1], lrs: [1e-4, 1e-2], epochs: 30, attentionSamples: 2 });
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
    assert.deepStrictEqual(out.table.columnNames(), ['model', 'task', 'dataset', 'split', 'seed', 'fold', 'group', 'metric', 'value', 'config']);
    const rows = out.table.objects() as Record<string, any>[];
    assert.strictEqual(rows.length, 2 * (3 * 2 + 1));
    const sel = out.extras.selection.objects() as Record<string, any>[];
    assert.deepStrictEqual(sel.filter((s) => s.selected).map((s) => [s.seed, s.lr]), [[0, 1e-2], [1, 1e-2]]);
    for (const r of rows.filter((r) => r.metric === 'pearson')) assert.ok(r.value > 0.95, `${r.group} seed ${r.seed}: r = ${r.value}`);
    // the rows equal lib/stats on the returned predictions
    const preds = out.extras.scatter.objects() as Record<string, any>[];
    assert.strictEqual(preds.length, 2 * 48 * 3);
    const mt0 = preds.filter((p) => p.seed === 0 && p.group === 'cobb_mt');
    const truth = mt0.map((p) => p.truth);
    const pred = mt0.map((p) => p.pred);
    const row = (metric: string, group: string) => rows.find((r) => r.seed === 0 && r.metric === metric && r.group === group)!.value;
    assert.ok(Math.abs(row('pearson', 'cobb_mt') - pearson(pred, truth).r) < 1e-12);
    assert.ok(Math.abs(row('r2', 'cobb_mt') - r2(truth, pred)) < 1e-12);
    const s0 = preds.filter((p) => p.seed === 0);
    assert.ok(Math.abs(row('smape', 'all') - aasceSmape(s0.map((p) => p.pred), s0.map((p) => p.truth), 3)) < 1e-9);
    assert.strictEqual(out.extras.attention.length, 4);
    assert.strictEqual(out.extras.attention[0].attention.length, 4 * 16);
  });

  it('names missing target columns and bad values', async () => {
    const st: SampleTable = { dataset: 'spine', table: aq.table({ id: ['x', 'y'], cobb_pt: [10, NaN] }), labelNames: [], problems: [], loadImage: async () => { throw new Error('unused'); } };
    assert.throws(() => targetSourceFromSampleTable(st), /dataset spine has no targetNames/);
    assert.throws(() => targetSourceFromSampleTable(st, ['cobb_mt']), /has no column cobb_mt/);
    const src = targetSourceFromSampleTable(st, ['cobb_pt']);
    assert.deepStrictEqual(src.get('x'), [10]);
    assert.throws(() => src.get('y'), /spine row 1 \(id y\) field cobb_pt is NaN/);
    await assert.rejects(evalRegression({ model: 'm', samples: st, targets: src, targetNames: ['cobb_pt'] }), /`targetNames` only selects columns of `samples`/);
  });
});
