import * as assert from 'assert';
import { demographicsTable, formatDemographics, noFindingRule } from '../../lib/analysis';
import { expectClose, sampleTable, samplesFixture } from './helpers';

const TOL = 1e-12;
const NUMBERS = ['n_images', 'n_patients', 'n_sex_known', 'pct_female', 'n_age_known', 'age_mean', 'age_sd'] as const;

describe('demographicsTable (vs numpy, pandas conventions: ddof=1, NaN skipped)', () => {
  const { fx, samples } = samplesFixture();

  it('per split + all, with the No Finding column rule', () => {
    const t = demographicsTable(samples).objects() as Record<string, number>[];
    assert.deepStrictEqual(t.map((r) => r.split), ['train', 'val', 'test', 'all']);
    t.forEach((row, i) => {
      const ref = fx.demographics.overall[i];
      assert.strictEqual(row.split, ref.split);
      for (const c of NUMBERS) expectClose(row[c], ref[c], TOL, `${ref.split} ${c}`);
      expectClose(row.pct_no_finding, ref.pct_no_finding_column, TOL, `${ref.split} pct_no_finding (column)`);
    });
  });

  it('the all-zero rule when forced (rows with an unknown label and no positive do not count)', () => {
    assert.deepStrictEqual(noFindingRule(samples, 'all-zero'), { kind: 'all-zero', labels: fx.findings });
    const t = demographicsTable(samples, { noFinding: 'all-zero' }).objects() as Record<string, number>[];
    t.forEach((row, i) => expectClose(row.pct_no_finding, fx.demographics.overall[i].pct_no_finding_rule, TOL, `${row.split} pct_no_finding (rule)`));
    // a dataset without a No Finding column uses the rule automatically
    const noCol = sampleTable(fx.rows.map(({ ['No Finding']: _, ...r }: Record<string, unknown>) => r), fx.findings);
    const t2 = demographicsTable(noCol).objects() as Record<string, number>[];
    t2.forEach((row, i) => expectClose(row.pct_no_finding, fx.demographics.overall[i].pct_no_finding_rule, TOL, `${row.split} auto rule`));
  });

  it('grouped by population', () => {
    const t = demographicsTable(samples, { groupBy: 'population', total: false }).objects() as Record<string, number>[];
    assert.strictEqual(t.length, fx.demographics.by_population.length);
    for (const ref of fx.demographics.by_population) {
      const row = t.find((r) => r.split === ref.split && (r.population as unknown) === ref.population);
      assert.ok(row, `row ${ref.split}/${ref.population}`);
      for (const c of NUMBERS) expectClose(row[c], ref[c], TOL, `${ref.split}/${ref.population} ${c}`);
      expectClose(row.pct_no_finding, ref.pct_no_finding_column, TOL, `${ref.split}/${ref.population} pct_no_finding`);
    }
  });

  it('formatDemographics writes the paper style strings', () => {
    const f = formatDemographics(demographicsTable(samples)).objects() as Record<string, string>[];
    const ref = fx.demographics.overall[0];
    assert.deepStrictEqual(f[0], {
      Split: 'train', Images: '80', Patients: '40', 'Female (%)': ref.pct_female.toFixed(1),
      'Age, mean (SD)': `${ref.age_mean.toFixed(1)} (${ref.age_sd.toFixed(1)})`, 'No finding (%)': ref.pct_no_finding_column.toFixed(1),
    });
    assert.strictEqual(f[0]['Female (%)'], '65.7');
    assert.strictEqual(f[0]['Age, mean (SD)'], '57.0 (21.4)');
    const big = sampleTable(Array.from({ length: 1234 }, (_, i) => ({ id: `i${i}`, patient: `p${i}`, split: 'test', sex: null, age: null, A: 0 })), ['A']);
    const fb = formatDemographics(demographicsTable(big, { total: false })).objects() as Record<string, string>[];
    assert.deepStrictEqual(fb[0], { Split: 'test', Images: '1,234', Patients: '1,234', 'Female (%)': '–', 'Age, mean (SD)': '–', 'No finding (%)': '100.0' });
  });

  it('bad input names the problem', () => {
    const bad = sampleTable([{ id: 'a', patient: 'p', split: 'test', age: 3, A: 1 }], ['A']);
    assert.throws(() => demographicsTable(bad), /dataset fixture has no 'sex' column/);
    assert.throws(() => demographicsTable(samples, { groupBy: 'site' }), /no column 'site' to group by/);
    assert.throws(() => noFindingRule(bad, 'column'), /has no 'No Finding' label/);
  });
});
