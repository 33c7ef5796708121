import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { decodeJsrtRaw } from '../../../lib/data/parsers/jsrt';
import { checkDataset } from '../../../lib/data/check';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

const SIZE = 8;
function rawImage(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(v, 2 * i));
  return b;
}

describe('parsers/jsrt (+ SCR)', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('jsrt');
    fs.mkdirSync(path.join(root, 'All247images'));
    for (const n of ['JPCLN001', 'JPCLN002', 'JPCLN003', 'JPCNN001', 'JPCNN002']) {
      fs.writeFileSync(path.join(root, 'All247images', `${n}.IMG`), rawImage(Array.from({ length: SIZE * SIZE }, (_, i) => i * 64)));
    }
    fs.writeFileSync(path.join(root, 'All247images', 'JPCNN002.IMG'), Buffer.alloc(10)); // truncated
    // SCR: 4×4 GIF masks (half the image side), fold1 for odd, fold2 for even images
    await writeImage(path.join(root, 'scr/fold1/masks/heart/JPCLN001.gif'), 'gif', 4, 4, [0, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0]);
    await writeImage(path.join(root, 'scr/fold2/masks/right lung/JPCLN002.gif'), 'gif', 4, 4, Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 255 : 0)));
  });
  after(cleanupRoots);

  it('decodes big-endian 12-bit raw, inverted', () => {
    const img = decodeJsrtRaw(rawImage([0, 4095, 0x1000 | 2048, 1]), 2, 2);
    assert.deepStrictEqual(Array.from(img.data).map((v) => Number(v.toFixed(6))), [1, 0, Number((1 - 2048 / 4095).toFixed(6)), Number((1 - 1 / 4095).toFixed(6))]);
    assert.throws(() => decodeJsrtRaw(Buffer.alloc(6), 2, 2, 'x.IMG'), /x\.IMG: expected 8 bytes \(2×2×2\), got 6/);
  });

  it('reads clinical files (tabs and spaces), boxes, parity split with train-as-val, SCR masks', async () => {
    const m = manifestWith('jsrt', { options: { size: SIZE } });
    const ds = await loadDataset(m, { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 5);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const a = byId.get('JPCLN001')!;
    assert.deepStrictEqual([a.nodule, a.malignant, a.age, a.sex, a.subtlety, a.location, a.diagnosis, a.split], [1, 1, 53, 'M', 5, 'l.upper lobe', 'lung cancer', 'train']);
    assert.deepStrictEqual([byId.get('JPCLN003')!.age, byId.get('JPCLN003')!.malignant], [null, 0]);
    assert.deepStrictEqual([byId.get('JPCNN002')!.sex, byId.get('JPCNN002')!.age, byId.get('JPCNN002')!.diagnosis, byId.get('JPCNN002')!.split], ['F', 62, 'non-nodule', 'test']);
    const box = ds.boxes!.find((b) => b.id === 'JPCLN001')!;
    const side = 15 / 0.175 * SIZE / 2048;
    assert.ok(Math.abs(box.w - side) < 1e-9 && Math.abs(box.x - (1634 * SIZE / 2048 - side / 2)) < 1e-9);
    const val = await loadDataset(m, { root, split: 'val' });
    assert.deepStrictEqual(val.table.array('id'), ['JPCLN001', 'JPCLN003', 'JPCNN001']);
    assert.deepStrictEqual(new Set(val.table.array('split') as string[]), new Set(['val']));
    const masks = await ds.loadMasks!('JPCLN001');
    assert.deepStrictEqual(ds.maskClasses, ['right lung', 'left lung', 'heart', 'right clavicle', 'left clavicle']);
    assert.strictEqual(masks[0], null);
    const heart = masks[2]!;
    assert.strictEqual(heart.length, SIZE * SIZE);
    assert.strictEqual(heart.reduce((s, v) => s + v, 0), 16); // 2×2 block upsampled ×2
    assert.strictEqual(heart[2 * SIZE + 2], 1);
    assert.strictEqual((await ds.loadMasks!('JPCLN002'))[0]!.reduce((s, v) => s + v, 0), 32);
    const img = await ds.loadImage('JPCLN001');
    assert.strictEqual(img.data[0], 1);
  });

  it('data check flags the truncated raw file', async () => {
    const { report } = await checkDataset(manifestWith('jsrt', { options: { size: SIZE } }), { root });
    assert.strictEqual(report.problems.length, 1);
    assert.match(report.problems[0].reason, /JPCNN002\.IMG: expected 128 bytes/);
    assert.strictEqual(report.images, 4);
  });
});
