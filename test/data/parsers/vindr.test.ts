import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, writeDicomFile } from '../helpers/fixtures';

const FILES = {
  labels_train: { path: 'annotations/image_labels_train.csv', reader: 'vindr.imageLabels' },
  labels_test: { path: 'annotations/image_labels_test.csv', reader: 'vindr.imageLabels' },
  boxes_train: { path: 'annotations/annotations_train.csv', reader: 'vindr.boxes', optional: true },
};

describe('parsers/vindr (VinDr-CXR)', () => {
  let root: string;
  before(() => {
    root = fixtureRoot('vindr');
    const fs = require('fs') as typeof import('fs');
    fs.mkdirSync(path.join(root, 'annotations'));
    for (const f of ['image_labels_train.csv', 'image_labels_test.csv', 'annotations_train.csv']) fs.renameSync(path.join(root, f), path.join(root, 'annotations', f));
    writeDicomFile(path.join(root, 'train', '000434271f63a053c4128a0ba6352c7f.dicom'), { rows: 6, columns: 5, patientSex: 'F', patientAge: '045Y', photometric: 'MONOCHROME1' });
    writeDicomFile(path.join(root, 'train', '00053190460d56c53cc3e57321387478.dicom'), { rows: 6, columns: 5, patientSex: 'M' });
    writeDicomFile(path.join(root, 'test', '002a34c58c5b758217ed1f584ccbcfe9.dicom'), { rows: 4, columns: 4, windowCenter: 2000, windowWidth: 4000 });
  });
  after(cleanupRoots);

  it('aggregates 3 readers by majority, aliases test spellings, reads boxes', async () => {
    const ds = await loadDataset(manifestWith('vindr-cxr', { files: FILES }), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 3);
    const [a, b, t] = rows;
    assert.strictEqual(a['No finding'], 1);
    assert.strictEqual(b['Aortic enlargement'], 1); // 3/3
    assert.strictEqual(b.Cardiomegaly, 1); // 2/3
    assert.strictEqual(b['Other diseases'], 1); // 2/3
    assert.strictEqual(t['Other diseases'], 1); // test file: 'Other disease'
    assert.strictEqual(t.split, 'test');
    assert.strictEqual(ds.boxes!.length, 3); // 'No finding' row skipped
    const box = ds.boxes!.find((x) => x.label === 'Cardiomegaly')!;
    assert.deepStrictEqual([box.x, box.y, box.w, box.h], [691, 1375, 962, 456]);
  });

  it("'any' aggregation and DICOM-header demographics", async () => {
    const ds = await loadDataset(manifestWith('vindr-cxr', { files: FILES, options: { aggregate: 'any', dicomDemographics: true } }), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows[1]['Other diseases'], 1);
    assert.deepStrictEqual([rows[0].sex, rows[0].age, rows[0].width, rows[0].height], ['F', 45, 5, 6]);
    assert.deepStrictEqual([rows[1].sex, rows[1].age], ['M', null]);
    // MONOCHROME1 is inverted: the gradient's first pixel (0) becomes white
    const img = await ds.loadImage('000434271f63a053c4128a0ba6352c7f');
    assert.strictEqual(img.data[0], 1);
    assert.strictEqual(img.data[img.data.length - 1], 0);
  });

  it('names a missing label column', async () => {
    const bad = manifestWith('vindr-cxr', { files: FILES });
    (bad.labels as { names: string[] }).names.push('Nonexistent');
    await assert.rejects(loadDataset(bad, { root }), /image_labels_train\.csv: missing column 'Nonexistent'/);
  });
});
