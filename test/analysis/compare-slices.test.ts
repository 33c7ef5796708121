import * as assert from 'assert';
import { compareSlices, sliceBy } from '../../lib/analysis';
import { holm } from '../../lib/stats';
import { expectClose, sampleTable, samplesFixture } from './helpers';

const TOL = 1e-12;

describe('compareSlices', () => {
  const { fx, samples, sets } = samplesFixture();

  it('difference of means over sets and Mann-Whitney p over per-set values (vs scipy mannwhitneyu)', () => {
    for (const ref of fx.pairs) {
      const rows = compareSlices(sets, samples, ref.column, { pairs: [[ref.a, ref.b]], bootstrap: false, permutations: false })
        .objects() as Record<string, number & string>[];
      assert.strictEqual(rows.length, 1);
      const r = rows[0];
      assert.strictEqual(r.reason, '');
      expectClose(r.value_a, ref.value_a, TOL, `${ref.column} value_a`);
      expectClose(r.value_b, ref.value_b, TOL, `${ref.column} value_b`);
      expectClose(r.diff, ref.diff, TOL, `${ref.column} diff`);
      expectClose(r.p_mw, ref.p_mw, 1e-12, `${ref.column} p_mw`);
      assert.ok(Number.isNaN(r.p_perm) && Number.isNaN(r.lo) && Number.isNaN(r.p_adj));
    }
  });

  it('permutation p ≈ the exact p of every split of the pooled samples (itertools enumeration)', () => {
    const p = fx.permutation;
    const n = p.n_a + p.n_b;
    const tiny = sampleTable(Array.from({ length: n }, (_, i) => ({ id: `r${i}`, site: i < p.n_a ? 'a' : 'b', A: p.labels[i] })), ['A']);
    const preds = { ids: tiny.table.array('id') as string[], scores: Float32Array.from(p.scores), labels: Float32Array.from(p.labels) };
    const rows = compareSlices(preds, tiny, 'site', { minPerGroup: 5, bootstrap: { n: 300, seed: 3 }, permutations: { n: 4000, seed: 11 } })
      .objects() as Record<string, number & string>[];
    const r = rows[0];
    expectClose(r.diff, p.diff, TOL, 'diff');
    // Monte Carlo: sd of the estimate ≤ sqrt(0.25 / 4000) ≈ 0.008
    assert.ok(Math.abs(r.p_perm - p.p_exact) < 0.03, `p_perm ${r.p_perm} vs exact ${p.p_exact}`);
    assert.ok(r.lo < r.diff && r.diff < r.hi, `CI ${r.lo} … ${r.hi} around ${r.diff}`);
    assert.ok(Number.isNaN(r.p_mw), 'one set: no Mann-Whitney');
    assert.strictEqual(r.p_adj, r.p_perm, 'one pair: Holm leaves p unchanged');
  });

  it('every pair by default, Holm over the pairs, strong difference → small p', () => {
    const rows = compareSlices(sets, samples, 'population', { bootstrap: { n: 100, seed: 0 }, permutations: { n: 200, seed: 0 } })
      .objects() as Record<string, number & string>[];
    assert.strictEqual(rows.length, 1);
    const r = rows[0];
    assert.strictEqual(r.a, 'A');
    assert.ok(r.diff > 0.1 && r.lo > 0, `A − B = ${r.diff} [${r.lo}, ${r.hi}]`);
    assert.strictEqual(r.p_perm, 1 / 201, 'no permutation reaches the observed difference');
    const sex = compareSlices(sets, samples, 'age_bin', { bootstrap: false, permutations: { n: 100, seed: 2 } }).objects() as Record<string, number & string>[];
    assert.deepStrictEqual(sex.map((x) => `${x.a}-${x.b}`), ['Young-Middle', 'Young-Elder', 'Middle-Elder']);
    const adj = holm(sex.map((x) => x.p_perm));
    sex.forEach((x, i) => assert.strictEqual(x.p_adj, adj[i]));
    // the group values are sliceBy's values
    const sl = sliceBy(sets, samples, 'age_bin', { bootstrap: false }).objects() as Record<string, number & string>[];
    expectClose(sex[0].value_a, (sl.find((s) => s.group === 'Young') as Record<string, number>).value, TOL, 'Young');
  });

  it('unscorable groups give a reason and NaN', () => {
    const rows = compareSlices(sets[0], samples, 'age', { bins: [0, 20, 60, 100], pairs: [['[0, 20)', '[20, 60)']], permutations: { n: 10 } })
      .objects() as Record<string, number & string>[];
    assert.match(rows[0].reason, /^\[0, 20\): n=\d < minPerGroup=10$/);
    assert.ok(Number.isNaN(rows[0].diff) && Number.isNaN(rows[0].p_perm));
    assert.throws(() => compareSlices(sets, samples, 'sex', { pairs: [['F', 'X']] }), /no group 'X'/);
    assert.throws(() => compareSlices(sets, samples, 'sex', { pairs: [['F', 'F']] }), /compares a group with itself/);
  });
});
