import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { braxAge } from '../../../lib/data/parsers/brax';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/brax', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('brax');
    for (const p of ['id_1/Study_11/Series_111/image-1111.png', 'id_2/Study_21/Series_211/image-2111.png', 'id_3/Study_31/Series_311/image-3111.png']) {
      await writeImage(path.join(root, 'images', p), 'png8');
    }
  });
  after(cleanupRoots);

  it('parses binned ages', () => {
    assert.deepStrictEqual(['55-59', '85 or more', '90+', '32', ''].map((a) => braxAge(a)), [57, 85, 90, 32, null]);
  });

  it('reads PngPath, CheXpert labels and demographics; frontal only', async () => {
    const ds = await loadDataset(manifestWith('brax'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 3);
    assert.deepStrictEqual(rows.map((r) => [r.patient, r.sex, r.age, r.view]), [['1', 'M', 57, 'PA'], ['2', 'F', 85, 'AP'], ['3', 'F', 32, 'PA']]);
    assert.strictEqual(rows[1].Cardiomegaly, 1);
    assert.ok(Number.isNaN(rows[1]['Lung Opacity'] as number));
    assert.strictEqual(rows[1].Edema, 0);
    assert.strictEqual(rows[1].study, '21');
    assert.strictEqual(rows[2].age_bin, 'Young');
  });
});
