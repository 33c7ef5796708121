import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { pValuesVsReference, summariseBy, summariseSeeds } from '../../lib/analysis/summarise';
import { tQuantile } from '../../lib/stats';
import { toResultTable } from '../../lib/eval/result-table';
import { expectClose, loadFixture } from './helpers';

const ref = require('../fixtures/analysis/summarise.json');
const fx = loadFixture('results.json');
const results = toResultTable(fx.rows.map((r: Record<string, unknown>) => ({ ...r, value: r.value === null ? NaN : r.value })));

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

describe('summariseBy (vs numpy mean / std(ddof=1) per group)', () => {
  it('mean, sd, n, min, max, missing per (model, group), first-seen order', () => {
    const t = summariseBy(results, ['model', 'group'], { metric: 'auroc' });
    assert.deepStrictEqual(t.columnNames(), ['model', 'group', 'mean', 'sd', 'n', 'min', 'max', 'missing']);
    const out = t.objects() as Record<string, number & string>[];
    assert.strictEqual(out.length, fx.auroc_summary.length);
    out.forEach((r, i) => {
      const ref = fx.auroc_summary[i];
      assert.strictEqual(`${r.model}/${r.group}`, `${ref.model}/${ref.group}`);
      expectClose(r.mean, ref.mean, 1e-12, `${ref.model}/${ref.group} mean`);
      expectClose(r.sd, ref.sd, 1e-12, `${ref.model}/${ref.group} sd`);
      assert.strictEqual(r.n, ref.n);
      assert.strictEqual(r.min, ref.min);
      assert.strictEqual(r.max, ref.max);
      assert.strictEqual(r.missing, ref.model === 'supervised' && ref.group === 'Nodule' ? 1 : 0);
    });
  });

  it('does not mutate its input; where / several metrics; one value → sd NaN', () => {
    const before = results.numRows();
    const t = summariseBy(results, ['metric'], { where: { model: 'raydino', seed: 0 } });
    assert.strictEqual(results.numRows(), before);
    const out = t.objects() as Record<string, number>[];
    assert.deepStrictEqual(out.map((r) => r.n), [4, 4]);
    const one = summariseBy(results, ['model', 'group', 'seed'], { metric: ['auroc'] }).objects() as Record<string, number>[];
    assert.ok(Number.isNaN(one[0].sd));
    assert.throws(() => summariseBy(results, ['site']), /table has no column 'site'/);
    assert.throws(() => summariseBy(results, ['mean']), /no column 'mean'/);
  });
});

