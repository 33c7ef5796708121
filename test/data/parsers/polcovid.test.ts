import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/polcovid', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('polcovid');
    await writeImage(path.join(root, 'images', 'Anonymous_1_101_3.png'), 'png8');
    await writeImage(path.join(root, 'images', 'Anonymous_1_102_1.png'), 'png8');
    await writeImage(path.join(root, 'images', 'Anonymous_2_101_2.jpg'), 'jpeg');
    await writeImage(path.join(root, 'images', 'Anonymous_2_103_3.png'), 'png8');
    await writeImage(path.join(root, 'masks', 'Anonymous_1_101_3.png'), 'png8', 8, 8, Array.from({ length: 64 }, (_, i) => (i < 32 ? 255 : 0)));
  });
  after(cleanupRoots);

  it('maps classes, hospital-unique patients, official set, optional lung masks', async () => {
    const ds = await loadDataset(manifestWith('polcovid'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.deepStrictEqual(rows.map((r) => r.class), [0, 2, 1, 0]);
    assert.deepStrictEqual(rows.map((r) => r.patient), ['1_101', '1_102', '2_101', '2_103']);
    assert.strictEqual(rows[2].split, 'test');
    assert.ok(rows.filter((r) => r.split !== 'test').every((r) => r.split === 'train' || r.split === 'val'));
    assert.deepStrictEqual([rows[2].sex, rows[2].age], [null, null]);
    assert.deepStrictEqual(ds.classNames, ['covid', 'pneumonia', 'normal']);
    const [m] = await ds.loadMasks!('Anonymous_1_101_3');
    assert.strictEqual(m!.reduce((a, b) => a + b, 0), 32);
    assert.deepStrictEqual(await ds.loadMasks!('Anonymous_1_102_1'), [null]);
  });
});
