import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { pValuesVsReference, summariseSeeds, tQuantile } from '../../lib/study/summarise';

const ref = require('../fixtures/study/summarise.json');

function resultRows(model: string, values: number[], extra: Record<string, unknown> = {}) {
  return values.map((value, seed) => ({ model, dataset: 'synthetic', split: 'test', seed, fold: 0, group: 'macro', metric: 'auroc', value, config: '', ...extra }));
}

describe('tQuantile', () => {
  it('equals scipy.stats.t.ppf(0.975, df)', () => {
    for (const [df, q] of Object.entries(ref.quantiles)) assert.ok(Math.abs(tQuantile(0.95, Number(df)) - (q as number)) < 1e-9, `df ${df}`);
  });
});

describe('summariseSeeds', () => {
  const table = aq.from([...resultRows('A', ref.a), ...resultRows('B', ref.b), ...resultRows('C', ref.c),
    ...resultRows('B', [0.5], { group: 'Nodule' })]);
  it('mean, sd and t-interval over seeds equal scipy.stats.t.interval', () => {
    const s = summariseSeeds(table, { by: ['model'], metric: 'auroc', group: 'macro' }).objects() as any[];
    assert.equal(s.length, 3);
    for (const r of s) {
      const e = ref.intervals[r.model.toLowerCase()];
      assert.ok(Math.abs(r.value - e.mean) < 1e-12);
      assert.ok(Math.abs(r.sd - e.sd) < 1e-12);
      assert.ok(Math.abs(r.lo - e.lo) < 1e-9 && Math.abs(r.hi - e.hi) < 1e-9, `${r.model} ${r.lo} ${r.hi}`);
    }
  });
  it('a single seed takes the bootstrap CI rows, and NaN values are counted as missing', () => {
    const t = aq.from([
      ...resultRows('A', [0.9]), ...resultRows('A', [0.85], { metric: 'auroc_ci_lo' }), ...resultRows('A', [0.95], { metric: 'auroc_ci_hi' }),
      ...resultRows('A', [NaN], { group: 'Hernia' }),
    ]);
    const [m] = summariseSeeds(t, { by: ['model'], metric: 'auroc', group: 'macro' }).objects() as any[];
    assert.deepEqual([m.value, m.lo, m.hi, m.n], [0.9, 0.85, 0.95, 1]);
    const [h] = summariseSeeds(t, { by: ['model'], metric: 'auroc', group: 'Hernia' }).objects() as any[];
    assert.ok(Number.isNaN(h.value));
    assert.equal(h.missing, 1);
  });
  it('throws when nothing matches', () => {
    assert.throws(() => summariseSeeds(table, { by: ['model'], metric: 'auprc' }), /no rows with metric 'auprc'/);
  });
});

describe('pValuesVsReference', () => {
  it('t-test over seeds against the best encoder equals scipy.stats.ttest_ind', () => {
    const table = aq.from([...resultRows('A', ref.a), ...resultRows('B', ref.b), ...resultRows('C', ref.c)]);
    const p = pValuesVsReference(table, { by: ['dataset'], metric: 'auroc', group: 'macro' }).objects() as any[];
    const byModel = Object.fromEntries(p.map((r) => [r.model, r]));
    assert.equal(byModel.A.reference, 'A');
    assert.equal(byModel.A.label, '');
    for (const m of ['B', 'C']) {
      const e = ref.ttest[m.toLowerCase()].p;
      assert.ok(Math.abs(byModel[m].p - e) / e < 1e-6, `${m}: ${byModel[m].p} vs ${e}`);
    }
    assert.match(byModel.B.label, /^p [=≤]/);
  });
});
