/**
 * loadSynthetic: the SampleTable contract, patient-level splits, the on-disk cache, masks re-derived from specs.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRng } from '../../../lib/engine/rng';
import { cobbFromLandmarks } from '../../../lib/data/synthetic/cobb';
import { loadSynthetic, maskClassesFor } from '../../../lib/data/synthetic/load';
import { resolveSyntheticOptions } from '../../../lib/data/synthetic/options';
import { generatePhantom } from '../../../lib/data/synthetic/phantom';
import { buildPlan, planSpecs } from '../../../lib/data/synthetic/plan';

describe('loadSynthetic', () => {
  let cacheDir: string;
  before(() => { cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-synth-')); });
  after(() => { fs.rmSync(cacheDir, { recursive: true, force: true }); });

  const opts = () => ({ variant: 'cxr' as const, n: 300, size: 64, seed: 3, cacheDir, populations: { popA: 0.6, popB: 0.4 } });

  it('returns the SampleTable contract with 1/0 labels', async () => {
    const ds = await loadSynthetic(opts());
    const t = ds.table;
    assert.equal(t.numRows(), 300);
    for (const c of ['id', 'path', 'patient', 'study', 'view', 'sex', 'age', 'age_bin', 'population', 'split', 'width', 'height', ...ds.labelNames]) {
      assert.ok(t.columnNames().includes(c), `column ${c}`);
    }
    assert.equal(ds.dataset, 'synthetic-cxr');
    const rows = t.objects() as Record<string, unknown>[];
    assert.equal(new Set(rows.map((r) => r.id)).size, 300);
    for (const r of rows) {
      assert.equal(r.path, null);
      assert.ok(r.sex === 'F' || r.sex === 'M');
      assert.ok(['Young', 'Middle', 'Elder'].includes(r.age_bin as string));
      assert.ok(r.population === 'popA' || r.population === 'popB');
      for (const l of ds.labelNames) assert.ok(r[l] === 0 || r[l] === 1, `${l}=${r[l]}`);
    }
    assert.ok(rows.some((r) => r.population === 'popB') && rows.some((r) => r.population === 'popA'));
  });

  it('splits by patient (80/10/10) with several studies for some patients', async () => {
    const ds = await loadSynthetic(opts());
    const rows = ds.table.objects() as { patient: string; split: string }[];
    const splitOf = new Map<string, string>();
    for (const r of rows) {
      const s = splitOf.get(r.patient);
      assert.ok(s === undefined || s === r.split, `patient ${r.patient} in two splits`);
      splitOf.set(r.patient, r.split);
    }
    assert.ok(splitOf.size < rows.length, 'some patients have follow-up studies');
    const frac = (s: string) => [...splitOf.values()].filter((x) => x === s).length / splitOf.size;
    assert.ok(Math.abs(frac('train') - 0.8) < 0.02 && Math.abs(frac('val') - 0.1) < 0.02);
  });

  it('caches to disk and reloads the same bytes; images equal generatePhantom of the planned spec', async () => {
    const a = await loadSynthetic(opts());
    const dirs = fs.readdirSync(cacheDir);
    const metaFile = path.join(cacheDir, dirs[0], 'meta.json');
    const mtime = fs.statSync(metaFile).mtimeMs;
    const b = await loadSynthetic(opts());
    assert.equal(fs.statSync(metaFile).mtimeMs, mtime, 'second load reads the cache');
    const id = a.table.get('id', 17) as string;
    const ia = await a.loadImage(id), ib = await b.loadImage(id);
    assert.deepEqual(ia.data, ib.data);
    const o = resolveSyntheticOptions(opts());
    const specs = planSpecs(o, buildPlan(o));
    const direct = generatePhantom(specs[17], createRng(specs[17].seed), { size: 64, masks: false });
    for (let i = 0; i < ia.data.length; i++) assert.ok(Math.abs(ia.data[i] - direct.image.data[i]) < 1e-6);
    assert.equal(specs[17].labels.Effusion, a.table.get('Effusion', 17));
    await assert.rejects(() => a.loadImage('nope'), /unknown sample id nope/);
  });

  it('refuses a cached shard whose bytes changed after writing, naming the file and the folder to delete', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-synth-sum-'));
    try {
      const o = { variant: 'cxr' as const, n: 12, size: 32, seed: 5, cacheDir: dir };
      const a = await loadSynthetic(o);
      const id = a.table.get('id', 3) as string;
      const before = await a.loadImage(id);
      const [key] = fs.readdirSync(dir);
      const shard = path.join(dir, key, 'images-000.npy');
      const bytes = fs.readFileSync(shard);
      bytes[bytes.length - 100] ^= 0x10;
      fs.writeFileSync(shard, bytes);
      const b = await loadSynthetic(o);
      await assert.rejects(() => b.loadImage(id), (e: Error) => e.message === `${shard}: checksum does not match meta.json (the file changed after it was written); delete ${path.join(dir, key)} to regenerate`);
      fs.rmSync(path.join(dir, key), { recursive: true });
      assert.deepEqual((await (await loadSynthetic(o)).loadImage(id)).data, before.data);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a different dataset for a different seed', async () => {
    const a = await loadSynthetic(opts());
    const b = await loadSynthetic({ ...opts(), seed: 4 });
    const x = await a.loadImage(a.table.get('id', 0) as string), y = await b.loadImage(b.table.get('id', 0) as string);
    let d = 0;
    for (let i = 0; i < x.data.length; i++) d += Math.abs(x.data[i] - y.data[i]);
    assert.ok(d / x.data.length > 0.01);
  });

  it('lists boxes inside the images and re-derives masks', async () => {
    const ds = await loadSynthetic(opts());
    assert.ok(ds.boxes && ds.boxes.length > 20);
    const ids = new Set(ds.table.array('id') as string[]);
    for (const b of ds.boxes!) {
      assert.ok(ids.has(b.id));
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= 64 && b.y + b.h <= 64);
    }
    const masks = await ds.loadMasks!(ds.table.get('id', 5) as string);
    assert.equal(masks.length, maskClassesFor('cxr').length);
    assert.deepEqual(ds.maskClasses, maskClassesFor('cxr'));
    const lung = masks[ds.maskClasses!.indexOf('right_lung')]!;
    assert.equal(lung.length, 64 * 64);
    assert.ok(lung.reduce((s, v) => s + v, 0) > 200);
  });

  it('loads the covid3 (class column) and spine (Cobb targets + landmarks) variants', async () => {
    const cov = await loadSynthetic({ variant: 'covid3', n: 60, size: 64, seed: 1, cacheDir });
    assert.deepEqual(cov.classNames, ['Normal', 'Pneumonia', 'COVID-19']);
    for (const r of cov.table.objects() as Record<string, number>[]) assert.equal(r[cov.classNames![r.class]], 1);
    const sp = await loadSynthetic({ variant: 'spine', n: 40, size: 64, seed: 1, cacheDir });
    assert.deepEqual(sp.targetNames, ['cobb_pt', 'cobb_mt', 'cobb_tl']);
    assert.equal(sp.maskClasses!.length, 17);
    for (const r of sp.table.objects() as Record<string, unknown>[]) {
      const c = cobbFromLandmarks(r.landmarks as number[]);
      assert.ok(Math.abs(c.mt - (r.cobb_mt as number)) < 1e-6);
    }
  });

  it('rejects bad options naming the field', async () => {
    await assert.rejects(() => loadSynthetic({ n: 10, size: 8, cacheDir }), /size/);
  });
});
