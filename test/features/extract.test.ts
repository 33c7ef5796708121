import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { extractFeatures } from '../../lib/features/extract';
import { randomProjectionEncoder } from '../../lib/features/random-projection-encoder';
import { counting, tinySamples } from './stand-ins';

describe('extractFeatures', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-feat-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const enc = () => randomProjectionEncoder({ inputSize: 32, patchSize: 8, dim: 8, seed: 1 });

  it('extracts CLS [N,D] and patches [N,T,D] once, then serves them from the cache', async () => {
    const samples = tinySamples(20);
    const e1 = counting(enc());
    const a = await extractFeatures(e1, samples, { split: 'train', batchSize: 4, cacheDir: tmp });
    assert.strictEqual(a.n, 16);
    assert.deepStrictEqual([a.dim, a.gridH, a.gridW], [8, 4, 4]);
    assert.strictEqual(a.cls.length, 16 * 8);
    assert.strictEqual(a.patches?.length, 16 * 16 * 8);
    assert.deepStrictEqual(a.ids.slice(0, 3), ['img001', 'img002', 'img003']);
    assert.strictEqual(e1.samples, 16);
    const e2 = counting(enc());
    const b = await extractFeatures(e2, samples, { split: 'train', batchSize: 4, cacheDir: tmp });
    assert.strictEqual(e2.calls, 0, 'second call must come from the cache');
    assert.deepStrictEqual(Array.from(b.cls), Array.from(a.cls));
    // the cached values are the encoder's (patches through float16)
    const direct = await enc().embed(await (await import('../../lib/data/preprocess')).loadBatch(samples, ['img001'], enc()), 1);
    for (let j = 0; j < 8; j++) assert.ok(Math.abs(a.cls[j] - direct.cls[j]) < 1e-6);
    for (let j = 0; j < 16 * 8; j++) assert.ok(Math.abs(a.patches![j] - direct.patches[j]) < 1e-3);
  });

  it('never serves stale features: each changed input changes the key', async () => {
    const base = await extractFeatures(enc(), tinySamples(10), { split: 'train', batchSize: 4, cacheDir: tmp });
    const variants: [string, () => Promise<{ key: string }>][] = [
      ['one pixel of one image', () => extractFeatures(enc(), tinySamples(10, { bump: 'img006' }), { split: 'train', batchSize: 4, cacheDir: tmp })],
      ['encoder weights', () => extractFeatures(randomProjectionEncoder({ inputSize: 32, patchSize: 8, dim: 8, seed: 2 }), tinySamples(10), { split: 'train', batchSize: 4, cacheDir: tmp })],
      ['normalisation', () => extractFeatures({ ...enc(), mean: [0.4] }, tinySamples(10), { split: 'train', batchSize: 4, cacheDir: tmp })],
      ['split', () => extractFeatures(enc(), tinySamples(10), { split: 'val', batchSize: 4, cacheDir: tmp })],
      ['sample ids', () => extractFeatures(enc(), tinySamples(12), { split: 'train', batchSize: 4, cacheDir: tmp })],
      ['dataset key', () => extractFeatures(enc(), tinySamples(10), { split: 'train', batchSize: 4, cacheDir: tmp, datasetKey: 'gen:v2' })],
    ];
    const keys = new Set([base.key]);
    for (const [what, run] of variants) {
      const v = await run();
      assert.ok(!keys.has(v.key), `changing ${what} reused a cache key`);
      keys.add(v.key);
    }
    const changed = await extractFeatures(enc(), tinySamples(10, { bump: 'img006' }), { split: 'train', batchSize: 4, cacheDir: tmp });
    const row = changed.ids.indexOf('img006');
    let diff = 0;
    for (let j = 0; j < 8; j++) diff += Math.abs(changed.cls[row * 8 + j] - base.cls[row * 8 + j]);
    assert.ok(diff > 0, 'the changed image has new features');
  });

  it('resumes an interrupted extraction at the first missing batch', async () => {
    const samples = tinySamples(30);
    const ref = await extractFeatures(enc(), samples, { split: 'train', batchSize: 5, cacheDir: path.join(tmp, 'ref') });
    const broken = counting(enc(), 2);
    await assert.rejects(extractFeatures(broken, samples, { split: 'train', batchSize: 5, cacheDir: tmp }), /interrupted/);
    const dir = fs.readdirSync(tmp).find((d) => d !== 'ref') as string;
    assert.ok(!fs.existsSync(path.join(tmp, dir, 'meta.json')), 'an interrupted entry is not complete');
    const resumed = counting(enc());
    const got = await extractFeatures(resumed, samples, { split: 'train', batchSize: 5, cacheDir: tmp });
    assert.strictEqual(resumed.samples, 24 - 10, 'only the batches not yet written are embedded');
    assert.deepStrictEqual(Array.from(got.cls), Array.from(ref.cls));
    assert.deepStrictEqual(Array.from(got.patches!), Array.from(ref.patches!));
    assert.ok(!fs.existsSync(path.join(tmp, dir, 'shards')), 'shards removed once complete');
  });

  it('writes a layout numpy reads (np.load of cls.npy / patches.npy, ids in meta.json)', async function () {
    const fsSet = await extractFeatures(enc(), tinySamples(10), { split: 'train', batchSize: 3, cacheDir: tmp });
    const py = spawnSync('/usr/bin/python3', ['-c', [
      'import json,sys,numpy as np', `d=sys.argv[1]`, `m=json.load(open(d+"/meta.json"))`,
      `c=np.load(d+"/cls.npy"); p=np.load(d+"/patches.npy")`,
      `print(json.dumps([list(c.shape), str(c.dtype), list(p.shape), str(p.dtype), len(m["ids"]), float(c[1,2]), float(p[2,3,4])]))`,
    ].join('\n'), fsSet.dir as string], { encoding: 'utf8' });
    if (py.status !== 0) { if (/No module named/.test(py.stderr)) this.skip(); throw new Error(py.stderr); }
    const [cs, cd, ps, pd, nIds, c12, p234] = JSON.parse(py.stdout);
    assert.deepStrictEqual([cs, cd, ps, pd, nIds], [[8, 8], 'float32', [8, 16, 8], 'float16', 8]);
    assert.strictEqual(c12, fsSet.cls[1 * 8 + 2]);
    assert.strictEqual(p234, fsSet.patches![(2 * 16 + 3) * 8 + 4]);
  });

  it('refuses a NaN pixel naming the sample, before anything is embedded', async () => {
    const samples = tinySamples(4);
    const load = samples.loadImage.bind(samples);
    samples.loadImage = async (id) => {
      const img = await load(id);
      if (id === 'img002') img.data[40] = NaN;
      return img;
    };
    const e = counting(enc());
    await assert.rejects(extractFeatures(e, samples, { batchSize: 4, cacheDir: tmp, workers: 1 }), /tiny: sample img002: pixel row 1, column 8 is NaN/);
    assert.strictEqual(e.samples, 0);
  });

  it('names the problem on bad input', async () => {
    await assert.rejects(extractFeatures(enc(), tinySamples(3, { splitOf: () => 'train' }), { split: 'test', batchSize: 2, cacheDir: tmp }), /no samples in split test/);
    await assert.rejects(extractFeatures({ ...enc(), embed: async () => ({ batch: 1, dim: 8, gridH: 4, gridW: 4, cls: new Float32Array(8), patches: new Float32Array(128) }) }, tinySamples(5), { batchSize: 2, cacheDir: tmp }), /returned batch 1 × dim 8, expected 2 × 8/);
  });
});
