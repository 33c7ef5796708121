import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/nih (full ChestX-ray14 layout)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('nih');
    for (const n of ['00000001_000', '00000001_001', '00000002_000', '00000003_000', '00000004_000']) await writeImage(path.join(root, 'images', `${n}.png`), 'png8', 16, 16);
  });
  after(cleanupRoots);

  it('reads the quirky header, official lists, boxes in 1024 px; patient-disjoint val carve-out', async () => {
    const ds = await loadDataset(manifestWith('nih-chestxray14', { split: { rule: 'official', valFraction: 0.5, seed: 0 } }), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 5);
    assert.deepStrictEqual(rows.map((r) => r.patient), ['1', '1', '2', '3', '4']);
    assert.deepStrictEqual([rows[1].Cardiomegaly, rows[1].Emphysema, rows[1].orig_width, rows[1].orig_height], [1, 1, 2894, 2729]);
    assert.ok(ds.labelNames.every((l) => rows[2][l] === 0)); // No Finding
    assert.strictEqual(rows[3].split, 'test');
    assert.strictEqual(rows[0].split, rows[1].split);
    assert.deepStrictEqual(new Set(rows.filter((r) => r.split !== 'test').map((r) => r.split)), new Set(['train', 'val']));
    assert.strictEqual(ds.boxes!.length, 2); // the box of an image outside the table is dropped
    assert.ok(Math.abs(ds.boxes![0].x - 225.084745762712) < 1e-9);
  });

  it('errors on an unknown label naming file and line', async () => {
    const fs = await import('fs');
    const bad = fixtureRoot('nih');
    const f = path.join(bad, 'Data_Entry_2017_v2020.csv');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('Hernia', 'Herniaa'));
    await assert.rejects(loadDataset(manifestWith('nih-chestxray14'), { root: bad }), /Data_Entry_2017_v2020\.csv:5: column 'Finding Labels': unknown label\(s\) 'Herniaa'/);
  });

  it('errors on an unparsable age naming file, line and column (blank stays missing)', async () => {
    const fs = await import('fs');
    const bad = fixtureRoot('nih');
    const f = path.join(bad, 'Data_Entry_2017_v2020.csv');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(',1,58,M,', ',1,abc,M,'));
    await assert.rejects(loadDataset(manifestWith('nih-chestxray14'), { root: bad }), /Data_Entry_2017_v2020\.csv:3: column 'Patient Age': not an age: 'abc'/);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(',1,abc,M,', ',1,,M,'));
    for (const n of ['00000001_000', '00000001_001']) await writeImage(path.join(bad, 'images', `${n}.png`), 'png8', 16, 16);
    const ds = await loadDataset(manifestWith('nih-chestxray14'), { root: bad });
    assert.deepStrictEqual((ds.table.objects() as { age: number | null }[]).slice(0, 2).map((r) => r.age), [57, null]);
  });
});
