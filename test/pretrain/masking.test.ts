import * as assert from 'assert';
import { createRng } from '../../lib/engine/rng';
import { batchMasks, blockMask } from '../../lib/pretrain/masking';

const sum = (m: Uint8Array, from = 0, to = m.length) => m.slice(from, to).reduce((a, b) => a + b, 0);

describe('blockMask', () => {
  it('masks exactly the target count when it is reachable, in rectangular blocks', () => {
    const rng = createRng(3);
    for (const count of [4, 10, 20, 32]) {
      const m = blockMask(count, { gridH: 8, gridW: 8 }, rng);
      assert.strictEqual(sum(m), count);
    }
  });

  it('masks nothing for 0 and is deterministic from the seed', () => {
    assert.strictEqual(sum(blockMask(0, { gridH: 8, gridW: 8 }, createRng(1))), 0);
    assert.deepStrictEqual(blockMask(12, { gridH: 8, gridW: 8 }, createRng(9)), blockMask(12, { gridH: 8, gridW: 8 }, createRng(9)));
  });
});

describe('batchMasks', () => {
  it('masks a fraction `probability` of crops with ratios inside the range (dinov2 collate)', () => {
    const n = 16, T = 64;
    const m = batchMasks(n, { gridH: 8, gridW: 8, ratio: [0.1, 0.5], probability: 0.5 }, createRng(4));
    const counts = Array.from({ length: n }, (_, i) => sum(m, i * T, (i + 1) * T));
    const masked = counts.filter((c) => c > 0);
    assert.strictEqual(masked.length, 8);
    // dinov2 caps one crop at 0.5·T patches and targets ⌊T·U(p_i, p_i+1)⌋ ≥ ⌊0.1·T⌋
    for (const c of masked) assert.ok(c >= Math.floor(0.1 * T) && c <= 0.5 * T, `count ${c}`);
  });
});
