import * as assert from 'assert';
import { intersectionArea, patchOverlap, patchRect } from '../../lib/data/patch-grid';

describe('data/patch-grid', () => {
  it('patchRect: patch 5 of a 2×4 grid over a 100×60 image is row 1, col 1, 25×30 px at (25, 30)', () => {
    assert.deepStrictEqual(patchRect(5, 2, 4, 100, 60), { row: 1, col: 1, x: 25, y: 30, w: 25, h: 30 });
  });

  it('intersectionArea: overlap, touching edges and apart', () => {
    assert.strictEqual(intersectionArea({ x: 0, y: 0, w: 4, h: 4 }, { x: 2, y: 1, w: 4, h: 2 }), 4);
    assert.strictEqual(intersectionArea({ x: 0, y: 0, w: 4, h: 4 }, { x: 4, y: 0, w: 2, h: 2 }), 0);
    assert.strictEqual(intersectionArea({ x: 0, y: 0, w: 1, h: 1 }, { x: 5, y: 5, w: 1, h: 1 }), 0);
  });

  it('patchOverlap divides by the box when it is smaller than the patch', () => {
    // patch 0 of 2×2 over 16×16 is 8×8; a 2×2 box inside it → 1, not 4/64
    assert.strictEqual(patchOverlap(0, 2, 2, 16, 16, { x: 1, y: 1, w: 2, h: 2 }), 1);
    assert.strictEqual(patchOverlap(3, 2, 2, 16, 16, { x: 1, y: 1, w: 2, h: 2 }), 0);
  });
});
