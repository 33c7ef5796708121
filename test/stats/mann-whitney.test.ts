import * as assert from 'assert';
import { mannWhitneyExactCdf, mannWhitneyU } from '../../lib/stats';
import { expectAllClose, expectClose, loadFixture, METRIC, PVALUE, vec } from './helpers';

const fx = loadFixture('mann-whitney.json');

describe('mannWhitneyU (vs scipy.stats.mannwhitneyu 1.10)', () => {
  for (const c of fx.cases) {
    it(`${c.name}: ${c.results.length} alternative × method × continuity combinations`, () => {
      const x = vec(c.x);
      const y = vec(c.y);
      for (const r of c.results) {
        const what = `${r.alternative}/${r.method}/continuity=${r.useContinuity}`;
        const res = mannWhitneyU(x, y, { alternative: r.alternative, method: r.method, useContinuity: r.useContinuity });
        expectClose(res.U, r.U, METRIC, `U ${what}`);
        expectClose(res.p, r.p, PVALUE, `p ${what}`);
      }
    });
  }

  it('exact null distribution = scipy _mwu_state.cdf for every k', () => {
    for (const d of fx.exactCdf) {
      const got = Array.from({ length: d.m * d.n + 1 }, (_, k) => mannWhitneyExactCdf(k, d.m, d.n));
      expectAllClose(got, d.cdf, { rel: 1e-9 }, `cdf m=${d.m} n=${d.n}`);
    }
  });

  it("'auto' picks exact only without ties and with min(n1, n2) ≤ 8 (scipy 1.10 _mwu_choose_method)", () => {
    assert.strictEqual(mannWhitneyU([1, 2, 3], [4, 5, 6, 7]).method, 'exact');
    assert.strictEqual(mannWhitneyU([1, 2, 3], [3, 5, 6, 7]).method, 'asymptotic');
    const big = Array.from({ length: 9 }, (_, i) => i);
    assert.strictEqual(mannWhitneyU(big, big.map((v) => v + 0.5)).method, 'asymptotic');
    assert.strictEqual(mannWhitneyU(big.slice(0, 8), big.map((v) => v + 100.5)).method, 'exact');
  });

  it('scipy docstring example: males vs females, U = 17, exact p = 0.1111…', () => {
    const r = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], { method: 'exact' });
    assert.strictEqual(r.U, 17);
    assert.ok(Math.abs(r.p - 1 / 9) < 1e-15);
  });

  it('exact is fast for one small group against a large one (8 × 100000)', () => {
    const t0 = Date.now();
    const p = mannWhitneyExactCdf(400000, 8, 100000);
    assert.ok(p > 0 && p < 1 && Date.now() - t0 < 5000);
  });

  it('bad input names the problem', () => {
    assert.throws(() => mannWhitneyU([], [1]), /mannWhitneyU: x is empty/);
    assert.throws(() => mannWhitneyU([1, NaN], [1]), /mannWhitneyU: x\[1\] is NaN/);
    assert.throws(() => mannWhitneyU([1, 2], [-Infinity]), /mannWhitneyU: y\[0\] is -Infinity/);
    assert.throws(() => mannWhitneyU(new Float64Array(10000), new Float64Array(10000), { method: 'exact' }), /too large; use 'asymptotic'/);
    assert.throws(() => mannWhitneyU([1], [2], { alternative: 'bigger' as never }), /invalid alternative: bigger/);
    assert.throws(() => mannWhitneyU([1], [2], { method: 'perm' as never }), /invalid method: perm/);
  });
});
