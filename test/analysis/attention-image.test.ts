import * as assert from 'assert';
import { attentionToImage, maxAttentionPatch } from '../../lib/analysis';
import { resizeBilinear } from '../../lib/data/resize';
import { expectClose, loadFixture } from './helpers';

const fx = loadFixture('attention.json');

describe('attentionToImage (vs torch F.interpolate bilinear, align_corners=False, then min–max)', () => {
  for (const c of fx.cases) {
    it(`${c.gridH}×${c.gridW} → ${c.size}×${c.size}`, () => {
      const img = attentionToImage(Float32Array.from(c.map), c.gridH, c.gridW, c.size);
      assert.strictEqual(img.length, c.size * c.size);
      img.forEach((v, i) => expectClose(v, c.image[i], 1e-6, `pixel ${i}`));
      assert.strictEqual(Math.min(...img), 0);
      assert.ok(Math.abs(Math.max(...img) - 1) < 1e-7);
    });
  }

  it('constant map → zeros; a width × height size; bad input', () => {
    assert.ok(attentionToImage([1, 1, 1, 1], 2, 2, 5).every((v) => v === 0));
    assert.strictEqual(attentionToImage([0, 1, 2, 3, 4, 5], 2, 3, { width: 6, height: 4 }).length, 24);
    assert.throws(() => attentionToImage([1, 2, 3], 2, 2, 4), /map has 3 values, expected gridH·gridW = 2·2 = 4/);
    assert.throws(() => attentionToImage([1, NaN, 3, 4], 2, 2, 4), /map\[1\] is NaN/);
    assert.throws(() => attentionToImage([1, 2, 3, 4], 2, 2, 0), /invalid size/);
  });

  it('resizeBilinear: identity at the same size, borders repeat', () => {
    const src = [1, 2, 3, 4, 5, 6];
    assert.deepStrictEqual(Array.from(resizeBilinear(src, 2, 3, 2, 3)), src);
    const up = resizeBilinear([0, 10], 1, 2, 1, 4); // source x = -0.25 → 0 (clamped), 0.25, 0.75, 1.25 → 1 (border)
    assert.deepStrictEqual(Array.from(up), [0, 2.5, 7.5, 10]);
  });
});

describe('maxAttentionPatch', () => {
  for (const c of fx.cases) {
    it(`argmax of ${c.gridH}×${c.gridW} (vs numpy.argmax) and its pixel box`, () => {
      const m = maxAttentionPatch(Float32Array.from(c.map), c.gridH, c.gridW, { width: 10 * c.gridW, height: 20 * c.gridH });
      assert.strictEqual(m.index, c.argmax);
      assert.strictEqual(m.row, Math.floor(c.argmax / c.gridW));
      assert.strictEqual(m.col, c.argmax % c.gridW);
      assert.deepStrictEqual(m.box, { x: 10 * m.col, y: 20 * m.row, w: 10, h: 20 });
    });
  }

  it('ties go to the first patch; default image 224; non-integer patch sizes', () => {
    const m = maxAttentionPatch([0, 3, 3, 1], 2, 2);
    assert.strictEqual(m.index, 1);
    assert.deepStrictEqual(m.box, { x: 112, y: 0, w: 112, h: 112 });
    const odd = maxAttentionPatch([0, 0, 0, 0, 0, 1], 2, 3, 100);
    assert.strictEqual(odd.box.x, 200 / 3);
    assert.strictEqual(odd.box.y, 50);
  });
});
