/** lib/models/forward-worker.ts under the engine's WorkerPool: same outputs as the in-process model. */
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'assert';
import * as path from 'path';
import { WorkerPool } from '../../lib/engine/worker-pool';
import type { ForwardResult } from '../../lib/models/forward-worker';
import { modelConfig } from '../../lib/models/registry';
import { ViT } from '../../lib/models/vit';
import { assertBelow, FIXTURES, reference, relErr, useBackend } from './helpers';

describe('forward-worker', () => {
  before(async () => { await useBackend(); });

  it('two workers with a random-init config reproduce the in-process forward', async function () {
    this.timeout(120000);
    const config = modelConfig('vit_nano', { depth: 2 });
    const pool = new WorkerPool({ module: path.join(__dirname, '..', '..', 'lib', 'models', 'forward-worker.ts'), size: 2, backend: 'wasm', workerData: { config, seed: 3 } });
    try {
      const px = Float32Array.from({ length: 4 * 64 * 64 }, (_, i) => Math.cos(i * 0.01));
      const halves = await Promise.all([0, 1].map((w) => pool.run<ForwardResult>({ pixels: px.slice(w * 2 * 4096, (w + 1) * 2 * 4096), shape: [2, 1, 64, 64], blocks: [0] })));
      const vit = new ViT(config, 3);
      const o = vit.forward(tf.tensor4d(px, [4, 1, 64, 64]), { returnBlocks: [0] });
      const cls = o.cls.dataSync();
      assertBelow(relErr(halves[0].cls, cls.slice(0, 2 * 96)), 1e-6, 'worker 0 cls');
      assertBelow(relErr(halves[1].cls, cls.slice(2 * 96)), 1e-6, 'worker 1 cls');
      assert.equal(halves[1].blocks![0].length, 2 * 64 * 96);
      tf.dispose([o.cls, o.patches, ...o.blocks!]);
      vit.dispose();
    } finally {
      await pool.close();
    }
  });

  it('loads weights from a file given in workerData', async function () {
    this.timeout(120000);
    const pool = new WorkerPool({ module: path.join(__dirname, '..', '..', 'lib', 'models', 'forward-worker.ts'), size: 1, backend: 'wasm',
      workerData: { weights: path.join(FIXTURES, 'B_dinov2.safetensors'), heads: 4 } });
    try {
      const x = reference('B/80x80/x');
      const r = await pool.run<ForwardResult>({ pixels: x.data.slice(), shape: x.shape as [number, number, number, number] });
      assertBelow(relErr(r.cls, reference('B/80x80/dinov2/cls').data), 1e-4, 'cls');
    } finally {
      await pool.close();
    }
  });
});
