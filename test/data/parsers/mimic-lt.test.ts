import assert from 'assert';
import { loadDataset } from '../../../lib/data/load';
import { mimicImagePath } from '../../../lib/data/parsers/mimic';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/mimic-lt (CXR-LT 2023)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('mimic-lt');
    await writeImage(mimicImagePath(root, '10000032', '50414267', '02aa804e-bde0afdd-112c0b34-7bc16630-4e384014'), 'jpeg');
    await writeImage(mimicImagePath(root, '10000032', '53189527', '2a2277a9-b0ded155-c0de8eb9-c124d10e-82c5caab'), 'jpeg');
    await writeImage(mimicImagePath(root, '10000764', '57375967', 'fffabebf-74fd3a1f-673b6b41-96ec0ac9-2ab69818'), 'jpeg');
  });
  after(cleanupRoots);

  it('reads path + 26 binary labels per split file; ids from the path', async () => {
    const ds = await loadDataset(manifestWith('mimic-cxr-lt'), { root });
    assert.strictEqual(ds.labelNames.length, 26);
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.deepStrictEqual(rows.map((r) => r.split), ['train', 'train', 'val']);
    assert.strictEqual(rows[0].Atelectasis, 1);
    assert.strictEqual(rows[1]['Calcification of the Aorta'], 1);
    assert.strictEqual(rows[2]['Tortuous Aorta'], 1);
    assert.deepStrictEqual([rows[2].patient, rows[2].study, rows[2].view], ['10000764', '57375967', 'AP']);
  });
});
