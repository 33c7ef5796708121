import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { extractFeatures } from '../../lib/features/extract';
import { missingComponents, readEntry, readMeta, writeAtomic } from '../../lib/features/feature-cache';
import { randomProjectionEncoder } from '../../lib/features/random-projection-encoder';
import { counting, tinySamples, withBlocks } from './stand-ins';

describe('feature cache: one entry per key, blocks as components', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-fcache-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const enc = () => withBlocks(randomProjectionEncoder({ inputSize: 32, patchSize: 8, dim: 8, seed: 1 }));
  const opts = (extra: object = {}) => ({ split: 'train' as const, batchSize: 4, cacheDir: tmp, ...extra });

  it('adds missing blocks to a plain entry, then serves every later request without the encoder', async () => {
    const samples = tinySamples(20); // 16 train rows = 4 batches
    const e1 = counting(enc());
    const plain = await extractFeatures(e1, samples, opts());
    assert.strictEqual(e1.calls, 4);
    assert.strictEqual(plain.blocks, undefined);

    const e2 = enc();
    const withB = await extractFeatures(e2, samples, opts({ blocks: [3, 1] }));
    assert.strictEqual(withB.key, plain.key, 'same key with or without blocks');
    assert.deepStrictEqual(e2.asked, [[1, 3], [1, 3], [1, 3], [1, 3]], 'only the missing blocks are embedded');
    assert.deepStrictEqual(Array.from(withB.cls), Array.from(plain.cls));
    assert.deepStrictEqual([...withB.blocks!.keys()].sort(), [1, 3]);
    // block k = patches · (k+1)/4, stored as float16
    const p = plain.patches!, b3 = withB.blocks!.get(3)!;
    for (let j = 0; j < 64; j++) assert.ok(Math.abs(b3[j] - p[j]) < 2e-3, `block 3 [${j}]`);

    const e3 = enc();
    const more = await extractFeatures(e3, samples, opts({ blocks: [1, 2, 3] }));
    assert.deepStrictEqual(e3.asked, [[2], [2], [2], [2]], 'a further block: only that one');
    assert.deepStrictEqual([...more.blocks!.keys()].sort(), [1, 2, 3]);

    for (const extra of [{}, { blocks: [3] }, { blocks: [1, 2] }, { patches: false }]) {
      const e = counting(enc());
      const got = await extractFeatures(e, samples, opts(extra));
      assert.strictEqual(e.calls, 0, `served from the cache: ${JSON.stringify(extra)}`);
      assert.deepStrictEqual(Array.from(got.cls), Array.from(plain.cls));
      assert.deepStrictEqual(got.blocks ? [...got.blocks.keys()].sort() : [], (extra as { blocks?: number[] }).blocks?.sort() ?? [], 'returns the blocks asked for');
      assert.strictEqual(got.patches === undefined, (extra as { patches?: boolean }).patches === false);
    }
    assert.strictEqual(fs.readdirSync(tmp).length, 1, 'one entry folder');
    const meta = readMeta(plain.dir!)!;
    assert.deepStrictEqual(meta.files.blocks, { 1: 'block-1.npy', 2: 'block-2.npy', 3: 'block-3.npy' });
    assert.deepStrictEqual(missingComponents(meta, { patches: true, blocks: [0, 1] }), ['block-0']);
    assert.deepStrictEqual(missingComponents(undefined, { patches: true, blocks: [0] }), ['cls', 'patches', 'block-0']);
  });

  it('a blocks extraction serves a later plain request; patches added to a patch-less entry', async () => {
    const samples = tinySamples(10);
    await extractFeatures(enc(), samples, opts({ blocks: [0], patches: false }));
    const e = counting(enc());
    const plain = await extractFeatures(e, samples, opts({ patches: false }));
    assert.strictEqual(e.calls, 0);
    const e2 = counting(enc());
    const withP = await extractFeatures(e2, samples, opts());
    assert.strictEqual(e2.calls, 2, 'patches were missing: embedded once more');
    assert.deepStrictEqual(Array.from(withP.cls), Array.from(plain.cls));
    assert.strictEqual(withP.patches!.length, 8 * 16 * 8);
  });

  it('resumes an interrupted blocks extraction of an existing entry with the missing shards only', async () => {
    const samples = tinySamples(30); // 24 train rows = 6 batches
    await extractFeatures(enc(), samples, opts());
    const broken = counting(enc(), 2);
    await assert.rejects(extractFeatures(broken, samples, opts({ blocks: [2] })), /interrupted/);
    const resumed = counting(enc());
    const got = await extractFeatures(resumed, samples, opts({ blocks: [2] }));
    assert.strictEqual(resumed.calls, 4);
    const ref = await extractFeatures(enc(), samples, { ...opts({ blocks: [2] }), cacheDir: path.join(tmp, 'ref') });
    assert.deepStrictEqual(Array.from(got.blocks!.get(2)!), Array.from(ref.blocks!.get(2)!));
  });

  it('writeAtomic leaves no temporary file and replaces the target whole', () => {
    const f = path.join(tmp, 'x.json');
    writeAtomic(f, 'a');
    writeAtomic(f, 'bb');
    assert.strictEqual(fs.readFileSync(f, 'utf8'), 'bb');
    assert.deepStrictEqual(fs.readdirSync(tmp), ['x.json']);
  });

  it('names a corrupt meta.json', async () => {
    const samples = tinySamples(5);
    const a = await extractFeatures(enc(), samples, opts());
    fs.writeFileSync(path.join(a.dir!, 'meta.json'), '{ oops');
    await assert.rejects(extractFeatures(enc(), samples, opts()), /meta\.json: not valid JSON/);
  });

  it('an array whose bytes changed after writing (same size and shape) is never served: readEntry names it, extraction redoes the entry', async () => {
    const samples = tinySamples(10);
    const a = await extractFeatures(enc(), samples, opts({ blocks: [2] }));
    const meta = readMeta(a.dir!)!;
    assert.deepStrictEqual(Object.keys(meta.sha256!).sort(), ['block-2.npy', 'cls.npy', 'patches.npy']);
    const f = path.join(a.dir!, 'patches.npy');
    const bytes = fs.readFileSync(f);
    bytes[bytes.length - 3] ^= 0x40; // one float16 value, well inside the data
    fs.writeFileSync(f, bytes);
    assert.throws(() => readEntry(a.dir!), (err: Error) => err.message === `${f}: checksum does not match meta.json (the file changed after it was written); delete ${a.dir} to re-extract`);
    // the arrays still intact are served as they are
    const e0 = counting(enc());
    assert.deepStrictEqual(Array.from((await extractFeatures(e0, samples, opts({ patches: false }))).cls), Array.from(a.cls));
    assert.strictEqual(e0.calls, 0);
    const e = counting(enc());
    const notes: string[] = [];
    const orig = console.error;
    console.error = (m: string) => { notes.push(m); };
    let again;
    try { again = await extractFeatures(e, samples, opts()); } finally { console.error = orig; }
    assert.deepStrictEqual(notes, [`note: feature cache ${f} does not match its checksum: extracting ${a.dir} again`]);
    assert.ok(e.calls > 0);
    assert.deepStrictEqual(Array.from(again.patches!), Array.from(a.patches!));
    assert.deepStrictEqual(Object.keys(readMeta(a.dir!)!.sha256!).sort(), ['cls.npy', 'patches.npy']);
    assert.doesNotThrow(() => readEntry(a.dir!));
  });
});
