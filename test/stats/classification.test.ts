import * as assert from 'assert';
import { accuracy, balancedAccuracy, balancedAccuracyFromMatrix, confusionMatrix, f1, perClassRecall } from '../../lib/stats';
import { expectAllClose, expectClose, loadFixture, METRIC } from './helpers';

const fx = loadFixture('classification.json');

describe('accuracy / balancedAccuracy / f1 / confusionMatrix (vs sklearn)', () => {
  for (const c of fx.cases.filter((k: { accuracy?: number }) => k.accuracy !== undefined)) {
    it(`n=${c.yTrue.length}, labels ${c.labels}`, () => {
      expectClose(accuracy(c.yTrue, c.yPred), c.accuracy, METRIC, 'accuracy');
      expectClose(balancedAccuracy(c.yTrue, c.yPred), c.balancedAccuracy, METRIC, 'balanced accuracy');
      expectClose(f1(c.yTrue, c.yPred), c.f1Macro, METRIC, 'f1 macro');
      expectClose(f1(c.yTrue, c.yPred, { average: 'micro' }), c.f1Micro, METRIC, 'f1 micro');
      const cm = confusionMatrix(c.yTrue, c.yPred);
      assert.deepStrictEqual(cm.labels, c.labels);
      assert.deepStrictEqual(cm.matrix, c.confusion);
    });
  }
  it('explicit labels (one absent from both: F1 0, as sklearn zero_division)', () => {
    const c = fx.cases.find((k: { labelsOpt?: number[] }) => k.labelsOpt);
    expectClose(f1(c.yTrue, c.yPred, { labels: c.labelsOpt }), c.f1MacroLabels, METRIC, 'f1 macro labels');
    expectClose(f1(c.yTrue, c.yPred, { labels: c.labelsOpt, average: 'micro' }), c.f1MicroLabels, METRIC, 'f1 micro labels');
    assert.deepStrictEqual(confusionMatrix(c.yTrue, c.yPred, { labels: c.labelsOpt }).matrix, c.confusionLabels);
  });

  it("the paper's fig. S2 confusion matrix → per-class recall and macro accuracy", () => {
    // rows = truth (Covid, Normal, Pneumonia), columns = predicted (Covid, Normal, Pneumonia)
    const m = [
      [107, 1, 18], // Covid: 126 cases, recall 107/126 = 0.849206…
      [26, 147, 33], // Normal: 206 cases, recall 147/206 = 0.713592…
      [17, 2, 99], // Pneumonia: 118 cases, recall 99/118 = 0.838983…
    ];
    // macro accuracy = (0.849206 + 0.713592 + 0.838983) / 3 = 2.401781 / 3 = 0.800594 (≈ 80.1 %)
    // plain accuracy = (107 + 147 + 99) / 450 = 353 / 450 = 0.784444
    const recall = perClassRecall(m);
    expectAllClose(recall, [107 / 126, 147 / 206, 99 / 118], { abs: 1e-15 }, 'recall');
    assert.ok(Math.abs(recall[0] - 0.849206) < 1e-6 && Math.abs(recall[1] - 0.713592) < 1e-6 && Math.abs(recall[2] - 0.838983) < 1e-6);
    const macro = balancedAccuracyFromMatrix(m);
    assert.ok(Math.abs(macro - 0.800594) < 1e-6, `macro accuracy ${macro}`);
    // the same from sample-level labels rebuilt from the matrix
    const yTrue: number[] = [];
    const yPred: number[] = [];
    m.forEach((row, t) => row.forEach((count, p) => { for (let k = 0; k < count; k++) { yTrue.push(t); yPred.push(p); } }));
    assert.strictEqual(yTrue.length, 450);
    assert.ok(Math.abs(balancedAccuracy(yTrue, yPred) - macro) < 1e-15);
    assert.ok(Math.abs(accuracy(yTrue, yPred) - 353 / 450) < 1e-15);
    assert.deepStrictEqual(confusionMatrix(yTrue, yPred).matrix, m);
  });

  it('bad input names the problem', () => {
    assert.throws(() => accuracy([0, 1], [0]), /accuracy: length mismatch: yTrue has 2 entries, yPred has 1/);
    assert.throws(() => accuracy([], []), /accuracy: yTrue is empty/);
    assert.throws(() => balancedAccuracy([0, 1.5], [0, 1]), /balancedAccuracy: yTrue\[1\] is 1.5; class labels must be non-negative integers/);
    assert.throws(() => f1([0, 1], [0, -1]), /f1: yPred\[1\] is -1/);
    assert.throws(() => f1([0, 1], [0, 1], { average: 'weighted' as never }), /invalid average/);
    assert.throws(() => perClassRecall([[1, 2], [3]]), /matrix must be square/);
  });
});
