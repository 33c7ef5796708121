import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { diceLoss, diceLossWithGrad } from '../../../lib/adapters/segmentation/dice-loss';
import { expectClose, expectNoLeak, useBackend } from './helpers';

const REF = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/segmentation/torch-ref.json'), 'utf8'));

describe('diceLossWithGrad', () => {
  before(useBackend);

  it('matches PyTorch autograd (value and d/dlogits)', () => {
    const c = REF.dice;
    const [b, p, k] = c.shape;
    const logits = tf.tensor3d(c.logits, [b, p, k]);
    const targets = tf.tensor3d(c.targets, [b, p, k]);
    const weights = tf.tensor2d(c.weights, [b, k]);
    const { loss, grad } = diceLossWithGrad(logits, targets, weights);
    expectClose([loss.dataSync()[0]], [c.loss], 1e-5, 'loss');
    expectClose(grad.dataSync(), c.grad, 1e-5, 'grad');
    tf.dispose([logits, targets, weights, loss, grad]);
  });

  it('is ~0 for confident correct logits and ignores unannotated classes', () => {
    const t = tf.tensor3d([1, 0, 0, 1, 1, 0, 0, 1], [1, 4, 2]);
    const z = tf.tidy(() => tf.mul(tf.sub(tf.mul(t, 2), 1), 30)) as tf.Tensor3D;
    const l = diceLoss(z, t);
    assert.ok(l.dataSync()[0] < 1e-6, `loss ${l.dataSync()[0]}`);
    // class 1 wrong but weight 0 → still ~0
    const zWrong = tf.tidy(() => tf.concat([tf.slice(z, [0, 0, 0], [1, 4, 1]), tf.neg(tf.slice(z, [0, 0, 1], [1, 4, 1]))], 2)) as tf.Tensor3D;
    const w = tf.tensor2d([[1, 0]]);
    const l2 = diceLoss(zWrong, t, w);
    assert.ok(l2.dataSync()[0] < 1e-6);
    const l3 = diceLoss(zWrong, t);
    // class 1: I = 0, S = 4 → d = 1/5; loss = 1 − (1 + 0.2)/2
    assert.ok(Math.abs(l3.dataSync()[0] - 0.4) < 1e-5, `loss ${l3.dataSync()[0]}`);
    tf.dispose([t, z, l, zWrong, w, l2, l3]);
  });

  it('rejects mismatched shapes', () => {
    const a = tf.zeros([1, 4, 2]) as tf.Tensor3D;
    const b = tf.zeros([1, 4, 3]) as tf.Tensor3D;
    assert.throws(() => diceLossWithGrad(a, b), /logits 1×4×2 and targets 1×4×3 differ/);
    tf.dispose([a, b]);
  });

  it('does not leak', async () => {
    const a = tf.randomNormal([2, 5, 3]) as tf.Tensor3D;
    const b = tf.randomUniform([2, 5, 3]) as tf.Tensor3D;
    await expectNoLeak(() => { const r = diceLossWithGrad(a, b); tf.dispose([r.loss, r.grad]); tf.dispose(diceLoss(a, b)); });
    tf.dispose([a, b]);
  });
});
