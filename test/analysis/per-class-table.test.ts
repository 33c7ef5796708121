import * as aq from 'arquero';
import * as assert from 'assert';
import { perClassTable } from '../../lib/analysis';
import { toResultTable } from '../../lib/eval/result-table';
import { expectClose, loadFixture } from './helpers';

const fx = loadFixture('results.json');
const rows = fx.rows.map((r: Record<string, unknown>) => ({ ...r, value: r.value === null ? NaN : r.value }));
const table = toResultTable(rows);

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
