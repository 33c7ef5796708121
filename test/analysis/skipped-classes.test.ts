import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { Predictions } from '../../lib/eval/protocol';
import type { SegPrediction } from '../../lib/eval/dense/segmentation';
import type { AttentionMap } from '../../lib/eval/explainability/pinpointing';
import { skippedClasses } from '../../lib/analysis/skipped-classes';

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

describe('skippedClasses', () => {
  it('lists the classes with one label value in test (sklearn roc_auc_score undefined)', () => {
    const Y: number[][] = ref.multilabel.Y, S: number[][] = ref.multilabel.S;
    const p: Predictions = { seed: 3, fold: 0, config: '', split: 'test', group: '', ids: Y.map((_, i) => `i${i}`), classNames: ['A', 'B', 'C'],
      scores: Float32Array.from(S.flat()), labels: Float32Array.from(Y.flat()) };
    const out = skippedClasses(new Map([['m', [p]]]), 'd');
    assert.deepEqual(out, [{ model: 'm', dataset: 'd', seed: 3, skipped: 'B' }]);
    assert.equal(ref.multilabel.auroc[1], null);
  });
});
