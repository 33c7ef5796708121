import * as assert from 'assert';
import { dice, iou, labelMapToMasks, meanDice } from '../../lib/stats';
import { expectClose, labelVec, loadFixture, METRIC } from './helpers';

const fx = loadFixture('classification.json');

describe('dice / iou / meanDice (vs sklearn f1_score / jaccard_score on flattened masks)', () => {
  it('random masks', () => {
    for (const c of fx.dice) {
      const pred = labelVec(c.pred);
      const truth = labelVec(c.truth);
      expectClose(dice(pred, truth), c.dice, METRIC, `dice n=${pred.length}`);
      expectClose(iou(pred, truth), c.iou, METRIC, `iou n=${pred.length}`);
    }
  });

  it('empty policy: a class empty in both is excluded (NaN) by default, 1 on request', () => {
    const empty = [0, 0, 0, 0];
    assert.ok(Number.isNaN(dice(empty, empty)));
    assert.strictEqual(dice(empty, empty, { emptyPolicy: 'one' }), 1);
    assert.ok(Number.isNaN(iou(empty, empty)));
    assert.strictEqual(dice([1, 0, 0, 0], empty), 0); // empty truth but a prediction: 0, not excluded
    const preds = [[1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1]];
    const truths = [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1]];
    const ex = meanDice(preds, truths);
    // class 0: 2·1/(2+1) = 2/3; class 1 excluded; class 2: 1 → mean (2/3 + 1)/2 = 5/6
    assert.deepStrictEqual(ex.empty, [1]);
    assert.ok(Number.isNaN(ex.perClass[1]));
    assert.ok(Math.abs(ex.mean - 5 / 6) < 1e-15);
    const one = meanDice(preds, truths, { emptyPolicy: 'one' });
    assert.ok(Math.abs(one.mean - (2 / 3 + 1 + 1) / 3) < 1e-15);
  });

  it('labelMapToMasks: one binary mask per class', () => {
    const m = labelMapToMasks([0, 2, 1, 2], 3);
    assert.deepStrictEqual(m.map((x) => Array.from(x)), [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 1]]);
    assert.throws(() => labelMapToMasks([0, 3], 3), /map\[1\] is 3/);
  });

  it('bad input names the problem', () => {
    assert.throws(() => dice([0, 1], [0, 1, 1]), /dice: length mismatch: pred has 2 entries, truth has 3/);
    assert.throws(() => dice([0, 2], [0, 1]), /dice: pred\[1\] is 2; labels must be 0 or 1/);
    assert.throws(() => iou([], []), /iou: pred is empty/);
    assert.throws(() => meanDice([[0, 1]], [[0, 1], [1, 0]]), /meanDice: length mismatch: preds has 1 classes, truths has 2/);
    assert.throws(() => meanDice([[0, 1]], [[0, NaN]]), /meanDice: truths\[0\]\[1\] is NaN/);
    assert.throws(() => dice([0], [0], { emptyPolicy: 'zero' as never }), /invalid emptyPolicy/);
  });
});
