import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { stopGradient } from '../../lib/engine/gradients';
import { emaUpdate } from '../../lib/pretrain/ema';
import { expectClose, expectNoLeak, useCpu } from '../pretrain/helpers';

/** Central finite differences of a scalar function of one tensor, in float64 arithmetic on float32 tensors. */
function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, h = 1e-2): Float32Array {
  const base = x.dataSync().slice();
  const g = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const at = (d: number) => {
      const v = base.slice(); v[i] += d;
      return tf.tidy(() => f(tf.tensor(v, x.shape)).dataSync()[0]);
    };
    g[i] = (at(h) - at(-h)) / (2 * h);
  }
  return g;
}

const cases: [string, number[], (x: tf.Tensor) => tf.Tensor][] = [
  ['add/sub/mul/div with broadcasting, abs', [2, 3], (x) => tf.div(tf.mul(tf.sub(tf.add(x, tf.tensor1d([1, 2, 3])), tf.sum(x, 0, true)), x), tf.add(tf.abs(x), 2))],
  ['neg, square, sqrt, exp, log', [4], (x) => tf.neg(tf.log(tf.add(tf.exp(x), tf.sqrt(tf.add(tf.square(x), 1)))))],
  ['erf, maximum', [5], (x) => tf.maximum(tf.erf(x), tf.mul(x, 0.3))],
  ['sum / mean over axes', [2, 3, 2], (x) => tf.add(tf.mean(tf.square(x), [0, 2]), tf.slice(tf.reshape(tf.sum(x, 1), [-1]), [0], [3]))],
  ['reshape, transpose, slice, concat', [2, 4], (x) => tf.concat([tf.slice(tf.transpose(x), [1, 0], [2, 2]), tf.reshape(x, [4, 2])], 0)],
  ['broadcastTo (Tile), pad, stack', [1, 3], (x) => tf.stack([tf.broadcastTo(x, [2, 3]), tf.pad(tf.slice(x, [0, 0], [1, 1]), [[0, 1], [1, 1]])])],
  ['gather with repeated indices', [4, 2], (x) => tf.gather(x, tf.tensor1d([3, 0, 3], 'int32'))],
  ['softmax, logSoftmax', [2, 4], (x) => tf.add(tf.softmax(x), tf.logSoftmax(tf.mul(x, 2)))],
  ['batched matMul (plain and transposed)', [2, 2, 3], (x) => tf.add(tf.matMul(x as tf.Tensor3D, x as tf.Tensor3D, false, true), tf.sum(tf.matMul(x as tf.Tensor3D, x as tf.Tensor3D, true, false)))],
  ['addN', [3], (x) => tf.addN([x, tf.square(x), x])],
];

describe('training gradients (lib/pretrain/gradients.ts)', () => {
  before(useCpu);
  for (const [name, shape, fn] of cases) {
    it(`${name}: tf.grad equals finite differences`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) * 1.3), shape);
      // weight the outputs so each output element's gradient is checked, not just their sum
      const f = (t: tf.Tensor) => tf.tidy(() => { const y = fn(t); return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size, 1), y.shape)))) as tf.Scalar; });
      const g = tf.grad(f)(x);
      expectClose(g.dataSync(), numericGrad(f, x), 5e-3, name);
      tf.dispose([x, g]);
    });
  }

  it('stopGradient passes values and blocks gradients', () => {
    const x = tf.tensor1d([1, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.add(tf.mul(stopGradient(t), t), stopGradient(tf.square(t)))) as tf.Scalar)(x);
    expectClose(g.dataSync(), [1, 2]); // d/dt (c·t) with c = t held constant
    tf.dispose([x, g]);
  });
});

describe('emaUpdate', () => {
  before(useCpu);
  it('θt ← m·θt + (1 − m)·θs (hand-computed) without leaking', () => {
    const t = tf.variable(tf.tensor1d([1, 2]));
    const s = tf.tensor1d([3, 6]);
    expectNoLeak(() => emaUpdate(new Map([['w', t]]), new Map([['w', s]]), 0.75));
    expectClose(t.dataSync(), [1.5, 3]);
    assert.throws(() => emaUpdate(new Map([['w', t]]), new Map(), 0.5), /no parameter w/);
    tf.dispose([t, s]);
  });
});
