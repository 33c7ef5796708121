import * as aq from 'arquero';
import * as assert from 'assert';
import { perClassTable, sliceTable } from '../../lib/analysis';
import { toResultTable } from '../../lib/eval/result-table';
import { expectClose, loadFixture } from './helpers';

const fx = loadFixture('results.json');
const rows = fx.rows.map((r: Record<string, unknown>) => ({ ...r, value: r.value === null ? NaN : r.value }));
const table = toResultTable(rows);

describe('sliceTable (vs numpy mean / std(ddof=1) per group)', () => {
  it('mean, sd, n, min, max, missing per (model, group), first-seen order', () => {
    const t = sliceTable(table, ['model', 'group'], { metric: 'auroc' });
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
    const before = table.numRows();
    const t = sliceTable(table, ['metric'], { where: { model: 'raydino', seed: 0 } });
    assert.strictEqual(table.numRows(), before);
    const out = t.objects() as Record<string, number>[];
    assert.deepStrictEqual(out.map((r) => r.n), [4, 4]);
    const one = sliceTable(table, ['model', 'group', 'seed'], { metric: ['auroc'] }).objects() as Record<string, number>[];
    assert.ok(Number.isNaN(one[0].sd));
    assert.throws(() => sliceTable(table, ['site']), /table has no column 'site'/);
    assert.throws(() => sliceTable(table, ['mean']), /no column 'mean'/);
  });
});

describe('perClassTable', () => {
  it("class × model cells 'mean ± sd' over seeds, macro last", () => {
    const t = perClassTable(table, { metric: 'auroc' });
    assert.deepStrictEqual(t.columnNames(), ['class', 'raydino', 'supervised']);
    const out = t.objects() as Record<string, string>[];
    assert.deepStrictEqual(out.map((r) => r.class), ['Effusion', 'Nodule', 'Cardiomegaly', 'macro']);
    for (const ref of fx.auroc_summary) {
      const r = out.find((x) => x.class === ref.group) as Record<string, string>;
      assert.strictEqual(r[ref.model], `${ref.mean.toFixed(3)} ± ${ref.sd.toFixed(3)}`);
    }
  });

  it('numeric cells, model / class order, no macro', () => {
    const t = perClassTable(table, { models: ['supervised', 'raydino'], classes: ['Nodule', 'Effusion'], numeric: true });
    assert.deepStrictEqual(t.columnNames(), ['class', 'supervised', 'supervised sd', 'raydino', 'raydino sd']);
    const ref = fx.auroc_summary.find((s: { model: string; group: string }) => s.model === 'supervised' && s.group === 'Nodule');
    expectClose(t.get('supervised', 0), ref.mean, 1e-12, 'mean');
    expectClose(t.get('supervised sd', 0), ref.sd, 1e-12, 'sd');
    const noMacro = perClassTable(table, { macro: false }).objects() as Record<string, string>[];
    assert.strictEqual(noMacro.length, 3);
  });

  it('refuses to mix tasks / datasets and names missing models', () => {
    const mixed = table.concat(aq.from([{ ...rows[0], dataset: 'other' }]));
    assert.throws(() => perClassTable(mixed), /several \(task \/ dataset \/ split\): classification \/ synthetic \/ test; classification \/ other \/ test/);
    assert.strictEqual(perClassTable(mixed, { where: { dataset: 'other' } }).numRows(), 1);
    assert.throws(() => perClassTable(table, { models: ['dinov2'] }), /no 'auroc' rows for model 'dinov2'/);
    assert.throws(() => perClassTable(table, { metric: 'dice' }), /no rows with metric 'dice'/);
  });
});
