import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { tableS2, tableS2Splits } from '../../lib/analysis/demographics-table';
import { samplesFixture } from './helpers';

const ref = require('../fixtures/study/bias-explainability.json');

describe('tableS2Splits', () => {
  it('stacks formatted demographics per dataset and split with pandas-equal % female and age mean (SD)', () => {
    const t = aq.from(ref.demo.rows);
    const s: SampleTable = { dataset: 'toy', table: t, labelNames: [], problems: [], loadImage: () => Promise.reject(new Error('no images')) };
    const out = tableS2Splits([s, { ...s, dataset: 'toy2' }]).objects() as any[];
    assert.equal(out.length, 6);
    assert.deepEqual(out.map((r) => r.dataset), ['toy', 'toy', 'toy', 'toy2', 'toy2', 'toy2']);
    for (const e of ref.demo.expected) {
      const r = out.find((x) => x.Split === e.split && x.dataset === 'toy');
      assert.equal(r['Female (%)'], e.pct_female.toFixed(1));
      assert.equal(r['Age, mean (SD)'], `${e.age_mean.toFixed(1)} (${e.age_sd.toFixed(1)})`);
    }
  });
  it('throws on no datasets', () => assert.throws(() => tableS2Splits([]), /tableS2Splits: no datasets/));
});

describe('tableS2', () => {
  it('one row per bias group per dataset, numbers of scripts/gen-bias-groups-fixture.py', () => {
    const { samples } = samplesFixture();
    const groups = require('../fixtures/analysis/bias-groups.json');
    const out = tableS2([samples, { ...samples, dataset: 'other' }]).objects() as any[];
    assert.deepEqual(out.map((r) => `${r.dataset}:${r.Group}`), ['fixture', 'other'].flatMap((d) => ['Female', 'Male', 'Young', 'Middle', 'Elder'].map((g) => `${d}:${g}`)));
    assert.ok(out.every((r) => !('Split' in r)));
    groups.all.forEach((e: any, i: number) => {
      assert.equal(out[i].Images, String(e.n_images));
      assert.equal(out[i]['Female (%)'], e.pct_female.toFixed(1));
      assert.equal(out[i]['Age, mean (SD)'], `${e.age_mean.toFixed(1)} (${e.age_sd.toFixed(1)})`);
      assert.equal(out[i]['No finding (%)'], e.pct_no_finding.toFixed(1));
    });
    assert.deepEqual(out.slice(0, 2).map((r) => r['Female (%)']), ['100.0', '0.0']);
  });
  it('throws on no datasets', () => assert.throws(() => tableS2([]), /tableS2: no datasets/));
});
