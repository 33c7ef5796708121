import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockPath, withEntryLock } from '../../lib/features/entry-lock';
import { extractFeatures } from '../../lib/features/extract';
import { randomProjectionEncoder } from '../../lib/features/random-projection-encoder';
import { counting, tinySamples } from './stand-ins';

function runChild(cacheDir: string, delayMs: number): Promise<{ calls: number; key: string; cls: number[]; patches: number[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'extract-child.ts'), cacheDir, String(delayMs)],
      { cwd: path.join(__dirname, '..', '..'), env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('feature cache under concurrency (entry lock + atomic renames)', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-flock-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const enc = () => randomProjectionEncoder({ inputSize: 32, patchSize: 8, dim: 8, seed: 1 });

  it('two processes extracting the same key: the work is done once, both get the single-run result', async function () {
    this.timeout(60_000);
    const [a, b] = await Promise.all([runChild(tmp, 60), runChild(tmp, 60)]);
    const ref = await extractFeatures(enc(), tinySamples(30), { split: 'train', batchSize: 4, cacheDir: path.join(tmp, 'ref') });
    assert.strictEqual(a.key, ref.key);
    assert.strictEqual(b.key, ref.key);
    assert.strictEqual(a.calls + b.calls, 6, `6 batches embedded in all (got ${a.calls} + ${b.calls})`);
    assert.deepStrictEqual(a.cls, Array.from(ref.cls));
    assert.deepStrictEqual(b.cls, Array.from(ref.cls));
    assert.deepStrictEqual(b.patches, Array.from(ref.patches!.subarray(0, 64)));
    const entry = path.join(tmp, ref.key);
    assert.deepStrictEqual(fs.readdirSync(entry).sort(), ['cls.npy', 'meta.json', 'patches.npy'], 'no lock, shard or temporary file left');
  });

  it('two extractions of one key in one process: the second waits and reads the first one\'s entry', async () => {
    const e1 = counting(enc()), e2 = counting(enc());
    const o = { split: 'train' as const, batchSize: 4, cacheDir: tmp };
    const [a, b] = await Promise.all([extractFeatures(e1, tinySamples(20), o), extractFeatures(e2, tinySamples(20), o)]);
    assert.strictEqual(e1.calls + e2.calls, 4);
    assert.deepStrictEqual(Array.from(a.cls), Array.from(b.cls));
  });

  it('takes over a lock whose process is gone, and one not refreshed for staleMs', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const dir = path.join(tmp, 'entry');
    fs.mkdirSync(dir);
    fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), created: 0 }));
    assert.strictEqual(await withEntryLock(dir, async () => 'ran'), 'ran');
    assert.ok(!fs.existsSync(lockPath(dir)), 'released');
    // a live holder (this process) that stopped refreshing: taken over after staleMs
    fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: process.pid, host: os.hostname(), created: 0 }));
    const old = new Date(Date.now() - 5_000);
    fs.utimesSync(lockPath(dir), old, old);
    assert.strictEqual(await withEntryLock(dir, async () => 'ran', { staleMs: 1_000 }), 'ran');
  });

  it('waits for a live holder, then runs', async () => {
    const dir = path.join(tmp, 'entry');
    const order: string[] = [];
    let waitedFor: number | undefined;
    const first = withEntryLock(dir, async (lock) => {
      order.push('first:start');
      await new Promise((r) => setTimeout(r, 300));
      lock.touch();
      order.push('first:end');
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = withEntryLock(dir, async () => { order.push('second'); }, { pollMs: 20, onWait: (h) => { waitedFor = h.pid; } });
    await Promise.all([first, second]);
    assert.deepStrictEqual(order, ['first:start', 'first:end', 'second']);
    assert.strictEqual(waitedFor, process.pid);
  });
});
