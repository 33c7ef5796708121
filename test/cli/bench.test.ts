import { strict as assert } from 'assert';
import { benchCommand } from '../../lib/cli/commands/bench';
import { benchSections, runBench } from '../../lib/bench';

describe('raydino bench', function () {
  this.timeout(120000);

  it('--json --only engine prints one JSON object with real measurements', async () => {
    const write = process.stdout.write.bind(process.stdout);
    let out = '';
    (process.stdout as { write: unknown }).write = (s: string) => { out += s; return true; };
    let code: number;
    try { code = await benchCommand.run(['--json', '--only', 'engine', '--quick']); } finally { process.stdout.write = write; }
    assert.equal(code, 0);
    const r = JSON.parse(out);
    assert.deepEqual(Object.keys(r), ['engine']);
    const e = r.engine;
    assert.equal(e.backend, 'wasm');
    for (const k of ['matmul512_gflops', 'matmul1024_gflops', 'workers1_seconds', 'workers2_seconds', 'worker_speedup']) {
      assert.equal(typeof e[k], 'number', k);
      assert.ok(e[k] > 0, `${k}=${e[k]}`);
    }
    // Speed targets live in `raydino bench`, not in tests: only check the figure is a plausible positive rate.
    assert.ok(e.matmul1024_gflops > 0.001 && e.matmul1024_gflops < 500, `gflops ${e.matmul1024_gflops}`);
  });

  it('unknown sections are named', async () => {
    await assert.rejects(runBench({ only: ['nope'], quick: true }), /unknown bench section\(s\): nope \(have engine/);
    assert.equal(typeof benchSections.engine, 'function');
  });
});
