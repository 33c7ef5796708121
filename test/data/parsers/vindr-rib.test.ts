import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, reference, writeImage } from '../helpers/fixtures';

describe('parsers/vindr-rib (VinDr-RibCXR)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('vindr-rib');
    await writeImage(path.join(root, 'data/train/img/VinDr_RibCXR_train_000.png'), 'png8', 10, 8);
    await writeImage(path.join(root, 'data/train/img/VinDr_RibCXR_train_001.png'), 'png8', 10, 8);
    await writeImage(path.join(root, 'data/val/img/VinDr_RibCXR_val_000.png'), 'png8', 10, 8);
  });
  after(cleanupRoots);

  it('reads the pandas JSON table; polygons filled like matplotlib Path.contains_points on pixel centres', async () => {
    const ds = await loadDataset(manifestWith('vindr-ribcxr'), { root });
    assert.strictEqual(ds.table.numRows(), 3);
    assert.strictEqual(ds.maskClasses!.length, 20);
    assert.deepStrictEqual(ds.table.array('split')[2], 'test');
    const masks = await ds.loadMasks!('VinDr_RibCXR_train_000');
    const ref = reference().vindrRib;
    assert.deepStrictEqual(Array.from(masks[0]!), ref.R1);
    assert.deepStrictEqual(Array.from(masks[10]!), ref.L1);
    assert.strictEqual(masks[1], null); // 'None'
    const val = await ds.loadMasks!('VinDr_RibCXR_val_000');
    assert.ok(val.every((m) => m !== null));
  });
});
