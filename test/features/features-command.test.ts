import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { featuresCommand } from '../../lib/cli/commands/features';
import { realSetOrSkip } from '../data/helpers/real-set';

describe('raydino features', () => {
  it('extracts a split of a real manifest into the cache, and reuses it', async function () {
    realSetOrSkip(this, 'covid-chestxray');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-fcmd-'));
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => { lines.push(String(s)); };
    const env = process.env.RAYDINO_PROGRESS;
    process.env.RAYDINO_PROGRESS = 'off';
    try {
      const args = ['--encoder', 'randproj:16', '--manifest', 'covid-chestxray', '--out', out, '--split', 'val', '--json'];
      assert.strictEqual(await featuresCommand.run(args), 0);
      assert.strictEqual(await featuresCommand.run(args), 0);
      const pooled = [...args.slice(0, 5), path.join(out, 'pooled'), ...args.slice(6), '--workers', '2'];
      assert.strictEqual(await featuresCommand.run(pooled), 0);
    } finally {
      console.log = log;
      process.env.RAYDINO_PROGRESS = env;
    }
    const [a, b, c] = lines.map((l) => JSON.parse(l)[0]);
    assert.strictEqual(a.split, 'val');
    assert.strictEqual(a.dim, 16);
    assert.strictEqual(a.grid, '8x8');
    assert.strictEqual(b.key, a.key);
    for (const f of ['meta.json', 'cls.npy', 'patches.npy']) assert.ok(fs.existsSync(path.join(a.dir, f)), f);
    // --workers 2: same key, byte-identical arrays
    assert.strictEqual(c.key, a.key);
    for (const f of ['cls.npy', 'patches.npy']) assert.ok(fs.readFileSync(path.join(c.dir, f)).equals(fs.readFileSync(path.join(a.dir, f))), f);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('names a missing flag and a bad --workers', async () => {
    await assert.rejects(featuresCommand.run(['--encoder', 'randproj']), /missing --manifest/);
    await assert.rejects(featuresCommand.run(['--encoder', 'randproj', '--manifest', 'covid-chestxray', '--out', os.tmpdir(), '--workers', '0']), /invalid --workers: 0/);
  });
});
