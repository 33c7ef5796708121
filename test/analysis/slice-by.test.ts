import * as assert from 'assert';
import { binNames, sliceBy, sliceBySet } from '../../lib/analysis';
import { bootstrapCI } from '../../lib/stats';
import { macroAuroc } from '../../lib/stats';
import { expectClose, sampleTable, samplesFixture } from './helpers';

const TOL = 1e-12;
const AGE_BINS = [0, 40, 60, Infinity];

describe('sliceBy (vs sklearn roc_auc_score / average_precision_score per group)', () => {
  const { fx, samples, sets } = samplesFixture();

  for (const column of ['sex', 'population', 'view', 'age']) {
    for (const metric of ['auroc', 'auprc'] as const) {
      it(`${column}, ${metric}, 4 prediction sets`, () => {
        const refs = fx.slices.filter((s: { column: string; metric: string }) => s.column === column && s.metric === metric);
        const t = sliceBy(sets, samples, column, { metric, bins: column === 'age' ? AGE_BINS : undefined, minPerGroup: 5, bootstrap: false });
        const rows = t.objects() as Record<string, number & string>[];
        assert.deepStrictEqual(rows.map((r) => r.group), refs.map((r: { group: string }) => r.group));
        rows.forEach((row, i) => {
          const ref = refs[i];
          assert.strictEqual(row.n, ref.n, `${ref.group} n`);
          assert.strictEqual(row.positives, ref.positives, `${ref.group} positives`);
          expectClose(row.value, ref.value, TOL, `${column}=${ref.group} value`);
          expectClose(row.sd, ref.sd, 1e-10, `${column}=${ref.group} sd`);
          assert.strictEqual(row.classes, ref.classes);
          assert.strictEqual(row.reason, '');
          assert.strictEqual(row.sets, 4);
          assert.ok(Number.isNaN(row.lo) && Number.isNaN(row.hi));
        });
      });
    }
  }

  it('per-set values (sliceBySet) equal the reference per seed', () => {
    const refs = fx.slices.filter((s: { column: string; metric: string }) => s.column === 'population' && s.metric === 'auroc');
    const rows = sliceBySet(sets, samples, 'population', { metric: 'auroc' }).objects() as Record<string, number & string>[];
    assert.strictEqual(rows.length, refs.length * 4);
    for (const r of rows) {
      const ref = refs.find((x: { group: string }) => x.group === r.group);
      expectClose(r.value, ref.per_set[r.set], TOL, `${r.group} set ${r.set}`);
      assert.strictEqual(r.seed, r.set);
    }
  });

  it('one set: the bootstrap CI is bootstrapCI on the group rows with the same seed', () => {
    const one = sets[0];
    const t = sliceBy(one, samples, 'population', { metric: 'auroc', bootstrap: { n: 200, seed: 7 } }).objects() as Record<string, number & string>[];
    const idsB = fx.rows.map((r: { population: string }, i: number) => (r.population === 'B' ? i : -1)).filter((i: number) => i >= 0);
    const c = 3;
    const Y = [0, 1, 2].map((j) => Float64Array.from(idsB, (i: number) => one.labels[i * c + j]));
    const S = [0, 1, 2].map((j) => Float64Array.from(idsB, (i: number) => one.scores[i * c + j]));
    const ref = bootstrapCI((y: Float64Array[], s: Float64Array[]) => macroAuroc(y, s).macro, [Y, S], { n: 200, seed: 7 });
    const b = t.find((r) => r.group === 'B') as Record<string, number>;
    expectClose(b.value, ref.estimate, TOL, 'estimate');
    expectClose(b.lo, ref.lo, TOL, 'lo');
    expectClose(b.hi, ref.hi, TOL, 'hi');
    assert.ok(b.lo < b.value && b.value < b.hi);
    // deterministic for a seed, different for another
    const again = sliceBy(one, samples, 'population', { metric: 'auroc', bootstrap: { n: 200, seed: 7 } }).objects() as Record<string, number>[];
    assert.strictEqual(again[1].lo, b.lo);
    const other = sliceBy(one, samples, 'population', { metric: 'auroc', bootstrap: { n: 200, seed: 8 } }).objects() as Record<string, number>[];
    assert.notStrictEqual(other[1].lo, b.lo);
  });

  it('several sets: the CI surrounds the mean over sets', () => {
    const rows = sliceBy(sets, samples, 'sex', { bootstrap: { n: 100, seed: 1 }, includeAll: true }).objects() as Record<string, number & string>[];
    assert.deepStrictEqual(rows.map((r) => r.group), ['All', 'F', 'M', '(missing)']);
    assert.strictEqual(rows[0].n, 160);
    for (const r of rows) assert.ok(r.lo <= r.value && r.value <= r.hi, `${r.group}: ${r.lo} ≤ ${r.value} ≤ ${r.hi}`);
  });

  it('multi-class predictions: accuracy, balanced accuracy, one-vs-rest AUROC by sex', () => {
    const mc = { ids: fx.predictions.ids, scores: Float32Array.from(fx.multiclass.scores), labels: Int32Array.from(fx.multiclass.classes), classNames: ['a', 'b', 'c'] };
    for (const metric of ['accuracy', 'balanced_accuracy', 'auroc'] as const) {
      const rows = sliceBy(mc, samples, 'sex', { metric, bootstrap: false }).objects() as Record<string, number & string>[];
      rows.forEach((r, i) => {
        const ref = fx.multiclass.bySex[i];
        assert.strictEqual(r.group, ref.group);
        assert.strictEqual(r.n, ref.n);
        expectClose(r.value, ref[metric], TOL, `${metric} ${r.group}`);
      });
    }
  });

  it('small or single-class groups are reported with a reason, not scored', () => {
    const rows = sliceBy(sets[0], samples, 'age', { bins: [0, 20, 40, 60, 100], minPerGroup: 10, bootstrap: false }).objects() as Record<string, number & string>[];
    const young = rows.find((r) => r.group === '[0, 20)') as Record<string, number & string>;
    assert.ok(young.n < 10);
    assert.ok(Number.isNaN(young.value));
    assert.match(young.reason, /^n=\d < minPerGroup=10$/);
    // a group whose labels are all 0 for the chosen class
    const tiny = sampleTable([
      ...Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, site: 'x', A: i % 2 })),
      ...Array.from({ length: 12 }, (_, i) => ({ id: `b${i}`, site: 'y', A: 0 })),
    ], ['A']);
    const preds = { ids: tiny.table.array('id') as string[], scores: Float32Array.from({ length: 24 }, (_, i) => (i * 7) % 11 / 10), labels: Float32Array.from(tiny.table.array('A') as number[]) };
    const r2 = sliceBy(preds, tiny, 'site', { bootstrap: { n: 50, seed: 0 } }).objects() as Record<string, number & string>[];
    assert.strictEqual(r2[0].reason, '');
    assert.ok(Number.isFinite(r2[0].value) && Number.isFinite(r2[0].lo));
    assert.strictEqual(r2[1].reason, 'single class: no class has both positives and negatives');
    assert.ok(Number.isNaN(r2[1].value) && Number.isNaN(r2[1].lo));
    const r3 = sliceBy(preds, tiny, 'site', { metric: 'auprc', bootstrap: false }).objects() as Record<string, string>[];
    assert.strictEqual(r3[1].reason, 'no positive label');
  });

  it('bins: names, ends, missing and out-of-range values', () => {
    assert.deepStrictEqual(binNames([0, 35, 60, Infinity]), ['[0, 35)', '[35, 60)', '>=60']);
    assert.deepStrictEqual(binNames([-Infinity, 50, 100]), ['<50', '[50, 100]']);
    assert.throws(() => binNames([10, 5]), /edges must increase/);
    const rows = sliceBy(sets[0], samples, 'age', { bins: [40, 60], minPerGroup: 1, bootstrap: false }).objects() as Record<string, number & string>[];
    assert.deepStrictEqual(rows.map((r) => r.group), ['[40, 60]', '(out of range)', '(missing)']);
    assert.strictEqual(rows.reduce((s, r) => s + r.n, 0), 160);
  });

  it('a class subset and an explicit group order', () => {
    const rows = sliceBy(sets[0], samples, 'sex', { classes: ['Nodule'], groups: ['M', 'F'], bootstrap: false }).objects() as Record<string, number & string>[];
    assert.deepStrictEqual(rows.map((r) => r.group), ['M', 'F']);
    assert.strictEqual(rows[0].classes, 1);
  });

  it('bad input names the problem', () => {
    assert.throws(() => sliceBy(sets, samples, 'site'), /no column 'site'/);
    assert.throws(() => sliceBy(sets, samples, 'age'), /column 'age' is numeric with \d+ distinct values; pass bins/);
    assert.throws(() => sliceBy(sets, samples, 'sex', { metric: 'f1' as never }), /invalid metric: f1/);
    assert.throws(() => sliceBy(sets, samples, 'sex', { metric: 'balanced_accuracy' }), /needs multi-class labels/);
    assert.throws(() => sliceBy(sets, samples, 'sex', { classes: ['Fracture'] }), /no class 'Fracture'/);
    assert.throws(() => sliceBy({ ...sets[0], ids: ['zzz', ...sets[0].ids.slice(1)] }, samples, 'sex'), /sample zzz is not in dataset fixture/);
    const nanScores = Float32Array.from(sets[0].scores); nanScores[5] = NaN;
    assert.throws(() => sliceBy({ ...sets[0], scores: nanScores }, samples, 'sex'), /scores\[1, 2\] \(id s001\) is NaN/);
  });
});
