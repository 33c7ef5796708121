import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { ibotLoss, maskedPatchIndex } from '../../lib/pretrain/ibot-loss';
import { expectClose, expectNoLeak, torchFixture, useCpu } from './helpers';

describe('ibotLoss', () => {
  before(useCpu);

  it('weights patches 1/(masked of their image) and divides by all images (hand-computed)', () => {
    // 3 images × 2 tokens: image 0 masks both, image 1 one, image 2 none.
    const { indices, weights } = maskedPatchIndex(Uint8Array.from([1, 1, 0, 1, 0, 0]), 3, 2);
    assert.deepStrictEqual([...indices], [0, 1, 3]);
    expectClose(weights, [0.5, 0.5, 1]);
    // uniform student over K = 2, one-hot teacher: CE = log 2 per patch → (0.5 + 0.5 + 1)·log 2 / 3
    const s = tf.zeros([3, 2]) as tf.Tensor2D;
    const t = tf.tensor2d([[1, 0], [0, 1], [1, 0]]);
    const w = tf.tensor1d(weights);
    const loss = ibotLoss(s, t, w, 3, 0.1);
    expectClose(loss.dataSync(), [(2 * Math.log(2)) / 3]);
    tf.dispose([s, t, w, loss]);
  });

  it('matches PyTorch (dinov2 iBOTPatchLoss.forward_masked): weights, loss, gradient', () => {
    const f = torchFixture.ibot;
    const { weights } = maskedPatchIndex(Uint8Array.from(f.masks), f.nImages, f.tokens);
    expectClose(weights, f.weights, 1e-6, 'weights');
    const m = weights.length;
    const s = tf.tensor2d(f.student, [m, f.K]);
    const tl = tf.tensor2d(f.teacherLogits, [m, f.K]);
    const c = tf.tensor2d(f.center, [1, f.K]);
    const tp = tf.softmax(tf.div(tf.sub(tl, c), f.teacherTemp)) as tf.Tensor2D;
    const w = tf.tensor1d(weights);
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => ibotLoss(x as tf.Tensor2D, tp, w, f.nImages, f.studentTemp))([s]);
    expectClose(value.dataSync(), [f.loss], 1e-5, 'loss');
    expectClose(grads[0].dataSync(), f.grad, 1e-5, 'grad');
    tf.dispose([s, tl, c, tp, w, value, ...grads]);
  });

  it('is 0 with no masked patch, and does not leak', () => {
    const s = tf.zeros([0, 4]) as tf.Tensor2D;
    const w = tf.zeros([0]) as tf.Tensor1D;
    const l = ibotLoss(s, s, w, 2, 0.1);
    assert.strictEqual(l.dataSync()[0], 0);
    l.dispose();
    const a = tf.randomNormal([5, 4]) as tf.Tensor2D;
    const b = tf.softmax(tf.randomNormal([5, 4])) as tf.Tensor2D;
    const ww = tf.ones([5]) as tf.Tensor1D;
    expectNoLeak(() => ibotLoss(a, b, ww, 3, 0.1));
    tf.dispose([s, w, a, b, ww]);
  });
});
