import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { readAasceLandmarks } from '../../../lib/data/parsers/aasce';
import { cleanupRoots, fixtureRoot, manifestWith, reference, writeImage } from '../helpers/fixtures';

describe('parsers/aasce (AASCE 2019)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('aasce');
    for (const n of ['sunhl-1th-02-Jan-2017-162 A AP.jpg', 'sunhl-1th-02-Jan-2017-163 B AP.jpg', 'sunhl-1th-03-Jan-2017-164 C AP.jpg']) {
      await writeImage(path.join(root, 'boostnet_labeldata/data/training', n), 'jpeg', 8, 16);
    }
    await writeImage(path.join(root, 'boostnet_labeldata/data/test/sunhl-1th-01-Mar-2017-310 a AP.jpg'), 'jpeg', 8, 16);
  });
  after(cleanupRoots);

  it('reads p2 from compressed and uncompressed MAT v5 (scipy.io.savemat)', () => {
    const ref = reference().aasce;
    const dir = path.join(root, 'boostnet_labeldata/labels/training');
    const a = readAasceLandmarks(path.join(dir, 'sunhl-1th-02-Jan-2017-162 A AP.jpg.mat'));
    const b = readAasceLandmarks(path.join(dir, 'sunhl-1th-02-Jan-2017-163 B AP.jpg.mat'));
    assert.deepStrictEqual(a, ref.p2_a);
    assert.deepStrictEqual(b, ref.p2_b);
  });

  it('loads Cobb angles (header or not), landmarks (.mat or landmarks.csv), vertebra boxes, official split', async () => {
    const ds = await loadDataset(manifestWith('aasce2019'), { root });
    assert.deepStrictEqual(ds.targetNames, ['cobb_pt', 'cobb_mt', 'cobb_tl']);
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 4);
    assert.deepStrictEqual([rows[0].cobb_pt, rows[0].cobb_mt, rows[0].cobb_tl], [12.5, 20.25, 8]);
    assert.deepStrictEqual([rows[3].cobb_pt, rows[3].split], [1, 'test']);
    assert.deepStrictEqual(JSON.parse(rows[2].landmarks as string), reference().aasce.p2_c); // from landmarks.csv
    assert.strictEqual(ds.boxes!.length, 4 * 17);
    const t1 = ds.boxes!.find((b) => b.id === rows[0].id && b.label === 'T1')!;
    const p = reference().aasce.p2_a.slice(0, 4) as number[][];
    assert.ok(Math.abs(t1.x - Math.min(...p.map((q) => q[0]))) < 1e-12);
    assert.ok(Math.abs(t1.h - (Math.max(...p.map((q) => q[1])) - Math.min(...p.map((q) => q[1])))) < 1e-12);
  });
});
