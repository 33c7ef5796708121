import * as assert from 'assert';
import { binnedMacroAuprc, macroAuprc, macroAuroc, toColumns } from '../../lib/stats';
import { expectAllClose, expectClose, loadFixture, METRIC } from './helpers';

const fx = loadFixture('macro.json');
const toNum = (rows: (number | null)[][]): Float64Array[] => rows.map((r) => Float64Array.from(r, (v) => (v === null ? NaN : v)));
const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

describe('macroAuroc / macroAuprc / binnedMacroAuprc (vs sklearn per class, NaN labels dropped)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const Y = toNum(c.Y);
      const S = toNum(c.S);
      const expAuroc: (number | null)[] = c.perClassAuroc;
      const expAp: (number | null)[] = c.perClassAp;
      const ra = macroAuroc(Y, S);
      expectAllClose(ra.perClass, expAuroc, METRIC, 'perClass auroc');
      assert.deepStrictEqual(ra.skipped, expAuroc.flatMap((v, i) => (v === null ? [i] : [])));
      assert.ok(ra.skipped.includes(0), 'class 0 (no positive) is skipped');
      expectClose(ra.macro, mean(expAuroc.filter((v): v is number => v !== null)), METRIC, 'macro auroc');
      const rp = macroAuprc(Y, S);
      expectAllClose(rp.perClass, expAp, METRIC, 'perClass ap');
      expectClose(rp.macro, mean(expAp.filter((v): v is number => v !== null)), METRIC, 'macro ap');

      const prev: number[] = c.trainPrevalence;
      const { bins, perClass } = binnedMacroAuprc(Y, S, prev);
      expectAllClose(perClass, expAp, METRIC, 'binned perClass ap');
      assert.deepStrictEqual(bins.map((b) => b.name), ['rare', 'uncommon', 'common']);
      const inBin = [(p: number) => p < 0.01, (p: number) => p >= 0.01 && p <= 0.1, (p: number) => p > 0.1];
      bins.forEach((b, k) => {
        const members = prev.flatMap((p, i) => (inBin[k](p) ? [i] : []));
        assert.deepStrictEqual(b.members, members, `${b.name} members`);
        const scored = members.filter((i) => expAp[i] !== null).map((i) => expAp[i] as number);
        if (scored.length) expectClose(b.macro, mean(scored), METRIC, `${b.name} macro`);
        else assert.ok(Number.isNaN(b.macro));
        assert.deepStrictEqual(b.skipped, members.filter((i) => expAp[i] === null));
      });
      // prevalence exactly 0.01 is uncommon, exactly 0.10 is uncommon too (paper: "1–10 %")
      assert.ok(bins[1].members.includes(1) && bins[1].members.includes(2));
    });
  }

  it('per-sample rows via toColumns give the same result', () => {
    const rows = [[1, 0], [0, 1], [1, NaN], [0, 0]];
    const srows = [[0.9, 0.2], [0.3, 0.8], [0.6, 0.1], [0.4, 0.5]];
    const r = macroAuroc(toColumns(rows), toColumns(srows));
    assert.deepStrictEqual(r.perClass, [1, 1]);
    assert.deepStrictEqual(r.skipped, []);
  });

  it('custom edges and names; bad input', () => {
    const Y = [[1, 0, 1, 0], [0, 1, 1, 0]];
    const S = [[0.9, 0.1, 0.8, 0.3], [0.2, 0.7, 0.6, 0.1]];
    const r = binnedMacroAuprc(Y, S, [0.2, 0.6], { edges: [0.5], names: ['low', 'high'] });
    assert.deepStrictEqual(r.bins.map((b) => [b.name, b.members]), [['low', [0]], ['high', [1]]]);
    assert.throws(() => binnedMacroAuprc(Y, S, [0.2]), /trainPrevalence has 1 entries, Y has 2 classes/);
    assert.throws(() => binnedMacroAuprc(Y, S, [0.2, 1.5]), /trainPrevalence\[1\] is 1.5/);
    assert.throws(() => binnedMacroAuprc(Y, S, [0.2, 0.3], { edges: [0.5, 0.1] }), /edges must be increasing/);
    assert.throws(() => macroAuroc(Y, [S[0]]), /Y has 2 classes, S has 1/);
    assert.throws(() => macroAuroc([[1, 0, 2]], [[0.1, 0.2, 0.3]]), /Y\[0\]\[2\] is 2/);
    assert.throws(() => macroAuroc([[1, 0]], [[0.1, NaN]]), /S\[0\]\[1\] is NaN/);
    assert.throws(() => macroAuroc([[1, 0]], [[0.1]]), /length mismatch/);
  });
});

describe('macro metrics: layout (sklearn samples × classes vs per-class columns)', () => {
  const fx = loadFixture('macro-layout.json');
  const Yrows: number[][] = fx.Y;
  const Srows: number[][] = fx.scoresInt.map((r: number[]) => r.map((k) => k / fx.scoreScale));
  const Ycols = toColumns(Yrows), Scols = toColumns(Srows);

  it("{ layout: 'samples' } gives sklearn's numbers for (n_samples, n_classes)", () => {
    const a = macroAuroc(Yrows, Srows, { layout: 'samples' });
    expectAllClose(a.perClass, fx.perClassAuroc, METRIC, 'perClass auroc');
    expectClose(a.macro, fx.macroAuroc, METRIC, 'macro auroc');
    const p = macroAuprc(Yrows, Srows, { layout: 'samples' });
    expectAllClose(p.perClass, fx.perClassAp, METRIC, 'perClass ap');
    expectClose(p.macro, fx.macroAuprc, METRIC, 'macro ap');
    const b = binnedMacroAuprc(Yrows, Srows, fx.trainPrevalence, { layout: 'samples' });
    expectAllClose(b.perClass, fx.perClassAp, METRIC, 'binned perClass ap');
    assert.deepStrictEqual(b.bins.map((x) => x.members), [[0], [1], [2]]);
  });

  it("{ layout: 'classes' } gives the same numbers for the per-class columns", () => {
    expectClose(macroAuroc(Ycols, Scols, { layout: 'classes' }).macro, fx.macroAuroc, METRIC, 'macro auroc');
    expectClose(macroAuprc(Ycols, Scols, { layout: 'classes' }).macro, fx.macroAuprc, METRIC, 'macro ap');
  });

  it('without the option an oblong shape follows "fewer classes than samples" (200 × 3 is 200 samples)', () => {
    // Before: 200 × 3 was read as 200 classes of 3 samples (the transposed reading) with no error.
    expectClose(macroAuroc(Yrows, Srows).macro, fx.macroAuroc, METRIC, 'macro auroc, samples inferred');
    assert.ok(Math.abs(fx.transposedReadingMacroAuroc - fx.macroAuroc) > 0.01, 'the fixture tells the readings apart');
    expectClose(macroAuroc(Ycols, Scols).macro, fx.macroAuroc, METRIC, 'macro auroc, classes inferred');
    expectClose(macroAuprc(Yrows, Srows).macro, fx.macroAuprc, METRIC, 'macro ap, samples inferred');
    // The transposed reading is still available when asked for, and equals sklearn's per-row numbers.
    expectClose(macroAuroc(Yrows, Srows, { layout: 'classes' }).macro, fx.transposedReadingMacroAuroc, METRIC, 'transposed');
  });

  it('a square or ragged Y without the option is an error, never a guess', () => {
    const Y = [[1, 0, 1], [0, 1, 1], [1, 1, 0]];
    const S = [[0.9, 0.2, 0.7], [0.1, 0.8, 0.6], [0.5, 0.4, 0.3]];
    assert.throws(() => macroAuroc(Y, S), /macroAuroc: Y is 3 × 3, so classes and samples cannot be told apart; pass \{ layout: 'samples' \}/);
    assert.throws(() => macroAuprc(Y, S), /macroAuprc: Y is 3 × 3/);
    assert.throws(() => macroAuroc([[1, 0], [0, 1, 1]], [[0.1, 0.2], [0.3, 0.4, 0.5]]), /cannot tell the layout of Y/);
    assert.throws(() => macroAuroc(Y, S, { layout: 'rows' as never }), /invalid layout 'rows'/);
    // With the option a square matrix is fine, and the two readings differ.
    assert.ok(Number.isFinite(macroAuroc(Y, S, { layout: 'samples' }).macro));
    // binnedMacroAuprc: the prevalence count settles an otherwise unsettled shape; a square one still throws.
    assert.throws(() => binnedMacroAuprc(Y, S, [0.2, 0.3, 0.4]), /binnedMacroAuprc: Y is 3 × 3/);
    // 3 × 2 with 3 prevalences: 3 classes of 2 samples (the shape rule alone would read 3 samples × 2 classes).
    const b = binnedMacroAuprc([[1, 0], [0, 1], [1, 0]], [[0.9, 0.2], [0.3, 0.4], [0.1, 0.8]], [0.005, 0.05, 0.4]);
    assert.deepStrictEqual(b.perClass, [1, 1, 0.5]);
  });

  it('samples layout names a ragged row', () => {
    assert.throws(() => macroAuroc([[1, 0], [0, 1], [1]], [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], { layout: 'samples' }), /macroAuroc: Y \(per-sample rows\): row 2 has 1 entries, row 0 has 2/);
  });
});
