import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { DinoCenter } from '../../lib/pretrain/center';
import { dinoLoss, dinoPairCount } from '../../lib/pretrain/dino-loss';
import { expectClose, expectNoLeak, torchFixture, useCpu } from './helpers';

describe('dinoLoss', () => {
  before(useCpu);

  it('equals the hand-computed cross-entropy for 2 global crops of one image', () => {
    // student logits 0 → uniform softmax over K=2 → log(1/2) per entry; teacher one-hot → CE = log 2 per pair.
    const s = tf.zeros([2, 2]) as tf.Tensor2D;
    const t = tf.tensor2d([[1, 0], [0, 1]]);
    const loss = dinoLoss(s, t, { nGlobal: 2, studentTemp: 0.1 });
    expectClose(loss.dataSync(), [Math.log(2)]);
    tf.dispose([s, t, loss]);
  });

  it('pairs each global crop with the other view only', () => {
    // Student crop 0 predicts teacher view 0 perfectly, crop 1 predicts view 1: the loss must be high because the
    // pairs are (s0,t1) and (s1,t0). With logits ±10 at temp 1: CE = softplus(20) ≈ 20.
    const s = tf.tensor2d([[10, -10], [-10, 10]]);
    const t = tf.tensor2d([[1, 0], [0, 1]]);
    const loss = dinoLoss(s, t, { nGlobal: 2, studentTemp: 1 });
    expectClose(loss.dataSync(), [Math.log1p(Math.exp(20))], 1e-5);
    tf.dispose([s, t, loss]);
  });

  it('counts pairs as dinov2', () => {
    assert.strictEqual(dinoPairCount(2, 0), 2);
    assert.strictEqual(dinoPairCount(2, 8), 18);
  });

  it('matches PyTorch (dinov2 DINOLoss + SSLMetaArch pairing): centring, loss, gradient, centre update', () => {
    const f = torchFixture.dino;
    const student = tf.tensor2d(f.student, [(f.nGlobal + f.nLocal) * f.batch, f.K]);
    const teacher = tf.tensor2d(f.teacherLogits, [f.nGlobal * f.batch, f.K]);
    const center = new DinoCenter(f.K, f.centerMomentum);
    center.restore(Float32Array.from(f.center));
    const probs = center.softmaxCentered(teacher, f.teacherTemp);
    expectClose(probs.dataSync(), f.teacherProbs, 1e-5, 'teacher probs');
    const { value, grads } = tf.valueAndGrads((s: tf.Tensor) => dinoLoss(s as tf.Tensor2D, probs, { nGlobal: f.nGlobal, studentTemp: f.studentTemp }))([student]);
    expectClose(value.dataSync(), [f.loss], 1e-5, 'loss');
    expectClose(grads[0].dataSync(), f.grad, 1e-5, 'grad');
    center.update(teacher);
    expectClose(center.values(), f.newCenter, 1e-5, 'center');
    tf.dispose([student, teacher, probs, value, ...grads]);
    center.dispose();
  });

  it('does not leak', () => {
    const s = tf.randomNormal([12, 8]) as tf.Tensor2D;
    const t = tf.softmax(tf.randomNormal([4, 8])) as tf.Tensor2D;
    expectNoLeak(() => dinoLoss(s, t, { nGlobal: 2, studentTemp: 0.1 }));
    expectNoLeak(() => tf.grad((x: tf.Tensor) => dinoLoss(x as tf.Tensor2D, t, { nGlobal: 2, studentTemp: 0.1 }))(s));
    tf.dispose([s, t]);
  });

  it('rejects inconsistent shapes', () => {
    const s = tf.zeros([5, 4]) as tf.Tensor2D;
    const t = tf.zeros([4, 4]) as tf.Tensor2D;
    assert.throws(() => dinoLoss(s, t, { nGlobal: 2, studentTemp: 0.1 }), /student rows 5/);
    tf.dispose([s, t]);
  });
});
