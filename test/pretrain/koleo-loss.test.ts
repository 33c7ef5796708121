import * as tf from '@tensorflow/tfjs-core';
import { koleoLoss } from '../../lib/pretrain/koleo-loss';
import { expectClose, expectNoLeak, torchFixture, useCpu } from './helpers';

describe('koleoLoss', () => {
  before(useCpu);

  it('is −mean log of nearest-neighbour distances (hand-computed)', () => {
    // Unit vectors e1, e2, −e1 (scaled: normalisation removes the scale). NN of e1 is e2 (cos 0 > −1) at √2,
    // NN of e2: e1 or −e1 (both cos 0, argmax takes the first) at √2, NN of −e1 is e2 at √2 → −log √2.
    const x = tf.tensor2d([[3, 0], [0, 2], [-1, 0]]);
    const l = koleoLoss(x);
    expectClose(l.dataSync(), [-Math.log(Math.SQRT2)], 1e-6);
    tf.dispose([x, l]);
  });

  it('matches PyTorch (dinov2 KoLeoLoss): loss and gradient', () => {
    const f = torchFixture.koleo;
    const x = tf.tensor2d(f.x, [f.n, f.d]);
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => koleoLoss(t as tf.Tensor2D))([x]);
    expectClose(value.dataSync(), [f.loss], 1e-5, 'loss');
    expectClose(grads[0].dataSync(), f.grad, 1e-5, 'grad');
    tf.dispose([x, value, ...grads]);
  });

  it('does not leak', () => {
    const x = tf.randomNormal([6, 3]) as tf.Tensor2D;
    expectNoLeak(() => koleoLoss(x));
    expectNoLeak(() => tf.grad((t: tf.Tensor) => koleoLoss(t as tf.Tensor2D))(x));
    x.dispose();
  });
});
