import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { createRng } from '../../lib/engine/rng';
import { DinoHead } from '../../lib/pretrain/dino-head';
import { expectClose, expectNoLeak, torchFixture, useCpu } from './helpers';

describe('DinoHead', () => {
  before(useCpu);

  it('matches PyTorch (dinov2 DINOHead: MLP + GELU, L2-normalised bottleneck, weight-normalised prototypes)', () => {
    const f = torchFixture.head;
    const head = new DinoHead({ inDim: f.inDim, hiddenDim: f.hiddenDim, bottleneckDim: f.bottleneckDim, outDim: f.outDim }, createRng(1), 'h');
    const set = (name: string, v: number[]) => {
      const p = head.params.get(`h.${name}`)!;
      const t = tf.tensor(v, p.shape);
      p.assign(t);
      t.dispose();
    };
    set('mlp.0.weight', f.w0); set('mlp.0.bias', f.b0); set('mlp.2.weight', f.w2); set('mlp.2.bias', f.b2);
    set('mlp.4.weight', f.w4); set('mlp.4.bias', f.b4); set('last_layer.weight_v', f.v);
    const x = tf.tensor2d(f.x, [3, f.inDim]);
    const y = head.apply(x);
    expectClose(y.dataSync(), f.y, 1e-5);
    tf.dispose([x, y]);
    head.dispose();
  });

  it("with inputNorm 'batch' matches PyTorch BatchNorm1d(affine=False) + head in train mode: output and gradients", () => {
    const f = torchFixture.head;
    const b = torchFixture.headBatchNorm;
    const head = new DinoHead({ inDim: f.inDim, hiddenDim: f.hiddenDim, bottleneckDim: f.bottleneckDim, outDim: f.outDim, inputNorm: 'batch' }, createRng(1), 'h');
    const set = (name: string, v: number[]) => {
      const p = head.params.get(`h.${name}`)!;
      const t = tf.tensor(v, p.shape);
      p.assign(t);
      t.dispose();
    };
    set('mlp.0.weight', f.w0); set('mlp.0.bias', f.b0); set('mlp.2.weight', f.w2); set('mlp.2.bias', f.b2);
    set('mlp.4.weight', f.w4); set('mlp.4.bias', f.b4); set('last_layer.weight_v', f.v);
    const x = tf.variable(tf.tensor2d(b.x, [5, f.inDim]));
    const r = tf.tensor2d(b.r, [5, f.outDim]);
    const w0 = head.params.get('h.mlp.0.weight')!;
    const v = head.params.get('h.last_layer.weight_v')!;
    const y = head.apply(x);
    expectClose(y.dataSync(), b.y, 1e-5);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(head.apply(x), r)) as tf.Scalar, [x, w0, v]);
    expectClose(grads[x.name].dataSync(), b.gradX, 1e-4);
    expectClose(grads[w0.name].dataSync(), b.gradW0, 1e-4);
    expectClose(grads[v.name].dataSync(), b.gradV, 1e-4);
    tf.dispose([x, r, y, value, ...Object.values(grads)]);
    head.dispose();
  });

  it('outputs cosine similarities (|logit| ≤ 1) and has gradients for every parameter, without leaking', () => {
    const head = new DinoHead({ inDim: 8, hiddenDim: 16, bottleneckDim: 4, outDim: 10 }, createRng(2));
    const x = tf.randomNormal([5, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
    const y = head.apply(x);
    assert.ok(Math.max(...Array.from(y.dataSync()).map(Math.abs)) <= 1 + 1e-6);
    y.dispose();
    expectNoLeak(() => head.apply(x));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(head.apply(x))) as tf.Scalar, [...head.params.values()]);
    assert.strictEqual(Object.keys(grads).length, head.params.size);
    for (const g of Object.values(grads)) assert.ok(Array.from(g.dataSync()).every(Number.isFinite));
    tf.dispose([value, ...Object.values(grads)]);
    assert.strictEqual(tf.memory().numTensors, before);
    x.dispose();
    head.dispose();
  });
});
