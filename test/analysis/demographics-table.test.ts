import * as assert from 'assert';
import { biasGroupDemographics, demographicsTable, formatDemographics, noFindingRule } from '../../lib/analysis';
import { expectClose, loadFixture, sampleTable, samplesFixture } from './helpers';

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

describe('biasGroupDemographics (Table S2 as the paper; numpy reference of scripts/gen-bias-groups-fixture.py)', () => {
  const { samples, fx } = samplesFixture();
  const ref = loadFixture('bias-groups.json');
  const COLS = [...NUMBERS, 'pct_no_finding'] as const;

  it('one row per bias group, in the paper order, equal to numpy over every row', () => {
    const t = biasGroupDemographics(samples).objects() as Record<string, number & string>[];
    assert.deepStrictEqual(t.map((r) => `${r.attribute}:${r.group}`), ['sex:Female', 'sex:Male', 'age:Young', 'age:Middle', 'age:Elder']);
    t.forEach((row, i) => { for (const c of COLS) expectClose(row[c], ref.all[i][c], TOL, `${row.group} ${c}`); });
    // sex groups are pure, rows of unknown sex / age bin belong to no group of that attribute
    assert.deepStrictEqual(t.map((r) => r.pct_female).slice(0, 2), [100, 0]);
    const known = (c: string) => fx.rows.filter((r: Record<string, unknown>) => r[c] !== null).length;
    assert.strictEqual(t[0].n_images + t[1].n_images, known('sex'));
    assert.strictEqual(t[2].n_images + t[3].n_images + t[4].n_images, known('age_bin'));
    assert.ok(known('sex') < fx.rows.length && known('age_bin') < fx.rows.length, 'the fixture has unknown sexes and ages');
  });

  it('restricted to splits', () => {
    const t = biasGroupDemographics(samples, { splits: ['test'] }).objects() as Record<string, number>[];
    t.forEach((row, i) => { for (const c of COLS) expectClose(row[c], ref.test[i][c], TOL, `test ${ref.test[i].group} ${c}`); });
  });

  it('an empty group keeps its row; formatted as the paper without a Split column', () => {
    const noElder = sampleTable(fx.rows.filter((r: Record<string, unknown>) => r.age_bin !== 'Elder'), [...fx.findings, 'No Finding']);
    const f = formatDemographics(biasGroupDemographics(noElder)).objects() as Record<string, string>[];
    assert.deepStrictEqual(Object.keys(f[0]), ['Attribute', 'Group', 'Images', 'Patients', 'Female (%)', 'Age, mean (SD)', 'No finding (%)']);
    assert.deepStrictEqual(f[4], { Attribute: 'age', Group: 'Elder', Images: '0', Patients: '0', 'Female (%)': '–', 'Age, mean (SD)': '–', 'No finding (%)': '–' });
    const all = formatDemographics(biasGroupDemographics(samples)).objects() as Record<string, string>[];
    assert.strictEqual(all[0]['Age, mean (SD)'], `${ref.all[0].age_mean.toFixed(1)} (${ref.all[0].age_sd.toFixed(1)})`);
    assert.strictEqual(all[0]['Age, mean (SD)'], '58.6 (20.3)');
  });

  it('names a missing column', () => {
    const bad = sampleTable([{ id: 'a', patient: 'p', split: 'test', sex: 'F', age: 3, A: 1 }], ['A']);
    assert.throws(() => biasGroupDemographics(bad), /dataset fixture has no 'age_bin' column/);
  });
});
