import { strict as assert } from 'assert';
import * as path from 'path';
import { WorkerPool } from '../../lib/engine/worker-pool';

const ECHO = path.join(__dirname, 'fixtures', 'echo-worker.ts');
const BAD_INIT = path.join(__dirname, 'fixtures', 'bad-init-worker.ts');

describe('WorkerPool', () => {
  let pool: WorkerPool;
  before(() => { pool = new WorkerPool({ module: ECHO, size: 2, backend: 'wasm', workerData: { tag: 'w' } }); });
  after(() => pool.close());

  it('starts every worker with its own wasm backend', async () => {
    const infos = await pool.ready();
    assert.deepEqual(infos.map((i) => i.name), ['wasm', 'wasm']);
    const r = await pool.broadcast<number>({ hello: 1 });
    assert.deepEqual(r, [0, 1]);
    const b = await pool.run<{ name: string; info: string; workerData: unknown }>({ op: 'backend' });
    assert.deepEqual(b, { name: 'wasm', info: 'wasm', workerData: { tag: 'w' } });
  });

  it('map returns results in task order, init ran once per worker', async () => {
    const r = await pool.map<{ x: number; initialised: number }>([1, 2, 3, 4, 5].map((x) => ({ op: 'square', x })));
    assert.deepEqual(r.map((o) => o.x), [1, 4, 9, 16, 25]);
    assert.ok(r.every((o) => o.initialised === 1));
  });

  it('spreads work over both workers', async () => {
    const who = await pool.map<number>([0, 1, 2, 3].map(() => ({ op: 'sleep', x: 60 })));
    assert.deepEqual([...new Set(who)].sort(), [0, 1]);
  });

  it('rejects with the worker error, its stack and the caller', async () => {
    await assert.rejects(pool.run({ op: 'throw', x: 7 }), (e: Error) => {
      assert.equal(e.name, 'TypeError');
      assert.equal(e.message, 'bad task 7');
      assert.match(e.stack!, /echo-worker\.ts:\d+/);
      assert.match(e.stack!, /--- in worker \d \(echo-worker\.ts\) ---/);
      assert.match(e.stack!, /worker-pool\.test\.ts/);
      return true;
    });
  });

  it('transfers buffers returned with withTransfer', async () => {
    const a = await pool.run<Float32Array>({ op: 'buffer', n: 3 });
    assert.ok(a instanceof Float32Array);
    assert.equal(a.length, 3);
    assert.ok(a[0] === 1 || a[0] === 2);
  });

  it('broadcast reaches every worker once', async () => {
    await pool.broadcast('x');
    const seen = await pool.broadcast<number>('y');
    assert.deepEqual(seen, [0, 1]);
  });

  it('replaces a crashed worker and keeps serving', async () => {
    await assert.rejects(pool.run({ op: 'crash' }), /exited with code 3/);
    const r = await pool.map<{ x: number }>([{ op: 'square', x: 5 }, { op: 'square', x: 6 }, { op: 'square', x: 7 }]);
    assert.deepEqual(r.map((o) => o.x), [25, 36, 49]);
  });

  it('a failing init rejects ready() and every task with the init error', async () => {
    const bad = new WorkerPool({ module: BAD_INIT, size: 1 });
    await assert.rejects(bad.ready(), /init exploded/);
    await assert.rejects(bad.run({}), /init exploded/);
    await bad.close();
  });

  it('rejects relative module paths and bad sizes', () => {
    assert.throws(() => new WorkerPool({ module: 'x.js' }), /absolute path/);
    assert.throws(() => new WorkerPool({ module: ECHO, size: 0 }), /invalid size: 0/);
  });

  it('rejects tasks after close', async () => {
    const p = new WorkerPool({ module: ECHO, size: 1 });
    await p.close();
    await assert.rejects(p.run({ op: 'square', x: 1 }), /closed/);
  });
});

describe('WorkerPool lifetime', () => {
  it('a script that forgets close() still finishes its work and exits', function () {
    this.timeout(60000);
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const script = path.join(__dirname, 'fixtures', 'forgetful-script.ts');
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script], { encoding: 'utf8', timeout: 30000, cwd: path.join(__dirname, '..', '..') });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '[4,9]');
  });
});
