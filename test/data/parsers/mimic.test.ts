import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { mimicImagePath } from '../../../lib/data/parsers/mimic';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

const IDS: [string, string, string][] = [
  ['10000032', '50414267', '02aa804e-bde0afdd-112c0b34-7bc16630-4e384014'],
  ['10000032', '50414267', '174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962'],
  ['10000032', '53189527', '2a2277a9-b0ded155-c0de8eb9-c124d10e-82c5caab'],
  ['10000764', '57375967', 'fffabebf-74fd3a1f-673b6b41-96ec0ac9-2ab69818'],
  ['10000898', '50771383', 'ea030e7a-2e3b1346-bc518786-7a8fd698-f673b44c'],
  ['10000999', '59999999', 'aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee'],
];

describe('parsers/mimic (MIMIC-CXR-JPG)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('mimic');
    for (const [s, st, d] of IDS) await writeImage(mimicImagePath(root, s, st, d), 'jpeg');
  });
  after(cleanupRoots);

  it('builds files/pXX/pSUBJECT/sSTUDY/DICOM.jpg paths', () => {
    assert.strictEqual(mimicImagePath('/r', '10000032', '50414267', 'abc'), path.join('/r', 'files/p10/p10000032/s50414267/abc.jpg'));
  });

  it('joins per-study labels, official split, MIMIC-IV demographics; keeps PA/AP', async () => {
    const ds = await loadDataset(manifestWith('mimic-cxr-jpg'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 5); // lateral dropped by options.views
    const byId = new Map(rows.map((r) => [r.id, r]));
    const a = byId.get(IDS[0][2])!;
    assert.strictEqual(a['No Finding'], 1);
    assert.strictEqual(a.Edema, 0);
    assert.strictEqual(a.split, 'train');
    assert.strictEqual(a.sex, 'F');
    assert.strictEqual(a.age, 52); // anchor_age 52 in anchor_year 2180, study 2180
    assert.deepStrictEqual([a.width, a.height], [2544, 3056]);
    const b = byId.get(IDS[3][2])!;
    assert.strictEqual(b.split, 'val'); // 'validate'
    assert.strictEqual(b.Cardiomegaly, 0);
    assert.strictEqual(b.Consolidation, 1);
    assert.ok(Number.isNaN(b.Pneumonia as number)); // -1 → ignore
    assert.strictEqual(b.age, 86); // 2132 - 2132 + 86
    const c = byId.get(IDS[4][2])!;
    assert.strictEqual(c.age, null); // study year 2120 is 67 years before anchor_year 2187 at age 33 → negative → unknown
    // study without a label row: NaN labels and a problem; subject without patients row: sex null
    const d = byId.get(IDS[5][2])!;
    assert.ok(Number.isNaN(d.Atelectasis as number));
    assert.strictEqual(d.sex, null);
    assert.ok(ds.problems.some((p) => p.id === IDS[5][2] && /no label row for study 59999999/.test(p.reason)));
  });
});
