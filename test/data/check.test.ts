import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { main } from '../../lib/cli/main';
import { checkDataset, formatReport } from '../../lib/data/check';
import { loadDataset } from '../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from './helpers/fixtures';
import { realSetOrSkip } from './helpers/real-set';

/** Run `raydino data …` (through main, which turns usage errors into exit 2) capturing stdout/stderr. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const [log, error, write, ewrite] = [console.log, console.error, process.stdout.write, process.stderr.write];
  console.log = (...a: unknown[]) => { out.push(a.join(' ') + '\n'); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ') + '\n'); };
  process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(s); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(['data', ...argv]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    console.log = log; console.error = error; process.stdout.write = write; process.stderr.write = ewrite;
  }
}

describe('raydino data', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-syn-'));
  after(() => { fs.rmSync(cache, { recursive: true, force: true }); cleanupRoots(); });

  it('check on a real set prints counts per split, prevalence, demographics', async function () {
    this.timeout(60000);
    realSetOrSkip(this, 'covid-chestxray');
    const r = await run(['check', 'covid-chestxray']);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /dataset covid-chestxray: 396 images, 232 patients/);
    assert.match(r.out, /classes: covid 321, pneumonia 57, normal 15, \(none\) 3/);
    assert.match(r.out, /sex: F 139, \(missing\) 31, M 226/);
    assert.match(r.out, /problems: none/);
    assert.match(r.out, /target geographic_mean: known 62, /);
    const splits = [...r.out.matchAll(/^ {2}(train|val|test)\s+(\d+) images/gm)].map((m) => Number(m[2]));
    assert.strictEqual(splits.reduce((a, b) => a + b, 0), 396);
  });

  it('--json prints one normalised row per line', async function () {
    realSetOrSkip(this, 'nih-chestxray14-sample');
    const r = await run(['check', 'nih-chestxray14-sample', '--json', '--split', 'test', '--no-decode']);
    assert.strictEqual(r.code, 0);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(rows.length > 30 && rows.length < 60);
    assert.ok(rows.every((x) => x.split === 'test' && typeof x.id === 'string' && 'Cardiomegaly' in x && 'age_bin' in x));
  });

  it('lists missing / corrupt images; --strict makes them fatal', async () => {
    const root = fixtureRoot('chexpert');
    const file = path.join(os.tmpdir(), `rd-chexpert-manifest-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify(manifestWith('chexpert')));
    try {
      // only one image exists and it is corrupt; all others are missing
      fs.mkdirSync(path.join(root, 'train/patient00001/study1'), { recursive: true });
      fs.writeFileSync(path.join(root, 'train/patient00001/study1/view1_frontal.jpg'), 'not a jpeg');
      const r = await run(['check', file, '--root', root]);
      assert.strictEqual(r.code, 0);
      assert.match(r.out, /problems \(8\):/);
      assert.match(r.out, /view1_frontal\.jpg: cannot decode image/);
      assert.match(r.out, /missing image .*patient00002.*\[.*train\.csv:3\]/); // names the metadata row
      const s = await run(['check', file, '--root', root, '--strict']);
      assert.strictEqual(s.code, 1);
    } finally { fs.rmSync(file, { force: true }); }
    await assert.rejects(loadDataset(manifestWith('chexpert'), { root, strict: true, verify: 'decode' }), /(train|valid)\.csv:\d+: (missing image|.*cannot decode image)/);
  });

  it('decodes mask files: a truncated mask is a problem naming the sample; --no-decode skips it', async () => {
    const root = fixtureRoot('covid-chestxray');
    for (const f of ['nejmc2001573_f1a.jpeg', 'nejmc2001573_f1b.jpeg', 'lancet-case2a.jpg', 'hier.jpg']) await writeImage(path.join(root, 'images', f), 'jpeg', 32, 32);
    const masks = path.join(root, 'masks/lungs_v7');
    await writeImage(path.join(masks, 'nejmc2001573_f1a.png'), 'png8', 32, 32);
    await writeImage(path.join(masks, 'lancet-case2a.png'), 'png8', 32, 32);
    const good = fs.readFileSync(path.join(masks, 'lancet-case2a.png'));
    fs.writeFileSync(path.join(masks, 'lancet-case2a.png'), good.subarray(0, good.length - 20));
    const { report } = await checkDataset(manifestWith('covid-chestxray'), { root });
    const maskProblems = report.problems.filter((p) => p.reason.startsWith('mask: '));
    assert.deepStrictEqual(maskProblems.map((p) => p.id), ['lancet-case2a']);
    assert.match(maskProblems[0].reason, /lancet-case2a\.png: cannot decode image/);
    assert.match(formatReport(report), /lancet-case2a: mask: .*lancet-case2a\.png: cannot decode image/);
    const skipped = await checkDataset(manifestWith('covid-chestxray'), { root, verify: 'exists' });
    assert.deepStrictEqual(skipped.report.problems.filter((p) => p.reason.startsWith('mask: ')), []);
  });

  it('check works on synthetic sets', async function () {
    this.timeout(60000);
    const { report } = await checkDataset('synthetic-covid3', { generator: { n: 24, size: 48, cacheDir: cache } });
    assert.strictEqual(report.images, 24);
    assert.deepStrictEqual(report.leakedPatients, []);
    assert.ok(report.classes && Object.keys(report.classes).includes('COVID-19'));
    assert.match(formatReport(report), /dataset synthetic-covid3: 24 images/);
    const ds = await loadDataset('synthetic-cxr', { generator: { n: 16, size: 48, cacheDir: cache }, split: 'train' });
    assert.ok(ds.table.numRows() > 0 && (ds.table.array('split') as string[]).every((s) => s === 'train'));
    const img = await ds.loadImage(ds.table.get('id', 0) as string);
    assert.deepStrictEqual([img.width, img.height], [48, 48]);
  });

  it('list and usage', async () => {
    const r = await run(['list']);
    assert.match(r.out, /^chexpert\s+chexpert\s+CheXpert/m);
    const bogus = await run(['bogus']);
    assert.strictEqual(bogus.code, 2);
    assert.match(bogus.err, /^raydino data: unknown sub-command 'bogus' \(list or check\)\n\nusage:/);
  });
});
