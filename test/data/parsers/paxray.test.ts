import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cocoCountsFromString, decodeCocoRle } from '../../../lib/data/parsers/paxray';
import { cleanupRoots, fixtureRoot, manifestWith, reference, writeImage } from '../helpers/fixtures';

describe('parsers/paxray (PAXRay++)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('paxray');
    for (const n of ['s0001_frontal', 's0001_lateral', 's0003_frontal']) await writeImage(path.join(root, 'images_patlas', `${n}.png`), 'png8', 7, 6);
    await writeImage(path.join(root, 'images_patlas', 's0002_frontal.png'), 'png8', 50, 40);
  });
  after(cleanupRoots);

  it('decodes COCO compressed RLE strings (pycocotools format)', () => {
    const ref = reference().paxray;
    const m = decodeCocoRle({ size: [40, 50], counts: ref.bigCounts });
    assert.deepStrictEqual(Array.from(m), ref.big);
    assert.ok(cocoCountsFromString(ref.bigCounts).length > 4);
    assert.throws(() => decodeCocoRle({ size: [2, 2], counts: [1, 9] }, undefined, 'a.json'), /a\.json: counts exceed the 2×2 grid/);
  });

  it('builds per-class masks (RLE string, RLE counts, polygons); frontal+lateral share a patient', async () => {
    const ds = await loadDataset(manifestWith('paxray-plus-plus'), { root });
    assert.deepStrictEqual(ds.maskClasses, ['lungs', 'heart']); // ordered by category id
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.deepStrictEqual(rows.map((r) => [r.id, r.patient, r.view]), [
      ['s0001_frontal', 's0001', 'frontal'], ['s0001_lateral', 's0001', 'lateral'], ['s0002_frontal', 's0002', 'frontal'], ['s0003_frontal', 's0003', 'frontal']]);
    assert.strictEqual(rows[0].split, rows[1].split);
    assert.strictEqual(rows[3].split, 'test');
    const ref = reference().paxray;
    const [lungs, heart] = await ds.loadMasks!('s0001_frontal');
    assert.deepStrictEqual(Array.from(lungs!), ref.lung);
    assert.deepStrictEqual(Array.from(heart!), ref.heart);
    const [l2, h2] = await ds.loadMasks!('s0001_lateral');
    assert.strictEqual(l2!.reduce((a, b) => a + b, 0), 0);
    assert.strictEqual(h2!.reduce((a, b) => a + b, 0), 12); // rectangle (1,1)-(5,4): centres x 1.5..4.5, y 1.5..3.5
  });
});
