import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { maskedBce, splitKnown } from '../../lib/engine/masked-bce';
import '../../lib/engine/gradients';
import { expectClose, expectNoLeak, useCpu } from '../pretrain/helpers';

interface Case { shape: [number, number]; logits: number[]; labels: (number | null)[]; loss: number; grad: number[] }
const fixture: { cases: Case[] } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'baselines', 'masked-bce.json'), 'utf8'));

function tensors(c: Case): { x: tf.Tensor2D; y: tf.Tensor2D; m: tf.Tensor2D } {
  const { targets, mask } = splitKnown(Float32Array.from(c.labels.map((v) => (v === null ? NaN : v))));
  return { x: tf.tensor2d(c.logits, c.shape), y: tf.tensor2d(targets, c.shape), m: tf.tensor2d(mask, c.shape) };
}

describe('maskedBce', () => {
  before(useCpu);

  it('equals a hand computation on a 2×2 example', () => {
    // known entries: (x=2, y=1), (x=-1, y=0), (x=0, y=1); the NaN one is ignored
    const { targets, mask } = splitKnown(Float32Array.from([1, NaN, 0, 1]));
    const loss = maskedBce(tf.tensor2d([2, 5, -1, 0], [2, 2]), tf.tensor2d(targets, [2, 2]), tf.tensor2d(mask, [2, 2]));
    const hand = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1)) + Math.log(2)) / 3;
    expectClose([loss.dataSync()[0]], [hand], 1e-6, 'loss');
    loss.dispose();
  });

  it('matches torch BCEWithLogitsLoss with NaN labels masked (value and gradient, saturated logits, empty rows)', () => {
    for (const [k, c] of fixture.cases.entries()) {
      const { x, y, m } = tensors(c);
      const { value, grads } = tf.valueAndGrads((xx: tf.Tensor) => maskedBce(xx as tf.Tensor2D, y, m))([x]);
      expectClose([value.dataSync()[0]], [c.loss], 1e-6, `case ${k} loss`);
      expectClose(grads[0].dataSync(), c.grad, 1e-6, `case ${k} grad`);
      tf.dispose([value, ...grads, x, y, m]);
    }
  });

  it('rejects labels other than 1 / 0 / NaN and mismatched shapes', () => {
    assert.throws(() => splitKnown(Float32Array.from([1, 0.5])), /label 1 is 0.5/);
    const a = tf.zeros([2, 3]) as tf.Tensor2D, b = tf.zeros([3, 2]) as tf.Tensor2D;
    assert.throws(() => maskedBce(a, b, b), /same shape/);
    tf.dispose([a, b]);
  });

  it('does not leak (forward and gradient)', () => {
    const { x, y, m } = tensors(fixture.cases[0]);
    expectNoLeak(() => maskedBce(x, y, m));
    expectNoLeak(() => {
      const r = tf.valueAndGrads((xx: tf.Tensor) => maskedBce(xx as tf.Tensor2D, y, m))([x]);
      return [r.value, ...r.grads];
    });
    tf.dispose([x, y, m]);
  });
});
