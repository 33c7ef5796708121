import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { Predictions } from '../../lib/eval/protocol';
import { confusionRows, rocRows } from '../../lib/analysis/roc-confusion';

const ref = require('../fixtures/study/generalization.json');
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('rocRows', () => {
  it('equals sklearn roc_curve of the class, first seed per test set', () => {
    const r = ref.roc;
    const p: Predictions = {
      seed: 0, fold: 0, config: '', split: 'test', group: 'covid-chestxray', ids: r.labels.map((_: number, i: number) => `x${i}`),
      classNames: ['Normal', 'Pneumonia', 'COVID-19'], scores: Float32Array.from(r.scores), labels: Int32Array.from(r.labels),
    };
    const rows = rocRows('enc', [p, { ...p, seed: 1 }], r.k);
    assert.equal(rows.length, r.fpr.length);
    rows.forEach((x, i) => { close(x.fpr as number, r.fpr[i], 1e-9); close(x.tpr as number, r.tpr[i], 1e-9); assert.equal(x.seed, 0); });
    const pos = (r.labels as number[]).filter((v) => v === r.k).length;
    assert.deepEqual([rows[0].positives, rows[0].negatives], [pos, r.labels.length - pos]);
  });
});

describe('confusionRows', () => {
  it('sums seeds and row-normalises like sklearn normalize="true"', () => {
    const c = ref.confusion;
    const rows: Record<string, unknown>[] = [];
    for (const s of c.seeds) c.names.forEach((t: string, i: number) => c.names.forEach((p: string, j: number) => rows.push({
      model: 'enc', task: 'x', dataset: 'covid-chestxray', split: 'test', seed: s.seed, fold: 0, group: `true=${t}|pred=${p}`, metric: 'count', value: s.matrix[i][j], config: '',
    })));
    rows.push({ model: 'enc', task: 'x', dataset: 'covid-chestxray', split: 'test', seed: 0, fold: 0, group: 'macro', metric: 'macro_accuracy', value: 0.5, config: '' });
    const out = confusionRows(aq.from(rows));
    assert.equal(out.length, 9);
    c.names.forEach((t: string, i: number) => c.names.forEach((p: string, j: number) => {
      const r = out.find((x) => x.true === t && x.predicted === p)!;
      close(r.value as number, c.normalized[i][j]);
      assert.equal(r.count, c.counts[i][j]);
    }));
  });
});
