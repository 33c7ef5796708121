import * as assert from 'assert';
import { bonferroni, holm } from '../../lib/stats';
import { expectAllClose, loadFixture } from './helpers';

const fx = loadFixture('p-adjust.json');

describe('holm / bonferroni', () => {
  it('match the reference adjustments (statsmodels multipletests semantics)', () => {
    for (const c of fx.cases) {
      expectAllClose(holm(c.p), c.holm, { abs: 1e-15 }, `holm m=${c.p.length}`);
      expectAllClose(bonferroni(c.p), c.bonferroni, { abs: 1e-15 }, `bonferroni m=${c.p.length}`);
    }
  });
  it('hand example', () => {
    // sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → running max 0.02, 0.03, 0.06, 0.06
    const h = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => assert.ok(Math.abs(h[i] - v) < 1e-15));
    assert.deepStrictEqual(bonferroni([0.2, 0.5]), [0.4, 1]);
  });
  it('bad input names the problem', () => {
    assert.throws(() => holm([]), /holm: p is empty/);
    assert.throws(() => bonferroni([0.1, 1.2]), /bonferroni: p\[1\] is 1.2/);
    assert.throws(() => holm([NaN]), /holm: p\[0\] is NaN/);
  });
});
