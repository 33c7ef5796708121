/** Tmp leftovers of killed writers are swept; those of live writers, and fresh ones, are kept. */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSynthetic } from '../../lib/data/synthetic/load';
import { initBackend } from '../../lib/engine/backend';
import { processAlive, removeStaleTmp } from '../../lib/engine/stale-tmp';
import { exportedGraph } from '../../lib/features/vit-onnx-encoder';
import { ViT } from '../../lib/models/vit';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(r.stdout);
  assert.ok(pid > 0 && !processAlive(pid), `child ${pid} still alive`);
  return pid;
}

function age(p: string, minutes: number): void {
  const t = new Date(Date.now() - minutes * 60_000);
  fs.utimesSync(p, t, t);
}

describe('removeStaleTmp', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-tmp-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes old tmp entries of dead processes only', () => {
    const dead = deadPid();
    const mk = (name: string, minutes: number) => {
      const p = path.join(dir, name);
      fs.mkdirSync(p);
      fs.writeFileSync(path.join(p, 'x.npy'), 'x');
      age(p, minutes);
      return p;
    };
    const stale = mk(`abc.tmp-${dead}`, 30);
    mk(`abc.tmp-${dead}x`, 30);        // not the pattern
    mk(`fresh.tmp-${dead}`, 1);        // killed a minute ago, or a writer on another host still writing
    mk(`mine.tmp-${process.pid}`, 30); // this process
    mk(`parent.tmp-${process.ppid}`, 30); // a live process
    const removed = removeStaleTmp(dir, /\.tmp-(\d+)$/);
    assert.ok(removed.includes(stale));
    assert.ok(!fs.existsSync(stale));
    for (const n of [`abc.tmp-${dead}x`, `fresh.tmp-${dead}`, `mine.tmp-${process.pid}`, `parent.tmp-${process.ppid}`]) assert.ok(fs.existsSync(path.join(dir, n)), n);
    assert.deepEqual(removeStaleTmp(path.join(dir, 'missing'), /\.tmp-(\d+)$/), []);
  });

  it('loadSynthetic sweeps the folders killed generations left in its cache', async () => {
    const p = path.join(dir, `0123456789abcdef.tmp-${deadPid()}`);
    fs.mkdirSync(p);
    fs.writeFileSync(path.join(p, 'images-000.npy'), 'partial');
    age(p, 30);
    const ds = await loadSynthetic({ variant: 'cxr', n: 20, size: 32, seed: 1, cacheDir: dir });
    assert.equal(ds.table.numRows(), 20);
    assert.equal(fs.existsSync(p), false);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  });

  it('an ONNX export sweeps the files killed exports left in its cache', async () => {
    await initBackend();
    const p = path.join(dir, `tiny-16-0123.onnx.${deadPid()}.tmp`);
    fs.writeFileSync(p, 'partial');
    age(p, 30);
    const vit = new ViT({ name: 'tiny', imgSize: 16, patchSize: 8, inChans: 1, dim: 8, depth: 1, heads: 2, mlpHidden: 16 }, 0);
    try {
      assert.ok(fs.existsSync(exportedGraph(vit, { cacheDir: dir })));
    } finally {
      vit.dispose();
    }
    assert.equal(fs.existsSync(p), false);
  });
});
