import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { FIXTURES, cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/chexpert', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('chexpert');
    for (const csv of ['train.csv', 'valid.csv']) {
      const lines = fs.readFileSync(path.join(root, csv), 'utf8').trim().split('\n').slice(1);
      for (const l of lines) {
        const p = l.split(',')[0].replace(/^CheXpert-v1.0-small\//, '');
        if (p.includes('patient00003')) continue; // one missing image → problems
        await writeImage(path.join(root, p), 'jpeg');
      }
    }
  });
  after(cleanupRoots);

  it('reads train + valid, frontal only, labels under the default policy (uncertain → NaN, blank → 0)', async () => {
    const ds = await loadDataset(manifestWith('chexpert'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 7); // 6 frontal train rows − 1 missing image + 2 frontal valid rows
    assert.strictEqual(ds.problems.length, 1);
    assert.match(ds.problems[0].reason, /missing image .*patient00003/);
    const r2 = rows.find((r) => r.id === 'train/patient00002/study2/view1_frontal')!;
    assert.strictEqual(r2.patient, '2');
    assert.strictEqual(r2.study, '2/study2');
    assert.strictEqual(r2.sex, 'F');
    assert.strictEqual(r2.age, 87);
    assert.strictEqual(r2.age_bin, 'Elder');
    assert.ok(Number.isNaN(r2.Cardiomegaly as number)); // -1.0
    assert.strictEqual(r2['Lung Opacity'], 1);
    assert.strictEqual(r2['No Finding'], 0); // blank → 0
    const unk = rows.find((r) => r.patient === '5')!;
    assert.strictEqual(unk.sex, null);
    assert.strictEqual(unk.age, null); // age 0 = unknown
    const valid = rows.filter((r) => (r.id as string).startsWith('valid/'));
    assert.deepStrictEqual(valid.map((r) => r.split), ['test', 'test']);
  });

  it('applies labelPolicy overrides (U-Ones, blank ignore)', async () => {
    const ds = await loadDataset(manifestWith('chexpert'), { root, labelPolicy: { uncertain: 'one', blank: 'ignore' } });
    const r2 = (ds.table.objects() as Record<string, number | string>[]).find((r) => r.id === 'train/patient00002/study2/view1_frontal')!;
    assert.strictEqual(r2.Cardiomegaly, 1);
    assert.ok(Number.isNaN(r2['No Finding'] as number));
  });

  it('keeps laterals when frontalOnly is false and throws on strict problems', async () => {
    const ds = await loadDataset(manifestWith('chexpert', { options: { frontalOnly: false } }), { root });
    assert.strictEqual(ds.table.numRows(), 10);
    assert.ok((ds.table.array('view') as string[]).includes('LATERAL'));
    await assert.rejects(loadDataset(manifestWith('chexpert'), { root, strict: true }), /missing image .*patient00003/);
  });

  it('names file, line and column for a bad label value', async () => {
    const bad = fixtureRoot('chexpert');
    fs.copyFileSync(path.join(FIXTURES, 'bad-manifests', 'chexpert-bad-label.csv'), path.join(bad, 'train.csv'));
    await assert.rejects(loadDataset(manifestWith('chexpert'), { root: bad }), /train\.csv:2 column 'Pneumothorax': invalid label value '2\.0'/);
  });

  it('names the metadata file when it is missing', async () => {
    const empty = fixtureRoot('chexpert');
    fs.rmSync(path.join(empty, 'valid.csv'));
    await assert.rejects(loadDataset(manifestWith('chexpert'), { root: empty }), /missing metadata file .*valid\.csv \(files\.valid\)/);
  });
});
