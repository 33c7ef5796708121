import * as assert from 'assert';
import { bilinearTaps, resizeBilinear, sampleBilinear } from '../../lib/data/resize';

describe('data/resize (half-pixel bilinear)', () => {
  it('bilinearTaps 2 → 4: sources at −0.25 (clamped to 0), 0.25, 0.75, 1.25; the border rules differ only past the last pixel', () => {
    const t = bilinearTaps(2, 4);
    assert.deepStrictEqual(Array.from(t.i0), [0, 0, 0, 1]);
    assert.deepStrictEqual(Array.from(t.i1), [1, 1, 1, 1]);
    assert.deepStrictEqual(Array.from(t.w1), [0, 0.25, 0.75, 0.25]);
    const e = bilinearTaps(2, 4, 'exact');
    assert.deepStrictEqual(Array.from(e.i0), [0, 0, 0, 1]);
    assert.deepStrictEqual(Array.from(e.w1), [0, 0.25, 0.75, 0]);
  });

  it('bilinearTaps 4 → 2 (downscale): sources 0.5 and 2.5', () => {
    const t = bilinearTaps(4, 2);
    assert.deepStrictEqual(Array.from(t.i0), [0, 2]);
    assert.deepStrictEqual(Array.from(t.i1), [1, 3]);
    assert.deepStrictEqual(Array.from(t.w1), [0.5, 0.5]);
  });

  it('resizeBilinear and sampleBilinear agree inside the grid; sampleBilinear clamps outside', () => {
    const g = [0, 1, 2, 3]; // 2×2
    const up = resizeBilinear(g, 2, 2, 4, 4);
    // output (1, 2) samples source (x 0.75, y 0.25): 0.75·1 + 0.25·2 = 1.25
    assert.strictEqual(up[1 * 4 + 2], 1.25);
    assert.strictEqual(sampleBilinear(g, 2, 2, 0.75, 0.25), 1.25);
    assert.strictEqual(sampleBilinear(g, 2, 2, 0.5, 0.5), 1.5);
    assert.strictEqual(sampleBilinear(g, 2, 2, -3, -3), 0);
    assert.strictEqual(sampleBilinear(g, 2, 2, 9, 9), 3);
  });
});
