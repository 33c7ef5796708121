import * as assert from 'assert';
import { groupedVerdicts, oneSampleTTestFromStats, tTestFromStats, verdicts } from '../../lib/stats';
import { expectAllClose, loadFixture } from './helpers';

const fx = loadFixture('verdict.json');

describe('verdicts (Holm over a family, scipy reference)', () => {
  for (const c of fx.cases) {
    it(`${c.name}: p, Holm-adjusted p and decisions equal the reference`, () => {
      const fam = c.comparisons.map((r: any) => ({ a: r.a, b: r.b, samplesA: r.ints_a.map((x: number) => x / 1000), samplesB: r.ints_b.map((x: number) => x / 1000) }));
      const v = verdicts(fam, { test: c.test === 't' ? 't' : 'mann-whitney', alpha: c.alpha });
      expectAllClose(v.map((x) => x.p), c.comparisons.map((r: any) => r.p), { rel: 1e-9 }, `${c.name} p`);
      expectAllClose(v.map((x) => x.pHolm), c.comparisons.map((r: any) => r.p_holm), { rel: 1e-9 }, `${c.name} holm`);
      assert.deepStrictEqual(v.map((x) => x.significant), c.comparisons.map((r: any) => r.significant));
      v.forEach((x) => assert.match(x.line, x.significant ? / better than .*Holm-adjusted/ : /^no significant difference between/));
    });
  }
  it('separated: names the better one; overlapping: no claim', () => {
    const sep = fx.cases.find((c: any) => c.name === 'separated t').comparisons[0];
    const [v] = verdicts([{ a: 'random', b: 'ssl', samplesA: sep.ints_b.map((x: number) => x / 1000), samplesB: sep.ints_a.map((x: number) => x / 1000) }]);
    assert.strictEqual(v.better, 'ssl');
    assert.match(v.line, /^ssl better than random \(p = 3\.8e-11|^ssl better than random \(p ≤ 1e-5/);
    const [w] = verdicts([{ a: 'ssl', b: 'random', p: 0.13, meanA: 0.72, meanB: 0.70 }]);
    assert.strictEqual(w.better, null);
    assert.strictEqual(w.line, 'no significant difference between ssl and random (p = 0.13, Holm-adjusted p = 0.13)');
  });
  it('raw p 0.029 is not a claim once Holm counts the family of 3', () => {
    const c = fx.cases.find((x: any) => x.name === 'holm flips one');
    assert.ok(c.comparisons[0].p < 0.05 && !c.comparisons[0].significant);
  });
  it('lower-is-better, too few values, bad input', () => {
    const [v] = verdicts([{ a: 'x', b: 'y', p: 0.001, meanA: 1, meanB: 2 }], { higherIsBetter: false });
    assert.strictEqual(v.better, 'x');
    const [n] = verdicts([{ a: 'x', b: 'y', samplesA: [1], samplesB: [2, 3] }]);
    assert.ok(Number.isNaN(n.p) && !n.significant && /not tested/.test(n.line));
    assert.throws(() => verdicts([{ a: 'x', b: 'y' }]), /comparison 0 \(x vs y\) has neither p nor samples/);
    assert.throws(() => verdicts([{ a: 'x', b: 'y', p: 2 }]), /has p = 2/);
  });
});

describe('groupedVerdicts', () => {
  it('runs Holm over every group together and hands each group its own verdicts', () => {
    const c = (a: string, p: number) => ({ a, b: 'ref', p, meanA: 1, meanB: 0 });
    const groups = [{ key: 'x', family: [c('a', 0.01), c('b', 0.04)] }, { key: 'empty', family: [] }, { key: 'y', family: [c('c', 0.02)] }];
    const out = groupedVerdicts(groups);
    const flat = verdicts([...groups[0].family, ...groups[2].family]);
    assert.deepStrictEqual(out.map((g) => g.key), ['x', 'empty', 'y']);
    assert.deepStrictEqual(out.map((g) => g.verdicts.length), [2, 0, 1]);
    assert.deepStrictEqual([...out[0].verdicts, ...out[2].verdicts].map((v) => v.pHolm), flat.map((v) => v.pHolm));
    // Holm over the three p of the figure, sorted 0.01, 0.02, 0.04: 0.01·3 = 0.03, max(0.03, 0.02·2) = 0.04, max(0.04, 0.04·1) = 0.04
    assert.deepStrictEqual(out[0].verdicts.map((v) => v.pHolm), [0.03, 0.04]);
    assert.deepStrictEqual(out[2].verdicts.map((v) => v.pHolm), [0.04]);
  });
});

describe('tTestFromStats', () => {
  it('equals scipy ttest_ind_from_stats (equal variances)', () => {
    for (const c of fx.from_stats) {
      const [ma, sa, na, mb, sb, nb] = c.args;
      const r = tTestFromStats(ma, sa, na, mb, sb, nb);
      expectAllClose([r.t, r.p], [c.t, c.p], { rel: 1e-9 }, `from_stats ${c.args}`);
    }
    assert.ok(Number.isNaN(tTestFromStats(0.5, 0.1, 1, 0.4, 0.1, 5).p));
  });
});

describe('oneSampleTTestFromStats', () => {
  it('equals scipy ttest_1samp on the samples the mean / SD / n came from', () => {
    for (const c of fx.one_sample) {
      const [m, sd, n, mu] = c.args;
      const r = oneSampleTTestFromStats(m, sd, n, mu);
      expectAllClose([r.t, r.p], [c.t, c.p], { rel: 1e-9 }, `one_sample ${c.args}`);
    }
    assert.ok(Number.isNaN(oneSampleTTestFromStats(0.5, 0.1, 1, 0.4).p));
    assert.ok(Number.isNaN(oneSampleTTestFromStats(0.5, 0, 5, 0.4).p));
  });
});
