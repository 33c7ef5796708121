import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { benchMatmul, benchWorkerScaling, matmulFlops } from '../../lib/bench/engine';
import { initBackend } from '../../lib/engine/backend';

describe('engine bench', function () {
  this.timeout(60000);
  before(() => initBackend());

  it('matmulFlops counts multiply-adds as 2', () => assert.equal(matmulFlops(512), 2 * 512 ** 3));

  it('benchMatmul measures each size and does not leak', async () => {
    const before = tf.memory().numTensors;
    const rows = await benchMatmul([64, 128], 2);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(rows.map((r) => r.size), [64, 128]);
    for (const r of rows) assert.ok(r.seconds > 0 && Math.abs(r.gflops - (2 * matmulFlops(r.size)) / r.seconds / 1e9) < 1e-9);
  });

  it('benchWorkerScaling runs the same work on each pool size', async () => {
    const rows = await benchWorkerScaling({ workers: [1, 2], tasks: 4, size: 128 });
    assert.deepEqual(rows.map((r) => [r.workers, r.tasks, r.size]), [[1, 4, 128], [2, 4, 128]]);
    assert.equal(rows[0].speedup, 1);
    assert.ok(Math.abs(rows[1].speedup - rows[0].seconds / rows[1].seconds) < 1e-12);
  });
});
