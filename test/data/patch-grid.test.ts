import * as assert from 'assert';
import { intersectionArea, patchOverlap, patchRect, poolPatchGrid } from '../../lib/data/patch-grid';

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

  it('poolPatchGrid: 2 × 2 means of a 2 × 4 grid per image and channel; a grid the factor does not divide is an error', () => {
    // two images, a 2 × 4 grid, 2 channels: channel 0 = token index, channel 1 = 10 × image + token index
    const n = 2, H = 2, W = 4, D = 2;
    const x = new Float32Array(n * H * W * D);
    for (let i = 0; i < n; i++) for (let t = 0; t < H * W; t++) { x[(i * H * W + t) * D] = t; x[(i * H * W + t) * D + 1] = 10 * i + t; }
    const p = poolPatchGrid(x, n, H, W, D, 2);
    assert.deepStrictEqual([p.gridH, p.gridW], [1, 2]);
    // tokens 0,1,4,5 → 2.5; tokens 2,3,6,7 → 4.5
    assert.deepStrictEqual(Array.from(p.patches), [2.5, 2.5, 4.5, 4.5, 2.5, 12.5, 4.5, 14.5]);
    assert.strictEqual(poolPatchGrid(x, n, H, W, D, 1).patches, x);
    assert.throws(() => poolPatchGrid(x, n, H, W, D, 3), /2×4 patch grid is not divisible by 3/);
    assert.throws(() => poolPatchGrid(x.subarray(1), n, H, W, D, 2), /expected 2×2×4×2/);
  });
});
