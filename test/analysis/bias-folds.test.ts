import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { biasFoldRows, biasFoldTable, biasMatrix, biasPAnnotations, describeAgeBias, describeSexBias, parsePair, sameVsOtherTrained } from '../../lib/analysis/bias-folds';
import { smallestMannWhitneyP } from '../../lib/stats/mann-whitney';
import { sexBiasFigure } from '../../lib/figures/sex-bias';

const ref = require('../fixtures/study/bias-explainability.json');
const table = aq.from(ref.bias.rows);

describe('parsePair', () => {
  it('reads train / test groups and ignores test rows', () => {
    assert.deepEqual(parsePair('train=F|test=All'), ['F', 'All']);
    assert.equal(parsePair('F vs M|test=F'), undefined);
  });
});

describe('biasFoldRows', () => {
  it('keeps one row per fold, limited to the test groups asked for', () => {
    const r = biasFoldRows(table, { testGroups: ['F', 'M'] }).objects() as any[];
    assert.equal(r.length, 3 * 2 * 6);
    assert.deepEqual([...new Set(r.map((x) => x.test_group))].sort(), ['F', 'M']);
    assert.ok(r.every((x) => x.fold >= 0 && x.model === 'enc'));
  });
  it('throws naming the metric when nothing matches', () => {
    assert.throws(() => biasFoldRows(table, { metric: 'auprc' }), /no 'auprc' fold rows/);
  });
});

describe('biasMatrix', () => {
  it('mean and SD over folds equal numpy (ddof = 1)', () => {
    const m = biasMatrix(table).objects() as any[];
    assert.equal(m.length, 9);
    for (const e of ref.bias.matrix) {
      const r = m.find((x) => x.train_group === e.train_group && x.test_group === e.test_group);
      assert.ok(Math.abs(r.value - e.value) < 1e-12 && Math.abs(r.sd - e.sd) < 1e-12 && r.n === e.n, JSON.stringify(r));
    }
  });
});

describe('biasPAnnotations', () => {
  it('places the scipy Mann-Whitney p of F vs M above each training group', () => {
    const a = biasPAnnotations(table).objects() as any[];
    assert.equal(a.length, 3);
    const f = a.find((x) => x.train_group === 'F');
    assert.ok(Math.abs(f.p - 0.04112554112554113) < 1e-15);
    assert.equal(f.label, 'p = 0.041');
    const top = Math.max(...(ref.bias.rows as any[]).filter((r) => r.group === 'train=F|test=F' || r.group === 'train=F|test=M').map((r) => r.value));
    assert.ok(Math.abs(f.y - (top + 0.01)) < 1e-12);
  });
});

// scipy.stats.mannwhitneyu (two-sided, 6 folds each, exact): tested on F, train F vs train M → 0.24026; tested on M,
// train M vs train F → 0.13203; Holm over the two: 0.26407 (= 2 · 0.13203) for both
const P_F = 0.24025974025974026, P_M = 0.13203463203463203;

describe('sameVsOtherTrained (the paper\'s Fig 4c comparison)', () => {
  it('per test sex, same-sex- vs other-sex-trained folds: scipy Mann-Whitney p and Holm', () => {
    const c = sameVsOtherTrained(table, { groups: ['F', 'M'] }).objects() as any[];
    assert.deepEqual(c.map((r) => [r.test_group, r.other_group]), [['F', 'M'], ['M', 'F']]);
    assert.ok(Math.abs(c[0].p - P_F) < 1e-12 && Math.abs(c[1].p - P_M) < 1e-12, `${c[0].p} ${c[1].p}`);
    assert.ok(Math.abs(c[0].p_holm - 2 * P_M) < 1e-12 && Math.abs(c[1].p_holm - 2 * P_M) < 1e-12);
    assert.ok(Math.abs(c[0].same - 0.6846529152161122) < 1e-12 && Math.abs(c[0].other - 0.7020496486408218) < 1e-12);
    assert.equal(c[0].line, 'enc, tested on F: no significant difference between trained on F and trained on M (p = 0.24, Holm-adjusted p = 0.26)');
  });
  it('smallest reachable p: 5 folds 0.0079 (exact), 10 folds 1.8e-4, 20 folds 6.8e-8 (scipy, asymptotic above 8)', () => {
    assert.ok(Math.abs(smallestMannWhitneyP(5) - 0.007936507936507936) < 1e-12);
    assert.ok(Math.abs(smallestMannWhitneyP(10) - 0.00018267179110955002) < 1e-9);
    assert.ok(Math.abs(smallestMannWhitneyP(20) - 6.795615128173358e-08) < 1e-12);
  });
  it('the figure: x = test sex, colour = training group, p per test sex, fold floor in the title', () => {
    const spec = sexBiasFigure(table, { title: 'Fig 4c' }) as any;
    assert.match(String(spec.title), /^Fig 4c · 6 folds: smallest reachable Mann-Whitney p = 0\.0022$/);
    const json = JSON.stringify(spec);
    assert.ok(json.includes('"title":"tested on"') && json.includes('"field":"test_group"'));
    assert.ok(json.includes('"label":"p = 0.24"') && json.includes('"label":"p = 0.13"'));
  });
});

describe('biasFoldTable', () => {
  it('gives every F / M test row the same- vs other-sex p of its test sex (the Fig 4c table, never header-only)', () => {
    const t = biasFoldTable(table).objects() as any[];
    assert.equal(t.length, 6); // 3 training groups × 2 test sexes
    assert.deepEqual(Object.keys(t[0]).sort(), ['model', 'n', 'p_holm_same_vs_other', 'p_same_vs_other', 'sd', 'test_group', 'train_group', 'value']);
    for (const r of t) assert.ok(Math.abs(r.p_same_vs_other - (r.test_group === 'F' ? P_F : P_M)) < 1e-12);
  });
});

describe('describeSexBias / describeAgeBias', () => {
  it('state the numbers and claim a gap only where Holm-corrected Mann-Whitney is significant', () => {
    const [line] = describeSexBias(table);
    assert.match(line, /^enc: tested on F: same sex 0\.685, other sex 0\.702, All \(topline\) 0\.\d{3} → no significant difference between trained on F and trained on M \(p = 0\.24, Holm-adjusted p = 0\.26\)/);
    assert.match(line, /0 of 2 test sexes show a significant same- vs other-sex gap after Holm\.$/);
    const [age] = describeAgeBias(table.filter((d: any) => d.fold >= 0));
    assert.match(age, /^enc: mean AUROC per test group/);
    assert.match(age, /own- vs other-group comparisons significant after Holm/);
  });
});
