import * as assert from 'assert';
import { auroc, bootstrapCI, macroAuroc, quantileSorted } from '../../lib/stats';
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
