import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/ranzcr (RANZCR CLiP)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('ranzcr');
    const fs = await import('fs');
    const uids = fs.readFileSync(path.join(root, 'train.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    for (const u of uids) await writeImage(path.join(root, 'train', `${u}.jpg`), 'jpeg');
  });
  after(cleanupRoots);

  it('reads 11 labels, groups by PatientID, line annotations as boxes', async () => {
    const ds = await loadDataset(manifestWith('ranzcr-clip'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 4);
    assert.strictEqual(ds.labelNames.length, 11);
    assert.deepStrictEqual([rows[1]['ETT - Normal'], rows[1]['NGT - Incompletely Imaged'], rows[1]['CVC - Normal']], [1, 1, 1]);
    assert.strictEqual(rows[0].split, rows[3].split); // same PatientID
    const ett = ds.boxes!.find((b) => b.label === 'ETT - Normal')!;
    assert.deepStrictEqual([ett.x, ett.y, ett.w, ett.h], [1477, 1060, 22, 219]);
  });
});
