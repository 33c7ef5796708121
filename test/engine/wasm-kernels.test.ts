/**
 * The fused wasm kernels (lib/engine/wasm-kernels) against the plain tfjs ops they replace, on the wasm backend: values
 * and every input's gradient, on shapes with tails (rows not a multiple of 4, columns not a multiple of 8 or 4) and on
 * the pretraining shapes; no tensor leaks; the committed module is what kernels.as.ts compiles to.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import '../../lib/engine/gradients';
import { AdamW, clipByGlobalNorm } from '../../lib/engine/adamw';
import { fusedKernelsActive, setFusedKernels } from '../../lib/engine/wasm-kernels';
import { attention } from '../../lib/models/attention';
import { residual } from '../../lib/models/layer-scale';
import { gelu } from '../../lib/models/ops/gelu';
import { layerNorm } from '../../lib/models/ops/layer-norm';
import { linear, linearGelu } from '../../lib/models/ops/linear';
import { relErr, useBackend } from '../models/helpers';

const { compile, render } = require('../../scripts/build-wasm-kernels.js') as {
  compile(): Buffer; render(bytes: Buffer, hash: string): string;
};

/** Values and gradients (w.r.t. every input, under a fixed random weighting of the outputs) of f, fused or not. */
function run(fused: boolean, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): { y: Float32Array; grads: Float32Array[] } {
  setFusedKernels(fused);
  try {
    const y = tf.tidy(() => f(...inputs).dataSync() as Float32Array);
    const shape = tf.tidy(() => f(...inputs).shape);
    const r = tf.randomNormal(shape, 0, 1, 'float32', 7);
    const g = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)));
    const grads = g(inputs);
    const out = { y, grads: grads.map((t) => t.dataSync() as Float32Array) };
    tf.dispose([...grads, r]);
    return out;
  } finally {
    setFusedKernels(true);
  }
}

function kernelsOf(f: () => tf.Tensor): Promise<string[]> {
  return tf.profile(() => { f().dispose(); }).then((p) => p.kernels.map((k) => k.name).filter((n) => n)); // customGrad scopes are unnamed
}

function compare(what: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 1e-5): void {
  const a = run(true, f, inputs), b = run(false, f, inputs);
  assert.ok(relErr(a.y, b.y) < tol, `${what}: value differs by ${relErr(a.y, b.y)}`);
  a.grads.forEach((g, i) => assert.ok(relErr(g, b.grads[i]) < tol, `${what}: gradient ${i} differs by ${relErr(g, b.grads[i])}`));
}

const rnd = (shape: number[], seed: number, scale = 1) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);

describe('fused wasm kernels (lib/engine/wasm-kernels)', function () {
  this.timeout(60_000);
  let previous = '';
  before(async function () {
    previous = tf.getBackend();
    // useBackend loads tfjs-wasm once per process; an earlier test file may have switched the process to cpu since
    if ((await useBackend()) !== 'wasm' || !(await tf.setBackend('wasm'))) this.skip();
  });
  after(async () => {
    setFusedKernels(true);
    if (previous) await tf.setBackend(previous);
  });

  it('are active on the wasm backend and run as Raydino* kernels', async () => {
    assert.ok(fusedKernelsActive());
    const x = rnd([6, 8], 1), w = rnd([8, 5], 2), b = rnd([5], 3);
    const names = await kernelsOf(() => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D));
    assert.deepStrictEqual(names, ['RaydinoLinear']);
    setFusedKernels(false);
    assert.ok(!fusedKernelsActive());
    assert.ok(!(await kernelsOf(() => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D))).includes('RaydinoLinear'));
    setFusedKernels(true);
    tf.dispose([x, w, b]);
  });

  for (const [M, nin, nout] of [[37, 13, 22], [5, 96, 384], [1040, 96, 288], [3, 3, 1]]) {
    it(`linear and linear+GELU [${M}, ${nin}]·[${nin}, ${nout}]: values and dx, dW, db equal tfjs's`, () => {
      const x = rnd([M, nin], 1), w = rnd([nin, nout], 2, 0.3), b = rnd([nout], 3);
      compare('linear', (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), [x, w, b]);
      compare('linearGelu', (x, w, b) => linearGelu(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), [x, w, b]);
      tf.dispose([x, w, b]);
    });
  }

  it('GELU on 3-D and odd-sized tensors, including large |x|', () => {
    const x = tf.concat([tf.reshape(rnd([2, 7, 5], 4, 3), [70]), tf.tensor1d([-30, -9, -4, 0, 1e-8, 4, 9, 30])]);
    compare('gelu', (x) => gelu(x), [x], 2e-6);
    const y = rnd([2, 7, 5], 5);
    compare('gelu 3-D', (x) => gelu(x), [y], 2e-6);
    tf.dispose([x, y]);
  });

  for (const [M, D] of [[13, 7], [1040, 96]]) {
    it(`LayerNorm [${M}, ${D}]: values and dx, dγ, dβ equal tfjs's`, () => {
      const x = tf.add(rnd([M, D], 6, 2), 0.5), g = rnd([D], 7), b = rnd([D], 8);
      compare('layerNorm', (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-6), [x, g, b]);
      tf.dispose([x, g, b]);
    });
  }

  it('residual x + branch·γ: values and all three gradients', () => {
    const x = rnd([11, 6], 9), a = rnd([11, 6], 10), g = rnd([6], 11);
    compare('residual', (x, a, g) => residual(x as tf.Tensor2D, a as tf.Tensor2D, g as tf.Tensor1D, null), [x, a, g]);
    tf.dispose([x, a, g]);
  });

  for (const [B, N, H, hd] of [[3, 11, 2, 6], [2, 65, 3, 32], [4, 17, 3, 32], [1, 1, 1, 3]]) {
    it(`attention B ${B}, N ${N}, ${H} heads of ${hd}: output and gradients w.r.t. x and all four parameters`, () => {
      const D = H * hd;
      const x = rnd([B * N, D], 12), wqkv = rnd([D, 3 * D], 13, 0.4), bqkv = rnd([3 * D], 14), wproj = rnd([D, D], 15, 0.3), bproj = rnd([D], 16);
      compare('attention', (x, wqkv, bqkv, wproj, bproj) => attention(x as tf.Tensor2D,
        { wqkv: wqkv as tf.Tensor2D, bqkv: bqkv as tf.Tensor1D, wproj: wproj as tf.Tensor2D, bproj: bproj as tf.Tensor1D }, B, N, H).out,
      [x, wqkv, bqkv, wproj, bproj]);
      tf.dispose([x, wqkv, bqkv, wproj, bproj]);
    });
  }

  it('AdamW: the fused update gives the same bits as the tfjs ops over 3 steps; clipping norms agree', () => {
    const trajectory = (fused: boolean) => {
      setFusedKernels(fused);
      const p = tf.variable(rnd([37], 20)), q = tf.variable(rnd([4, 9], 21));
      const opt = new AdamW(new Map([['p', p], ['q', q]]));
      for (let s = 0; s < 3; s++) {
        const g = new Map([['p', rnd([37], 30 + s)], ['q', rnd([4, 9], 40 + s, 1e-3)]]);
        const { grads, norm } = clipByGlobalNorm(g, 2);
        opt.apply(grads, (k) => (k === 'p' ? 1e-2 : 3e-3) * (s + 1), (k) => (k === 'p' ? 0.04 : 0));
        tf.dispose([...g.values(), ...grads.values()]);
        if (s === 0) assert.ok(norm > 2, 'the test should clip');
      }
      const st = opt.state();
      const out = [p.dataSync(), q.dataSync(), st.m.get('p')!, st.v.get('q')!].map((a) => Array.from(a));
      opt.dispose(); p.dispose(); q.dispose();
      setFusedKernels(true);
      return out;
    };
    const a = trajectory(true), b = trajectory(false);
    // clipping sums squares in another order (norms equal to float rounding), so compare to 1e-6, then bit-exactness of
    // the update itself on one unclipped step
    a.forEach((x, i) => assert.ok(relErr(x, b[i]) < 1e-6, `AdamW state ${i} differs by ${relErr(x, b[i])}`));
    const once = (fused: boolean) => {
      setFusedKernels(fused);
      const p = tf.variable(rnd([37], 20));
      const opt = new AdamW(new Map([['p', p]]));
      const g = rnd([37], 30);
      opt.apply(new Map([['p', g]]), () => 1e-2, () => 0.04);
      const out = Array.from(p.dataSync());
      opt.dispose(); p.dispose(); g.dispose();
      setFusedKernels(true);
      return out;
    };
    assert.deepStrictEqual(once(true), once(false));
  });

  it('forward + backward leave no tensor behind', () => {
    const x = rnd([2 * 9, 12], 1), w = rnd([12, 36], 2), b = rnd([36], 3), wp = rnd([12, 12], 4), bp = rnd([12], 5), g = rnd([12], 6);
    const step = () => {
      const gr = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.tidy(() => {
        const h = layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, bp as tf.Tensor1D, 1e-6);
        const a = attention(h, { wqkv: w as tf.Tensor2D, bqkv: b as tf.Tensor1D, wproj: wp as tf.Tensor2D, bproj: bp as tf.Tensor1D }, 2, 9, 3).out;
        return tf.sum(residual(x as tf.Tensor2D, linearGelu(a, wp as tf.Tensor2D, bp as tf.Tensor1D), g as tf.Tensor1D, null));
      }))([x, w]);
      tf.dispose(gr);
    };
    step();
    const before = tf.memory().numTensors;
    step(); step();
    assert.strictEqual(tf.memory().numTensors, before);
    tf.dispose([x, w, b, wp, bp, g]);
  });

  it('kernels.wasm.ts is what kernels.as.ts compiles to (scripts/build-wasm-kernels.js), with no data segment', function () {
    this.timeout(120_000);
    const dir = path.join(__dirname, '..', '..', 'lib', 'engine', 'wasm-kernels');
    const hash = require('crypto').createHash('sha256').update(fs.readFileSync(path.join(dir, 'kernels.as.ts'))).digest('hex');
    const committed = fs.readFileSync(path.join(dir, 'kernels.wasm.ts'), 'utf8');
    assert.ok(committed.includes(hash), 'kernels.wasm.ts was compiled from another kernels.as.ts: run node scripts/build-wasm-kernels.js');
    assert.strictEqual(render(compile(), hash), committed, 'kernels.wasm.ts differs from a fresh compile');
  });
});
