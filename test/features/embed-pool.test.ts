import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../lib/engine/backend';
import { createRng } from '../../lib/engine/rng';
import { autoWorkers, AUTO_WORKERS_MAX_DIM, AUTO_WORKERS_MIN_IMAGES, AUTO_WORKERS_MIN_IMAGES_LARGE, concatOutputs, createEmbedPool } from '../../lib/features/embed-pool';
import type { EncoderOutput } from '../../lib/features/encoder';
import { extractFeatures } from '../../lib/features/extract';
import { openEncoder } from '../../lib/features/open-encoder';
import { randomProjectionEncoder } from '../../lib/features/random-projection-encoder';
import { tinySamples } from './stand-ins';

describe('concatOutputs', () => {
  it('joins sub-batches along the batch axis, blocks included', () => {
    const part = (b: number, v: number): EncoderOutput => ({
      batch: b, dim: 2, gridH: 1, gridW: 1, cls: new Float32Array(2 * b).fill(v), patches: new Float32Array(2 * b).fill(v + 10),
      blocks: new Map([[0, new Float32Array(2 * b).fill(v + 20)]]),
    });
    const out = concatOutputs([part(2, 1), part(1, 2)]);
    assert.equal(out.batch, 3);
    assert.deepEqual(Array.from(out.cls), [1, 1, 1, 1, 2, 2]);
    assert.deepEqual(Array.from(out.patches), [11, 11, 11, 11, 12, 12]);
    assert.deepEqual(Array.from(out.blocks!.get(0)!), [21, 21, 21, 21, 22, 22]);
  });
});

describe('extraction in a worker pool', () => {
  let tmp: string;
  before(async () => { await initBackend(); });
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-fpool-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('2 workers give the same entry as this thread (random projection: bit-identical), with progress in order', async function () {
    this.timeout(60_000);
    const enc = randomProjectionEncoder({ inputSize: 32, patchSize: 8, dim: 8, seed: 1 });
    const samples = tinySamples(30); // 24 train rows, batches of 5 → 5 batches, sub-batches 3 + 2 (last: 2 + 2)
    const seen: number[] = [];
    const two = await extractFeatures(enc, samples, { split: 'train', batchSize: 5, cacheDir: path.join(tmp, 'two'), workers: 2, onProgress: (d) => seen.push(d) });
    const one = await extractFeatures(enc, samples, { split: 'train', batchSize: 5, cacheDir: path.join(tmp, 'one'), workers: 1 });
    assert.equal(two.key, one.key);
    assert.deepEqual(Array.from(two.cls), Array.from(one.cls));
    assert.deepEqual(Array.from(two.patches!), Array.from(one.patches!));
    assert.deepEqual(seen, [0, 5, 10, 15, 20, 24]);
  });

  it('an ONNX ViT in 2 single-thread workers matches one 2-thread session (CLS, patches, a block)', async function () {
    this.timeout(60_000);
    process.env.RAYDINO_ONNX_CACHE = path.join(tmp, 'onnx');
    try {
      const enc = await openEncoder('random:vit_nano:5', { inputSize: 32 });
      assert.equal(enc.recipe?.kind, 'onnx');
      const rng = createRng(2);
      const x = Float32Array.from({ length: 5 * 32 * 32 }, () => rng.normal());
      const pool = await createEmbedPool(enc, 2);
      const a = await pool.embed(x, 5, { blocks: [1] });
      await pool.close();
      const b = await enc.embed(x, 5, { blocks: [1] });
      await enc.dispose();
      assert.deepEqual([a.batch, a.gridH, a.dim], [5, 4, 96]);
      const close = (p: Float32Array, q: Float32Array) => p.every((v, i) => Math.abs(v - q[i]) <= 1e-5 * (1 + Math.abs(q[i])));
      assert.ok(close(a.cls, b.cls), 'cls');
      assert.ok(close(a.patches, b.patches), 'patches');
      assert.ok(close(a.blocks!.get(1)!, b.blocks!.get(1)!), 'block 1');
    } finally {
      delete process.env.RAYDINO_ONNX_CACHE;
    }
  });

  it('autoWorkers: 2 for ONNX models with work to share (small models: larger jobs), else 1; a recipe-less encoder cannot be pooled', async () => {
    const onnxLike = (dim: number) => ({ ...randomProjectionEncoder({ dim }), recipe: { kind: 'onnx' as const, options: { path: 'x.onnx' } } });
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const big = AUTO_WORKERS_MIN_IMAGES;
    assert.equal(autoWorkers(onnxLike(96), big), cores >= 2 ? 2 : 1);
    assert.equal(autoWorkers(onnxLike(AUTO_WORKERS_MAX_DIM), AUTO_WORKERS_MIN_IMAGES_LARGE), cores >= 2 ? 2 : 1, 'a wide model repays the pool sooner');
    assert.equal(autoWorkers(onnxLike(AUTO_WORKERS_MAX_DIM), AUTO_WORKERS_MIN_IMAGES_LARGE - 1), 1);
    assert.equal(autoWorkers(onnxLike(96), AUTO_WORKERS_MIN_IMAGES_LARGE), 1, 'a small model needs a larger job');
    assert.equal(autoWorkers({ ...onnxLike(96), dim: 0 }, AUTO_WORKERS_MIN_IMAGES_LARGE), cores >= 2 ? 2 : 1, 'width unknown (a user model): treated as wide');
    assert.equal(autoWorkers(onnxLike(96), big - 1), 1, 'a small job: not worth starting a pool');
    assert.equal(autoWorkers(randomProjectionEncoder({ dim: 8 }), big), 1);
    const { recipe: _r, ...bare } = randomProjectionEncoder({ dim: 8 });
    await assert.rejects(createEmbedPool(bare, 2), /has no recipe/);
  });
});
