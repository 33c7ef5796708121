import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { Predictions } from '../../lib/eval/protocol';
import type { SegPrediction } from '../../lib/eval/dense/segmentation';
import type { AttentionMap } from '../../lib/eval/explainability/pinpointing';
import { segSetTable } from '../../lib/analysis/seg-sets';

const ref = require('../fixtures/study/classification.json');
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) < tol;

function resultTable(values: Record<string, Record<string, number[]>>) {
  const rows: Record<string, unknown>[] = [];
  for (const [dataset, byModel] of Object.entries(values)) {
    for (const [model, vs] of Object.entries(byModel)) {
      vs.forEach((value, seed) => {
        rows.push({ model, task: 'classification', dataset, split: 'test', seed, fold: 0, group: 'macro', metric: 'auroc', value, config: '' });
        rows.push({ model, task: 'classification', dataset, split: 'test', seed, fold: 0, group: 'Nodule', metric: 'auroc', value: 0.5, config: '' });
      });
    }
  }
  return aq.from(rows);
}

/** A 4-sample, 4×4-pixel SampleTable with three mask classes (a, b annotated; c null on s2) and a label 'P'. */
function tinyTable(): SampleTable {
  const masks: Record<string, (Uint8Array | null)[]> = {};
  ['s0', 's1', 's2', 's3'].forEach((id, i) => {
    const a = new Uint8Array(16), b = new Uint8Array(16), c = new Uint8Array(16);
    a[i] = 1; b[i + 4] = 1; b[i] = 1; c[15 - i] = 1;
    masks[id] = [a, b, id === 's2' ? null : c];
  });
  return {
    dataset: 'tiny',
    table: aq.table({ id: ['s0', 's1', 's2', 's3'], split: ['test', 'test', 'test', 'test'], width: [4, 4, 4, 4], height: [4, 4, 4, 4], P: [0, 1, 0, 1] }),
    labelNames: ['P'],
    maskClasses: ['a', 'b', 'c'],
    problems: [],
    loadImage: async () => ({ width: 4, height: 4, data: new Float32Array(16).fill(0.5) }),
    loadMasks: async (id) => masks[id],
  };
}

describe('segSetTable', () => {
  it('averages the set classes per model and seed', () => {
    const rows = [
      ['m', 0, 'lungs', 0.9], ['m', 0, 'heart', 0.7], ['m', 0, 'P', 0.2], ['m', 1, 'lungs', 0.8], ['m', 1, 'heart', 0.6], ['m', 1, 'P', NaN],
    ].map(([model, seed, group, value]) => ({ model, task: 'segmentation', dataset: 'd', split: 'test', seed, fold: 0, group, metric: 'dice', value, config: '' }));
    const out = segSetTable(aq.from(rows), [{ name: 'organs', dataset: 'd', classes: ['lungs', 'heart'] }, { name: 'ptx', dataset: 'd', classes: ['P'] }]).objects() as any[];
    assert.deepEqual(out.map((r) => [r.dataset, r.seed, +r.value.toFixed(12)]), [['organs', 0, 0.8], ['organs', 1, 0.7], ['ptx', 0, 0.2]]);
    assert.ok(out.every((r) => r.metric === 'mDice' && r.group === 'all'));
    assert.throws(() => segSetTable(aq.from(rows), [{ name: 'x', dataset: 'other', classes: ['lungs'] }]), /dataset other/);
  });
});
