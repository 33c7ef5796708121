import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { decodeSiimRle } from '../../../lib/data/parsers/siim';
import { cleanupRoots, fixtureRoot, manifestWith, reference, writeDicomFile } from '../helpers/fixtures';

const A = '1.2.276.0.7230010.3.1.4.8323329.5597.1517875188.959090';
const B = '1.2.276.0.7230010.3.1.4.8323329.12515.1517875239.501137';

describe('parsers/siim', () => {
  let root: string;
  before(() => {
    root = fixtureRoot('siim');
    writeDicomFile(path.join(root, 'dicom-images-train', '1.2.3', '1.2.3.4', `${A}.dcm`), { rows: 5, columns: 4, patientSex: 'M', patientAge: '38', viewPosition: 'PA' });
    writeDicomFile(path.join(root, 'dicom-images-train', '1.2.5', '1.2.5.6', `${B}.dcm`), { rows: 5, columns: 4 });
    // the third image of train-rle.csv has no DICOM → problem
  });
  after(cleanupRoots);

  it('decodes relative column-major RLE like the Kaggle reference (rle2mask + transpose)', () => {
    const ref = reference().siim;
    const m = decodeSiimRle('2 3 3 1', ref.width, ref.height);
    decodeSiimRle('14 2', ref.width, ref.height, 'relative', m);
    assert.deepStrictEqual(Array.from(m), ref.mask);
    // absolute 1-based starts give the same pixels for the equivalent runs
    const abs = decodeSiimRle('3 3 9 1 15 2', ref.width, ref.height, 'absolute');
    assert.deepStrictEqual(Array.from(abs), ref.mask);
    assert.throws(() => decodeSiimRle('1 2 3', 4, 5, 'relative', undefined, 'x:3'), /x:3: malformed run-length string/);
    assert.throws(() => decodeSiimRle('18 5', 4, 5), /outside the 4×5 grid/);
  });

  it('loads labels, masks (union of rows), DICOM demographics; lists the missing DICOM', async () => {
    const ds = await loadDataset(manifestWith('siim-acr-pneumothorax', { options: { width: 4, height: 5, dicomDemographics: true } }), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 2);
    assert.deepStrictEqual(rows.map((r) => r.Pneumothorax), [0, 1]);
    assert.deepStrictEqual([rows[0].sex, rows[0].age, rows[0].view], ['M', 38, 'PA']);
    assert.strictEqual(ds.problems.length, 1);
    assert.match(ds.problems[0].reason, /missing image 1\.2\.276.*355709\.dcm/);
    const [m] = await ds.loadMasks!(B);
    assert.deepStrictEqual(Array.from(m!), reference().siim.mask);
    const [empty] = await ds.loadMasks!(A);
    assert.strictEqual(empty!.reduce((a, b) => a + b, 0), 0);
  });
});
