import * as assert from 'assert';
import { pairedTTest, tTest } from '../../lib/stats';
import { expectClose, loadFixture, PVALUE, vec } from './helpers';

const fx = loadFixture('t-test.json');
const T = { rel: 1e-9, abs: 1e-12 };

describe('tTest (vs scipy.stats.ttest_ind, Student and Welch)', () => {
  for (const c of fx.ind) {
    const a = vec(c.a);
    const b = vec(c.b);
    it(`n=${a.length}/${b.length}`, () => {
      for (const r of c.results) {
        const what = `equalVar=${r.equalVar} ${r.alternative}`;
        const res = tTest(a, b, { equalVar: r.equalVar, alternative: r.alternative });
        expectClose(res.t, r.t, T, `t ${what}`);
        expectClose(res.p, r.p, PVALUE, `p ${what}`);
      }
    });
  }
  it('df: Student n1 + n2 − 2; Welch–Satterthwaite (hand-computed)', () => {
    assert.strictEqual(tTest([1, 2, 3], [4, 5, 6, 7]).df, 5);
    // v1 = 1, v2 = 5/3; vn1 = 1/3, vn2 = 5/12; df = (3/4)² / ((1/3)²/2 + (5/12)²/3) = 0.5625 / 0.113426 = 4.9592
    assert.ok(Math.abs(tTest([1, 2, 3], [4, 5, 6, 7], { equalVar: false }).df - 0.5625 / (1 / 18 + 25 / 432)) < 1e-12);
  });
  it('bad input names the problem', () => {
    assert.throws(() => tTest([1], [1, 2]), /tTest: a needs at least 2 values, got 1/);
    assert.throws(() => tTest([1, 2], [1, Infinity]), /tTest: b\[1\] is Infinity/);
  });
});

describe('pairedTTest (vs scipy.stats.ttest_rel)', () => {
  for (const c of fx.rel) {
    const a = vec(c.a);
    const b = vec(c.b);
    it(`n=${a.length}`, () => {
      for (const r of c.results) {
        const res = pairedTTest(a, b, { alternative: r.alternative });
        expectClose(res.t, r.t, T, `t ${r.alternative}`);
        expectClose(res.p, r.p, PVALUE, `p ${r.alternative}`);
        assert.strictEqual(res.df, a.length - 1);
      }
    });
  }
  it('bad input names the problem', () => {
    assert.throws(() => pairedTTest([1, 2, 3], [1, 2]), /pairedTTest: length mismatch: a has 3 entries, b has 2/);
  });
});
