import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { label3FromFinding } from '../../../lib/data/parsers/covid-chestxray';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/covid-chestxray (upstream metadata.csv)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('covid-chestxray');
    for (const f of ['nejmc2001573_f1a.jpeg', 'nejmc2001573_f1b.jpeg', 'lancet-case2a.jpg', 'hier.jpg']) await writeImage(path.join(root, 'images', f), 'jpeg');
  });
  after(cleanupRoots);

  it('maps flat and hierarchical findings', () => {
    assert.deepStrictEqual(['COVID-19', 'COVID-19, ARDS', 'Pneumonia/Viral/COVID-19', 'Streptococcus', 'Pneumonia/Bacterial/Klebsiella', 'No Finding', 'ARDS'].map(label3FromFinding),
      ['covid', 'covid', 'covid', 'pneumonia', 'pneumonia', 'normal', 'other']);
  });

  it('keeps frontal X-rays of the images folder with a finding; lists missing images', async () => {
    const ds = await loadDataset(manifestWith('covid-chestxray'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.deepStrictEqual(rows.map((r) => r.id), ['nejmc2001573_f1a', 'nejmc2001573_f1b', 'lancet-case2a', 'hier']);
    assert.deepStrictEqual(rows.map((r) => r.class), [0, 0, 0, 0]);
    assert.deepStrictEqual(ds.problems.map((p) => p.id), ['normal']); // listed but no image file
    assert.strictEqual(rows[0].split, rows[1].split);
    // upstream clinical notes ride along (null when blank)
    assert.strictEqual(rows[0].clinical_notes, 'diffuse infiltrates in the bilateral lower lungs');
    assert.strictEqual(rows[3].clinical_notes, null);
  });
});
