import * as assert from 'assert';
import { auroc, averagePrecision, prCurve, rocCurve, UndefinedMetricError } from '../../lib/stats';
import { expectAllClose, expectClose, labelVec, loadFixture, METRIC, vec } from './helpers';

const fx = loadFixture('auroc.json');

describe('auroc / averagePrecision (vs sklearn roc_auc_score / average_precision_score)', () => {
  for (const c of fx.cases) {
    it(`${c.name} (n=${c.n})`, () => {
      const scores = vec(c.scores);
      const labels = labelVec(c.labels, c.scores);
      if (c.auroc === null) assert.throws(() => auroc(labels, scores), UndefinedMetricError);
      else expectClose(auroc(labels, scores), c.auroc, METRIC, 'auroc');
      if (c.ap === null) assert.throws(() => averagePrecision(labels, scores), UndefinedMetricError);
      else expectClose(averagePrecision(labels, scores), c.ap, METRIC, 'ap');
    });
  }

  it('hand example: ties count ½ (sklearn doc example gives 0.75)', () => {
    assert.strictEqual(auroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
    assert.strictEqual(auroc([0, 1], [0.5, 0.5]), 0.5);
    assert.strictEqual(auroc(new Uint8Array([1, 0, 1]), new Float32Array([1, 0, 0])), 0.75);
  });

  it('bad input names the problem', () => {
    assert.throws(() => auroc([0, 1, 1], [0.1, 0.2]), /auroc: length mismatch: labels has 3 entries, scores has 2/);
    assert.throws(() => auroc([], []), /auroc: labels is empty/);
    assert.throws(() => auroc([0, 1, 2], [0.1, 0.2, 0.3]), /auroc: labels\[2\] is 2; labels must be 0 or 1/);
    assert.throws(() => auroc([0, 1, 1], [0.1, NaN, 0.3]), /auroc: scores\[1\] is NaN/);
    assert.throws(() => averagePrecision([0, 1], [0.1, Infinity]), /averagePrecision: scores\[1\] is Infinity/);
    assert.throws(() => auroc([1, 1], [0.1, 0.2]), /only one class present/);
    assert.throws(() => averagePrecision([0, 0], [0.1, 0.2]), /no positive/);
  });
});

describe('rocCurve / prCurve (vs sklearn roc_curve / precision_recall_curve)', () => {
  for (const c of fx.cases.filter((k: { roc?: unknown; pr?: unknown }) => k.roc || k.pr)) {
    it(`${c.name}`, () => {
      const scores = vec(c.scores);
      const labels = labelVec(c.labels);
      if (c.roc) {
        const r = rocCurve(labels, scores);
        expectAllClose(r.fpr, c.roc.fpr, METRIC, 'fpr');
        expectAllClose(r.tpr, c.roc.tpr, METRIC, 'tpr');
        expectAllClose(r.thresholds, c.roc.thresholds, METRIC, 'thresholds');
        const all = rocCurve(labels, scores, { dropIntermediate: false });
        expectAllClose(all.fpr, c.rocAll.fpr, METRIC, 'fpr (all)');
        expectAllClose(all.tpr, c.rocAll.tpr, METRIC, 'tpr (all)');
        expectAllClose(all.thresholds, c.rocAll.thresholds, METRIC, 'thresholds (all)');
      }
      if (c.pr) {
        const p = prCurve(labels, scores);
        expectAllClose(p.precision, c.pr.precision, METRIC, 'precision');
        expectAllClose(p.recall, c.pr.recall, METRIC, 'recall');
        expectAllClose(p.thresholds, c.pr.thresholds, METRIC, 'thresholds');
      }
    });
  }
});
