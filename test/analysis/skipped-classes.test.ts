import { strict as assert } from 'assert';
import type { Predictions } from '../../lib/eval/protocol';
import { skippedClasses } from '../../lib/analysis/skipped-classes';

const ref = require('../fixtures/study/classification.json');
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) < tol;

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
