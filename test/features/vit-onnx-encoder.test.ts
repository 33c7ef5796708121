import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../lib/engine/backend';
import { createRng } from '../../lib/engine/rng';
import { openEncoder } from '../../lib/features/open-encoder';
import { createTfjsEncoder } from '../../lib/features/tfjs-encoder';
import { createViT } from '../../lib/models/registry';
import { exportedGraph, exporterFingerprint } from '../../lib/features/vit-onnx-encoder';

function maxRel(a: Float32Array, b: Float32Array): number {
  let err = 0, scale = 0;
  for (let i = 0; i < a.length; i++) { err = Math.max(err, Math.abs(a[i] - b[i])); scale = Math.max(scale, Math.abs(b[i])); }
  return err / scale;
}

describe('openEncoder on our ViTs (ONNX Runtime by default)', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-onnx-'));
  before(async () => { await initBackend(); process.env.RAYDINO_ONNX_CACHE = cache; });
  after(() => { delete process.env.RAYDINO_ONNX_CACHE; fs.rmSync(cache, { recursive: true, force: true }); });

  it('random:vit_nano runs on ORT, equals the tfjs model to 1e-4 (CLS, patches, a block), and caches the export', async () => {
    const onnx = await openEncoder('random:vit_nano:3', { inputSize: 64 });
    const vit = createViT('vit_nano', {}, 3);
    const ref = createTfjsEncoder(vit, { inputSize: 64 });
    const rng = createRng(1);
    const x = Float32Array.from({ length: 2 * 1 * 64 * 64 }, () => rng.normal());
    const a = await onnx.embed(x, 2, { blocks: [1] });
    const b = await ref.embed(x, 2, { blocks: [1] });
    assert.equal(onnx.id.length, 64);
    assert.deepEqual([a.gridH, a.gridW, a.dim], [8, 8, 96]);
    assert.ok(maxRel(a.cls, b.cls) < 1e-4, `cls ${maxRel(a.cls, b.cls)}`);
    assert.ok(maxRel(a.patches, b.patches) < 1e-4, `patches ${maxRel(a.patches, b.patches)}`);
    assert.ok(maxRel(a.blocks!.get(1)!, b.blocks!.get(1)!) < 1e-4, 'block 1');
    const files = fs.readdirSync(cache).filter((f) => f.endsWith('.onnx'));
    assert.equal(files.length, 1);
    // same weights and size: the cached graph is reused, and the encoder identity is stable
    assert.equal(exportedGraph(vit, { inputSize: 64, cacheDir: cache }), path.join(cache, files[0]));
    const again = await openEncoder('random:vit_nano:3', { inputSize: 64 });
    assert.equal(again.id, onnx.id);
    const other = await openEncoder('random:vit_nano:4', { inputSize: 64 });
    assert.notEqual(other.id, onnx.id);
    await Promise.all([onnx.dispose(), again.dispose(), other.dispose(), ref.dispose()]);
  });
});

describe('exporterFingerprint', () => {
  before(async () => { await initBackend(); });
  it('is a stable sha256 of the exporter output on a fixed tiny ViT (a changed exporter changes cached-graph keys)', () => {
    const a = exporterFingerprint();
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(exporterFingerprint(), a);
  });
});
