/**
 * A pretraining step on tfjs-wasm, where lib/models runs on the fused wasm kernels (lib/engine/wasm-kernels): its
 * losses and student gradients equal those of the plain tfjs ops, and the data-parallel average over 2 wasm workers
 * equals the full-batch gradient. (The other pretraining tests run on the cpu backend, where the kernels are unused.)
 */
import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { fusedKernelsActive, setFusedKernels } from '../../lib/engine/wasm-kernels';
import { resolvePretrainConfig } from '../../lib/pretrain/config';
import { DataParallelRun } from '../../lib/pretrain/data-parallel';
import { PretrainRun } from '../../lib/pretrain/trainer';
import { tinyConfig, tinyImages } from './tiny';

function relError(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let d = 0, m = 0;
  for (let i = 0; i < x.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); m = Math.max(m, Math.abs(x[i])); }
  return d / (m || 1);
}

describe('pretraining on tfjs-wasm with the fused kernels', function () {
  this.timeout(120_000);
  const images = tinyImages(12);
  let previous = '';
  before(async function () {
    previous = tf.getBackend();
    try {
      require('@tensorflow/tfjs-backend-wasm');
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (!(await tf.setBackend('wasm'))) this.skip();
    } catch {
      this.skip();
    }
    await tf.ready();
  });
  after(async () => {
    setFusedKernels(true);
    if (previous) await tf.setBackend(previous);
  });

  it('a step\'s losses and student gradients equal those of the plain tfjs ops (drop-path and masks on)', () => {
    const grads = (fused: boolean) => {
      setFusedKernels(fused);
      assert.strictEqual(fusedKernelsActive(), fused);
      const run = new PretrainRun(tinyConfig, images);
      try {
        return run.stepGradients(0);
      } finally {
        run.dispose();
        setFusedKernels(true);
      }
    };
    const a = grads(true), b = grads(false);
    assert.deepStrictEqual([...a.grads.keys()], [...b.grads.keys()]);
    for (const [k, g] of a.grads) {
      const e = relError(b.grads.get(k)!, g);
      assert.ok(e < 1e-4, `${k} differs by ${e} (relative)`);
    }
    for (const k of ['dino', 'ibot', 'koleo', 'total'] as const) assert.ok(Math.abs(a.losses[k] - b.losses[k]) < 1e-5 * Math.max(1, Math.abs(b.losses[k])), k);
    tf.dispose([...a.grads.values(), ...b.grads.values()]);
  });

  it('2 data-parallel wasm workers average to the full-batch gradient; a step leaks nothing', async () => {
    const cfg = resolvePretrainConfig({
      ...tinyConfig, dino: { centering: 'sinkhorn_knopp', koleoLossWeight: 0 }, model: { ...tinyConfig.model, dropPathRate: 0 },
      ibot: { maskSampleProbability: 0.5 }, train: { workers: 2 },
    });
    const one = new PretrainRun(cfg, images);
    const dp = await DataParallelRun.create(cfg, images);
    try {
      const full = one.stepGradients(0);
      const avg = await dp.stepGradients(0);
      for (const [k, g] of full.grads) {
        const e = relError(g, avg.grads.get(k)!);
        assert.ok(e < 1e-5, `${k} differs by ${e} (relative)`);
      }
      tf.dispose([...full.grads.values(), ...avg.grads.values()]);
      await dp.trainStep();
      const before = tf.memory().numTensors;
      await dp.trainStep();
      assert.strictEqual(tf.memory().numTensors, before, 'trainStep leaks tensors');
    } finally {
      one.dispose();
      await dp.close();
    }
  });
});
