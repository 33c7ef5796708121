import assert from 'assert';
import { fillPolygon } from '../../lib/data/polygon';

describe('fillPolygon', () => {
  it('fills pixels whose centre is inside (axis-aligned rectangle)', () => {
    const m = fillPolygon([{ x: 1, y: 1 }, { x: 4, y: 1 }, { x: 4, y: 3 }, { x: 1, y: 3 }], 5, 4);
    assert.deepStrictEqual(Array.from(m), [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });
  it('handles concave shapes (even-odd), clipping, and degenerate input', () => {
    // a "U": the notch (x 2..3, y 0..2) stays empty
    const u = fillPolygon([{ x: 0, y: 0 }, { x: 2, y: 0 }, { x: 2, y: 2 }, { x: 3, y: 2 }, { x: 3, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 3 }, { x: 0, y: 3 }], 5, 3);
    assert.deepStrictEqual(Array.from(u), [1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    const big = fillPolygon([{ x: -10, y: -10 }, { x: 20, y: -10 }, { x: 20, y: 20 }, { x: -10, y: 20 }], 3, 2);
    assert.deepStrictEqual(Array.from(big), [1, 1, 1, 1, 1, 1]);
    assert.deepStrictEqual(Array.from(fillPolygon([{ x: 0, y: 0 }, { x: 1, y: 1 }], 2, 2)), [0, 0, 0, 0]);
  });
});
