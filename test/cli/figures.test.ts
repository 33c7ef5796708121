import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { figuresCommand } from '../../lib/cli/commands/figures';
import { availableCores } from '../../lib/config/cores';
import { defaultJobs, errorHeadline, lastRunSeconds, listNotebooks, notebookRunMeta, planRuns, runNotebooks, trimKernelFrames } from '../../lib/report/run-notebooks';

const FIXTURES = path.join(__dirname, 'fixtures', 'notebooks');

function capture<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = '', err = '';
  console.log = (...a: unknown[]) => { out += `${a.join(' ')}\n`; };
  console.error = (...a: unknown[]) => { err += `${a.join(' ')}\n`; };
  return fn().then((value) => ({ value, out, err }), (e) => { throw e; }).finally(() => { console.log = log; console.error = error; });
}

describe('raydino figures', function () {
  this.timeout(120000);
  let out: string;
  beforeEach(() => { out = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-nb-')); });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('runs a good notebook and keeps its outputs', async () => {
    const r = await capture(() => figuresCommand.run(['--dir', FIXTURES, '--out', out, '--only', '00']));
    assert.equal(r.value, 0, r.err);
    assert.match(r.out, /✔ 00-ok\.ipynb/);
    const nb = JSON.parse(fs.readFileSync(path.join(out, '00-ok.ipynb'), 'utf8'));
    assert.deepEqual(nb.cells[2].outputs.map((o: { text: string[] }) => o.text.join('')), ['answer=42\n']);
  });

  it('a throwing cell fails the run naming notebook, cell, first line and error; the last good copy stays', async () => {
    const committed = path.join(out, '01-throws.ipynb');
    fs.writeFileSync(committed, '{"last": "good run"}');
    const r = await capture(() => figuresCommand.run(['--dir', FIXTURES, '--out', out, '--only', '01', '--timeout', '60']));
    assert.equal(r.value, 1);
    assert.match(r.err, /1 of 1 notebook\(s\) failed/);
    assert.match(r.err, /01-throws\.ipynb failed at cell 2 \(`const rows = \[1, 2, 3\];`\): RangeError: too many rows: 3/);
    assert.match(r.err, /executed copy: .*01-throws\.failed\.ipynb/);
    assert.equal(fs.readFileSync(committed, 'utf8'), '{"last": "good run"}');
    // the partial copy stops at the failing cell; no temporary file is left
    const nb = JSON.parse(fs.readFileSync(path.join(out, '01-throws.failed.ipynb'), 'utf8'));
    assert.equal(nb.cells[3].outputs.length, 0);
    assert.deepEqual(fs.readdirSync(out).sort(), ['01-throws.failed.ipynb', '01-throws.ipynb']);
  });

  it('names each panel a notebook skipped for a missing real set', async () => {
    const r = await capture(() => figuresCommand.run(['--dir', FIXTURES, '--out', out, '--only', '02', '--timeout', '120']));
    assert.equal(r.value, 0, r.err);
    assert.match(r.out, /✔ 02-skips\.ipynb .*\n {2}skipped: Fig X NIH bars — dataset nih-chestxray14-sample not found: looked in \S*no-such-folder\/nih \(manifest root\)/);
    assert.match(r.out, /1 panel group\(s\) skipped: a real set was not found \(how to add one: docs\/data\.md, "Real sets"\)/);
    const nb = JSON.parse(fs.readFileSync(path.join(out, '02-skips.ipynb'), 'utf8'));
    assert.match(nb.cells[1].outputs.map((o: { text: string[] }) => o.text.join('')).join(''), /other panels made/);
  });

  it('rejects a bad profile and an --only that matches nothing', async () => {
    await assert.rejects(figuresCommand.run(['--profile', 'huge']), /invalid --profile: huge/);
    assert.throws(() => listNotebooks(FIXTURES, ['07']), /--only: no notebook matches 07 .*have 00-ok\.ipynb, 01-throws\.ipynb, 02-skips\.ipynb/);
    assert.deepEqual(listNotebooks(FIXTURES), ['00-ok.ipynb', '01-throws.ipynb', '02-skips.ipynb']);
  });
});

describe('errorHeadline', () => {
  it('picks the error line from a tslab stack and compile errors', () => {
    assert.equal(errorHeadline('to stderr\n\nevalmachine.<anonymous>:3\nthrow x;\n^\n\nError: boom\n    at x'), 'Error: boom');
    assert.equal(errorHeadline("1:7 - Type 'number' is not assignable to type 'string'."), "1:7 - Type 'number' is not assignable to type 'string'.");
    assert.equal(errorHeadline(''), 'unknown error');
  });
});

describe('trimKernelFrames', () => {
  it('keeps the cell frames, drops tslab and node:vm frames', () => {
    const text = 'Error: boom\n    at evalmachine.<anonymous>:3:7\n    at Script.runInThisContext (node:vm:135:14)\n    at Object.execute (/x/node_modules/tslab/dist/executor.js:160:38)';
    assert.equal(trimKernelFrames(text), 'Error: boom\n    at evalmachine.<anonymous>:3:7');
  });
});

/** A notebook printing when its one cell started and ended (ms since epoch), after `ms` of waiting. */
function timedNotebook(ms: number, exclusive = false): string {
  return JSON.stringify({
    cells: [{ cell_type: 'code', execution_count: null, id: 'c1', metadata: {}, outputs: [],
      source: [`const t0 = Date.now(); await new Promise((r) => setTimeout(r, ${ms})); console.log(\`span \${t0} \${Date.now()} cores \${process.env.RAYDINO_CORES ?? '-'}\`);`] }],
    metadata: { kernelspec: { display_name: 'TypeScript (raydino-lab)', language: 'typescript', name: 'tslab' }, ...(exclusive ? { raydino: { exclusive: true } } : {}) },
    nbformat: 4, nbformat_minor: 5,
  });
}

describe('raydino figures --jobs', function () {
  this.timeout(180000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-jobs-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const span = (file: string): [number, number] => {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    const m = /span (\d+) (\d+)/.exec(output(file));
    assert.ok(m, `${file}: no span line`);
    return [Number(m[1]), Number(m[2])];
  };
  const output = (file: string): string => JSON.parse(fs.readFileSync(file, 'utf8')).cells[0].outputs.map((o: { text: string[] }) => o.text.join('')).join('');
  const overlap = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

  it('runs two notebooks at once, an exclusive one alone, reports in name order, and records each run\'s seconds', async () => {
    fs.writeFileSync(path.join(dir, '00-alone.ipynb'), timedNotebook(2500, true));
    fs.writeFileSync(path.join(dir, '01-a.ipynb'), timedNotebook(6000));
    fs.writeFileSync(path.join(dir, '02-b.ipynb'), timedNotebook(6000));
    const out = path.join(dir, 'executed');
    const order: string[] = [];
    const results = await runNotebooks({ dir, outDir: out, jobs: 2, profile: 'quick', onResult: (r) => order.push(r.notebook) });
    assert.deepEqual(results.map((r) => [r.notebook, r.ok]), [['00-alone.ipynb', true], ['01-a.ipynb', true], ['02-b.ipynb', true]]);
    const [alone, a, b] = ['00-alone', '01-a', '02-b'].map((n) => span(path.join(out, `${n}.ipynb`)));
    assert.ok(overlap(a, b), `01 and 02 did not overlap: ${a} / ${b}`);
    assert.ok(!overlap(alone, a) && !overlap(alone, b), `the exclusive notebook overlapped another: ${alone} / ${a} / ${b}`);
    assert.equal(order[0], '00-alone.ipynb');
    // pooled kernels get their share of the cores; the exclusive one is not limited
    const share = String(Math.max(1, Math.floor(availableCores({}) / 2)));
    assert.match(output(path.join(out, '01-a.ipynb')), new RegExp(`cores ${share}\\b`));
    assert.match(output(path.join(out, '00-alone.ipynb')), /cores -/);
    for (const r of results) {
      const secs = lastRunSeconds(path.join(out, r.notebook), 'quick');
      assert.ok(secs !== undefined && Math.abs(secs - r.seconds) < 1, `${r.notebook}: recorded ${secs} s, ran ${r.seconds} s`);
      assert.equal(lastRunSeconds(path.join(out, r.notebook), 'full'), undefined);
    }
    // where the time went: the cells over 5 s, with their seconds
    for (const nb of ['01-a.ipynb', '02-b.ipynb']) {
      const slow = JSON.parse(fs.readFileSync(path.join(out, nb), 'utf8')).metadata.raydino_run.slow_cells;
      assert.equal(slow.length, 1, nb);
      assert.equal(slow[0][0], 0);
      assert.ok(slow[0][1] >= 6 && slow[0][1] < 10, `${nb}: ${slow[0][1]} s`);
    }
  });

  it('with --jobs 1 nothing overlaps', async () => {
    fs.writeFileSync(path.join(dir, '01-a.ipynb'), timedNotebook(1500));
    fs.writeFileSync(path.join(dir, '02-b.ipynb'), timedNotebook(1500));
    const r = await capture(() => figuresCommand.run(['--dir', dir, '--out', path.join(dir, 'executed'), '--jobs', '1']));
    assert.equal(r.value, 0, r.err);
    assert.match(r.out, /up to 1 notebook\(s\) at once/);
    assert.ok(!overlap(span(path.join(dir, 'executed', '01-a.ipynb')), span(path.join(dir, 'executed', '02-b.ipynb'))));
    await assert.rejects(figuresCommand.run(['--dir', dir, '--jobs', '0']), /invalid --jobs: 0/);
    await assert.rejects(figuresCommand.run(['--dir', dir, '--jobs', '1.5']), /invalid --jobs: 1\.5/);
  });
});

describe('planRuns / defaultJobs / notebookRunMeta', () => {
  it('availableCores: RAYDINO_CORES when set, else the OS; a bad value throws naming it', () => {
    assert.equal(availableCores({ RAYDINO_CORES: '1' }), 1);
    assert.equal(availableCores({}), typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
    assert.throws(() => availableCores({ RAYDINO_CORES: '0' }), /RAYDINO_CORES=0/);
    assert.equal(defaultJobs({ RAYDINO_CORES: '1' }), 1);
  });

  it('exclusive notebooks first in name order, then the longest first; unknown times count as the longest', () => {
    const plan = planRuns([
      { notebook: '02', exclusive: false, expected: 100 }, { notebook: '01', exclusive: true, expected: 5 },
      { notebook: '04', exclusive: false, expected: 300 }, { notebook: '00', exclusive: true },
      { notebook: '08', exclusive: false }, { notebook: '03', exclusive: false, expected: 100 },
    ]);
    assert.deepEqual(plan.map((p) => p.notebook), ['00', '01', '08', '04', '02', '03']);
  });

  it('RAYDINO_FIGURE_JOBS decides when set; a bad value throws naming it', () => {
    assert.equal(defaultJobs({ RAYDINO_FIGURE_JOBS: '3' }), 3);
    assert.throws(() => defaultJobs({ RAYDINO_FIGURE_JOBS: '0' }), /RAYDINO_FIGURE_JOBS=0/);
    assert.throws(() => defaultJobs({ RAYDINO_FIGURE_JOBS: 'two' }), /RAYDINO_FIGURE_JOBS=two/);
    const n = defaultJobs({});
    assert.equal(n, Math.max(1, Math.min(4, availableCores({}), Math.floor(os.totalmem() / 4 / 2 ** 30))));
    assert.equal(defaultJobs({ RAYDINO_CORES: '2' }), Math.min(2, Math.floor(os.totalmem() / 4 / 2 ** 30)));
    assert.equal(defaultJobs({ RAYDINO_CORES: '16' }), Math.min(4, Math.floor(os.totalmem() / 4 / 2 ** 30)));
  });

  it('reads metadata.raydino.exclusive; the committed notebooks that time the engine are exclusive, the rest not', () => {
    const nbDir = path.join(__dirname, '..', '..', 'notebooks');
    const exclusive = listNotebooks(nbDir).filter((nb) => notebookRunMeta(path.join(nbDir, nb)).exclusive);
    assert.deepEqual(exclusive, ['00-environment.ipynb', '01-pretraining.ipynb']);
    assert.deepEqual(notebookRunMeta(path.join(FIXTURES, '00-ok.ipynb')), {});
  });
});
