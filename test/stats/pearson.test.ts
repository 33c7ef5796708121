import * as assert from 'assert';
import { pearson, UndefinedMetricError } from '../../lib/stats';
import { expectClose, loadFixture, METRIC, PVALUE, vec } from './helpers';

const fx = loadFixture('regression.json');

describe('pearson (vs scipy.stats.pearsonr 1.10)', () => {
  for (const c of fx.pearson) {
    const x = vec(c.x);
    const y = vec(c.y);
    it(`n=${x.length}`, () => {
      for (const r of c.results) {
        const res = pearson(x, y, { alternative: r.alternative });
        expectClose(res.r, r.r, METRIC, `r ${r.alternative}`);
        expectClose(res.p, r.p, PVALUE, `p ${r.alternative}`);
      }
    });
  }
  it('constant input is undefined; bad input names the problem', () => {
    assert.throws(() => pearson([1, 1, 1], [1, 2, 3]), UndefinedMetricError);
    assert.throws(() => pearson([1, 2, 3], [1, 2]), /pearson: length mismatch: x has 3 entries, y has 2/);
    assert.throws(() => pearson([1], [1]), /pearson: x needs at least 2 values/);
    assert.throws(() => pearson([1, 2, NaN], [1, 2, 3]), /pearson: x\[2\] is NaN/);
  });
});
