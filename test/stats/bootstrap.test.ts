import * as assert from 'assert';
import { auroc, bootstrapCI, macroAuroc, pairedBootstrapDiff, quantileSorted } from '../../lib/stats';
import { createRng } from '../../lib/engine/rng';

function data(n: number, seed: number): { labels: Float64Array; scores: Float64Array } {
  const rng = createRng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.bernoulli(0.3) ? 1 : 0;
    scores[i] = rng.normal() + labels[i];
  }
  return { labels, scores };
}

describe('bootstrapCI', () => {
  it('is reproducible from its seed and changes with it', () => {
    const { labels, scores } = data(300, 1);
    const a = bootstrapCI(auroc, [labels, scores], { n: 200, seed: 7 });
    const b = bootstrapCI(auroc, [labels, scores], { n: 200, seed: 7 });
    const c = bootstrapCI(auroc, [labels, scores], { n: 200, seed: 8 });
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a, c);
    assert.strictEqual(a.estimate, auroc(labels, scores));
    assert.ok(a.lo < a.estimate && a.estimate < a.hi, JSON.stringify(a));
    assert.ok(a.lo < a.median && a.median < a.hi);
    assert.strictEqual(a.valid + a.skipped, 200);
    // AUROC ≈ 0.76 for a 1-sd shift; its 95 % CI on n = 300 is roughly ±0.06
    assert.ok(a.hi - a.lo > 0.05 && a.hi - a.lo < 0.2, `width ${a.hi - a.lo}`);
  });

  it('resamples rows jointly, also inside column lists (pairing kept)', () => {
    // scores equal labels: every paired resample has AUROC exactly 1; unpaired resampling would not
    const Y = [Float64Array.from([0, 1, 0, 1, 1, 0, 0, 1, 0, 1]), Float64Array.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 1])];
    const r = bootstrapCI((y: Float64Array[], s: Float64Array[]) => macroAuroc(y, s).macro, [Y, Y.map((c) => c.slice())], { n: 100, seed: 3 });
    assert.strictEqual(r.lo, 1);
    assert.strictEqual(r.hi, 1);
  });

  it('skips and counts resamples where the metric is undefined (single class)', () => {
    const labels = new Float64Array(20);
    labels[0] = 1; // one positive among 20: about (19/20)^20 ≈ 36 % of resamples have none
    const scores = Float64Array.from({ length: 20 }, (_, i) => i / 20);
    const r = bootstrapCI(auroc, [labels, scores], { n: 300, seed: 11 });
    assert.ok(r.skipped > 60 && r.skipped < 160, `skipped ${r.skipped}`);
    assert.strictEqual(r.valid + r.skipped, 300);
  });

  it('percentiles interpolate linearly as numpy.percentile', () => {
    const s = Float64Array.from([1, 2, 3, 4]);
    // h = (n − 1)·q: q = 0.025 → 0.075 → 1.075; q = 0.5 → 2.5; q = 0.975 → 2.925 → 3.925
    assert.ok(Math.abs(quantileSorted(s, 0.025) - 1.075) < 1e-15);
    assert.strictEqual(quantileSorted(s, 0.5), 2.5);
    assert.ok(Math.abs(quantileSorted(s, 0.975) - 3.925) < 1e-15);
  });

  it('bad input and real errors are not swallowed', () => {
    const { labels, scores } = data(10, 2);
    assert.throws(() => bootstrapCI(auroc, [labels, scores.slice(0, 9)], { seed: 1 }), /bootstrapCI: length mismatch: arrays\[1\] has 9 rows, arrays\[0\] has 10/);
    assert.throws(() => bootstrapCI(auroc, [labels, scores], {} as never), /a finite seed is required/);
    assert.throws(() => bootstrapCI(auroc, [labels, scores], { seed: 1, alpha: 2 }), /alpha must be in \(0, 1\)/);
    assert.throws(() => bootstrapCI(() => { throw new Error('boom'); }, [labels], { seed: 1 }), /boom/);
    assert.throws(() => bootstrapCI(auroc, [new Float64Array(5), new Float64Array(5)], { n: 10, seed: 1 }), /undefined on all 10 resamples/);
  });
});

describe('pairedBootstrapDiff', () => {
  const mean = (v: Float64Array) => v.reduce((x, y) => x + y, 0) / v.length;
  const noisy = (n: number, seed: number, shift: number) => {
    const r = createRng(seed);
    return Float64Array.from({ length: n }, () => r.normal() + shift);
  };

  it('resamples both systems with the same rows: mean(a) − mean(b) equals the bootstrap of mean(a − b)', () => {
    const common = noisy(120, 3, 0);
    // a and b share a large per-row component (the study) and differ by a small one: pairing cancels the shared part
    const a = common.map((c, i) => c + 0.1 + 0.05 * Math.sin(i));
    const b = common.map((c, i) => c + 0.05 * Math.cos(i));
    const d = pairedBootstrapDiff(mean, [a], [b], { n: 300, seed: 5 });
    const ref = bootstrapCI(mean, [a.map((x, i) => x - b[i])], { n: 300, seed: 5 });
    for (const k of ['estimate', 'median', 'lo', 'hi'] as const) assert.ok(Math.abs(d[k] - ref[k]) < 1e-12, `${k}: ${d[k]} vs ${ref[k]}`);
    // unpaired, the shared component would swamp a 0.1 shift; paired, the interval excludes 0 and p is at its floor
    assert.ok(d.lo > 0.05 && d.hi < 0.15, `${d.lo} ${d.hi}`);
    assert.strictEqual(d.p, 0);
    // the per-system intervals overlap (the reason a paired test is needed)
    const ca = bootstrapCI(mean, [a], { n: 300, seed: 5 }), cb = bootstrapCI(mean, [b], { n: 300, seed: 5 });
    assert.ok(ca.lo < cb.hi);
  });

  it('p: 1 for identical systems, the share of resamples on the other side of 0 otherwise', () => {
    const a = noisy(50, 1, 0);
    const same = pairedBootstrapDiff(mean, [a], [a], { n: 100, seed: 2 });
    assert.deepStrictEqual([same.median, same.lo, same.hi, same.p], [0, 0, 0, 1]);
    // independent noise, no true shift: p is large and the interval straddles 0; p < 0.05 exactly when it excludes 0
    const b = noisy(50, 2, 0);
    const d = pairedBootstrapDiff(mean, [a], [b], { n: 400, seed: 4 });
    assert.strictEqual(d.p < 0.05, d.lo > 0 || d.hi < 0);
    const shifted = pairedBootstrapDiff(mean, [a.map((x) => x + 0.6)], [b], { n: 400, seed: 4 });
    assert.strictEqual(shifted.p < 0.05, shifted.lo > 0 || shifted.hi < 0);
    assert.ok(shifted.p < d.p);
    // the count behind p, recomputed from the same resamples (the bootstrap of the per-row difference, same seed)
    const diffs: number[] = [];
    bootstrapCI((v: Float64Array) => { const m = mean(v); diffs.push(m); return m; }, [a.map((x, i) => x - b[i])], { n: 400, seed: 4 });
    const draws = diffs.slice(1); // the first call is the estimate on the original rows
    const le = draws.filter((v) => v <= 1e-12).length, ge = draws.filter((v) => v >= -1e-12).length;
    assert.ok(Math.abs(d.p - Math.min(1, (2 * Math.min(le, ge)) / 400)) < 1e-12, `${d.p} vs ${le} ${ge}`);
  });

  it('bad input: a and b of different shapes, too few rows', () => {
    const a = noisy(10, 1, 0);
    assert.throws(() => pairedBootstrapDiff(mean, [a], [a, a], { seed: 1 }), /same number of arrays/);
    assert.throws(() => pairedBootstrapDiff(mean, [a], [a.slice(0, 9)], { seed: 1 }), /length mismatch/);
  });
});
