import * as tf from '@tensorflow/tfjs-core';
import { DinoCenter, sinkhornKnopp } from '../../lib/pretrain/center';
import { expectClose, expectNoLeak, torchFixture, useCpu } from './helpers';

describe('DinoCenter', () => {
  before(useCpu);

  it('updates by EMA with the batch mean (hand-computed)', () => {
    const c = new DinoCenter(2, 0.9);
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    c.update(t); // 0.1 · [2, 3]
    expectClose(c.values(), [0.2, 0.3]);
    c.update(t); // 0.9 · [0.2, 0.3] + 0.1 · [2, 3]
    expectClose(c.values(), [0.38, 0.57]);
    t.dispose();
    c.dispose();
  });

  it('softmaxCentered subtracts the centre before sharpening (hand-computed)', () => {
    const c = new DinoCenter(2, 0.9);
    c.restore(Float32Array.from([1, 0]));
    const t = tf.tensor2d([[1, 0]]);
    const p = c.softmaxCentered(t, 0.5); // centred logits [0, 0] → uniform
    expectClose(p.dataSync(), [0.5, 0.5]);
    tf.dispose([t, p]);
    c.dispose();
  });

  it('does not leak', () => {
    const c = new DinoCenter(4);
    const t = tf.randomNormal([3, 4]) as tf.Tensor2D;
    expectNoLeak(() => c.softmaxCentered(t, 0.07));
    expectNoLeak(() => c.update(t));
    t.dispose();
    c.dispose();
  });
});

describe('sinkhornKnopp', () => {
  before(useCpu);

  it('matches PyTorch (dinov2 sinkhorn_knopp_teacher)', () => {
    const f = torchFixture.sinkhorn;
    const x = tf.tensor2d(f.logits, [f.n, f.K]);
    const q = sinkhornKnopp(x, f.temp, f.iterations);
    expectClose(q.dataSync(), f.out, 1e-5);
    tf.dispose([x, q]);
  });

  it('rows sum to 1', () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 1) as tf.Tensor2D;
    const q = sinkhornKnopp(x, 0.1);
    expectClose(tf.sum(q, 1).dataSync(), [1, 1, 1, 1, 1], 1e-5);
    tf.dispose([x, q]);
  });

  it('does not leak', () => {
    const x = tf.randomNormal([5, 7]) as tf.Tensor2D;
    expectNoLeak(() => sinkhornKnopp(x, 0.07));
    x.dispose();
  });
});
