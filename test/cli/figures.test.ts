import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { figuresCommand } from '../../lib/cli/commands/figures';
import { errorHeadline, listNotebooks, trimKernelFrames } from '../../lib/report/run-notebooks';

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
