/**
 * Benchmark of lib/stats hot paths (wired into `raydino bench` by the lead).
 * Keys (all times in milliseconds, best of `reps` runs; timings on shared 2-core machines are noisy):
 *   stats.n                    number of scores (1e6 full, 1e5 quick)
 *   stats.auroc_ms             auroc(labels, scores) on n scores (one sort of positives + negatives)
 *   stats.ap_ms                averagePrecision on the same data
 *   stats.roc_curve_ms         rocCurve (drop_intermediate) on the same data
 *   stats.mann_whitney_ms      mannWhitneyU asymptotic on two samples of n/10 each (argsort with comparator)
 *   stats.bootstrap_auroc_ms   bootstrapCI(auroc) with 100 resamples of n/100 rows
 *   stats.auroc                the AUROC value (sanity: ≈ 0.76 for a one-sd shift)
 */
import { createRng } from '../engine/rng';
import { auroc } from '../stats/auroc';
import { averagePrecision } from '../stats/average-precision';
import { bootstrapCI } from '../stats/bootstrap';
import { mannWhitneyU } from '../stats/mann-whitney';
import { rocCurve } from '../stats/roc-curve';

function best(reps: number, f: () => unknown): number {
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.round(min * 10) / 10;
}

export async function benchStats(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const n = opts.quick ? 100_000 : 1_000_000;
  const reps = opts.quick ? 2 : 3;
  const rng = createRng(1234);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.bernoulli(0.1) ? 1 : 0;
    scores[i] = rng.normal() + labels[i];
  }
  const m = n / 10;
  const x = scores.subarray(0, m);
  const y = scores.subarray(m, 2 * m);
  const nb = n / 100;
  return {
    'stats.n': n,
    'stats.auroc_ms': best(reps, () => auroc(labels, scores)),
    'stats.ap_ms': best(reps, () => averagePrecision(labels, scores)),
    'stats.roc_curve_ms': best(reps, () => rocCurve(labels, scores)),
    'stats.mann_whitney_ms': best(reps, () => mannWhitneyU(x, y, { method: 'asymptotic' })),
    'stats.bootstrap_auroc_ms': best(1, () => bootstrapCI(auroc, [labels.subarray(0, nb), scores.subarray(0, nb)], { n: 100, seed: 0 })),
    'stats.auroc': Math.round(auroc(labels, scores) * 1e6) / 1e6,
  };
}
