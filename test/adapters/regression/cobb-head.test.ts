import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { CobbHead } from '../../../lib/adapters/regression/cobb-head';
import { aasceSmape, smapeLossWithGrad } from '../../../lib/adapters/regression/smape-loss';
import { predictCobb, trainCobbHead } from '../../../lib/adapters/regression/reg-trainer';
import { pearson } from '../../../lib/stats';
import { expectClose, expectNoLeak, useBackend } from '../segmentation/helpers';
import { linearProblem } from './linear-problem';

const REF = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/segmentation/torch-ref.json'), 'utf8'));

describe('smapeLossWithGrad', () => {
  before(useBackend);
  it('matches PyTorch autograd (AASCE SMAPE, value and d/dpred)', () => {
    const c = REF.smape;
    const p = tf.tensor2d(c.pred, [c.pred.length / 3, 3]);
    const y = tf.tensor2d(c.target, [c.pred.length / 3, 3]);
    const { loss, grad } = smapeLossWithGrad(p, y);
    expectClose([loss.dataSync()[0]], [c.loss], 1e-5, 'loss');
    expectClose(grad.dataSync(), c.grad, 1e-5, 'grad');
    expectClose([aasceSmape(c.pred, c.target, 3)], [100 * c.loss], 1e-6, 'aasceSmape');
    tf.dispose([p, y, loss, grad]);
  });
  it('does not leak', async () => {
    const p = tf.ones([2, 3]) as tf.Tensor2D;
    await expectNoLeak(() => { const r = smapeLossWithGrad(p, p); tf.dispose([r.loss, r.grad]); });
    p.dispose();
  });
});

describe('CobbHead', () => {
  before(useBackend);

  it('forward, attention and parameter gradients match PyTorch (scripts/torch-seg-ref.py)', () => {
    const c = REF.cobb;
    const { batch, tokens, dim, heads, valueDim, outputs } = c.config;
    const head = new CobbHead({ dim, tokens, heads, valueDim, outputs }, { mean: c.mean, std: c.std }, 0);
    for (const [name, p] of head.params) p.assign(tf.tensor(c.params[name].data, c.params[name].shape));
    const x = tf.tensor2d(c.x, [batch * tokens, dim]);
    const y = tf.tensor2d(c.y, [batch, outputs]);
    const out = tf.tidy(() => {
      const f = head.forward(x);
      const l = smapeLossWithGrad(f.pred, y);
      return { pred: f.pred, attention: f.attention, loss: l.loss, grads: Object.fromEntries(head.backward(f.cache, l.grad)) };
    });
    expectClose(out.pred.dataSync(), c.pred, 1e-5, 'pred');
    assert.deepStrictEqual(out.attention.shape, [batch, heads, tokens]);
    expectClose(out.attention.dataSync(), c.attention, 1e-5, 'attention');
    expectClose([out.loss.dataSync()[0]], [c.loss], 1e-5, 'loss');
    assert.deepStrictEqual(Object.keys(out.grads).sort(), [...head.params.keys()].sort());
    for (const [k, g] of Object.entries(out.grads)) expectClose(g.dataSync(), c.grads[k], 1e-4, k);
    tf.dispose([x, y, out.pred, out.attention, out.loss, ...Object.values(out.grads)]);
    head.dispose();
  });

  it('starts from mean pooling: uniform attention, predictions = training means', () => {
    const head = new CobbHead({ dim: 4, tokens: 6 }, { mean: [10, 20, 30], std: [1, 1, 1] }, 0);
    const x = tf.randomNormal([2 * 6, 4]) as tf.Tensor2D;
    const f = tf.tidy(() => { const r = head.forward(x); return [r.attention, r.pred]; });
    expectClose(f[0].dataSync(), new Array(2 * 4 * 6).fill(1 / 6), 1e-6, 'attention');
    expectClose(f[1].dataSync(), [10, 20, 30, 10, 20, 30], 0.2, 'pred');
    tf.dispose([x, ...f]);
    head.dispose();
  });
});

describe('trainCobbHead', () => {
  before(useBackend);

  it('recovers a linear target of the tokens (test Pearson > 0.95 per angle)', () => {
    const train = linearProblem(256, 1);
    const test = linearProblem(64, 2);
    const before = tf.memory().numTensors;
    const { head, lossHistory } = trainCobbHead(train.tokens, train.y, 3, { lr: 1e-2, epochs: 40, batchSize: 32, seed: 0 });
    const { pred, attention } = predictCobb(head, test.tokens);
    head.dispose();
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
    assert.strictEqual(attention.length, 64 * 4 * 16);
    for (let j = 0; j < 3; j++) {
      const p = Array.from({ length: 64 }, (_, i) => pred[i * 3 + j]);
      const t = Array.from({ length: 64 }, (_, i) => test.y[i * 3 + j]);
      const r = pearson(p, t).r;
      assert.ok(r > 0.95, `angle ${j}: Pearson ${r.toFixed(3)} (loss ${lossHistory[0].toFixed(3)} → ${lossHistory[lossHistory.length - 1].toFixed(3)})`);
    }
  });

  it('is deterministic from a seed', () => {
    const d = linearProblem(32, 3);
    const run = (seed: number) => {
      const r = trainCobbHead(d.tokens, d.y, 3, { lr: 1e-2, epochs: 2, batchSize: 8, seed });
      const w = Array.from(r.head.params.get('out.w')!.dataSync());
      r.head.dispose();
      return w;
    };
    assert.deepStrictEqual(run(1), run(1));
    assert.notDeepStrictEqual(run(1), run(2));
  });

  it('names bad targets', () => {
    const d = linearProblem(4, 3);
    d.y[5] = NaN;
    assert.throws(() => trainCobbHead(d.tokens, d.y, 3, { lr: 1e-2, epochs: 1 }), /target row 1 output 2 is NaN/);
  });
});
