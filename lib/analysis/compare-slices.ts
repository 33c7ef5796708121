/**
 * Pairwise comparison of demographic slices of the same predictions: for each pair of groups (a, b), the difference of the
 * metric (a − b) with
 *   - a percentile bootstrap CI: each group's rows resampled independently (the groups are disjoint samples), the same
 *     draw across prediction sets when they share ids;
 *   - a two-sided permutation p: group membership shuffled among the pooled rows of a and b (sizes kept),
 *     p = (1 + #{|d*| ≥ |d|}) / (1 + valid permutations) (Phipson & Smyth 2010: never 0); permutations where the metric is
 *     undefined in a group are skipped;
 *   - with ≥ 3 prediction sets (seeds / folds) per group, a Mann-Whitney U test of the per-set values (two-sided, scipy's
 *     'auto' method; the paper's Fig. 4c test over 20 folds);
 *   - Holm-adjusted permutation p over the pairs compared (p_adj).
 * A pair where either group cannot be scored gets NaN numbers and the reason.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { createRng } from '../engine/rng';
import { mannWhitneyU } from '../stats/mann-whitney';
import { holm } from '../stats/p-adjust';
import { MISSING_GROUP, OUT_OF_RANGE_GROUP } from './group-rows';
import type { ScoredSet } from './prediction-sets';
import { mean } from './slice-by';
import {
  BootstrapSpec, checkBootstrap, meanOnRows, percentileInterval, resampleRows, scoreGroup, SliceOptions, slicePlan, SlicePlan,
} from './slice-plan';

export interface CompareSlicesOptions extends SliceOptions {
  /** Pairs to compare (default: every pair of groups, '(missing)' / '(out of range)' left out). */
  pairs?: readonly (readonly [string, string])[];
  /** Bootstrap CI of the difference (default { n: 500, seed: 0, alpha: 0.05 }); false: lo/hi NaN. */
  bootstrap?: BootstrapSpec | false;
  /** Permutation test (default { n: 1000, seed: 0 }); false: p_perm NaN. */
  permutations?: { n?: number; seed?: number } | false;
}

export const COMPARE_COLUMNS = ['attribute', 'a', 'b', 'metric', 'n_a', 'n_b', 'value_a', 'value_b', 'diff', 'lo', 'hi',
  'p_perm', 'p_mw', 'p_adj', 'reason'] as const;

/** Pooled rows of a and b shuffled, the first |a| going to a (same permutation for every set when paired). */
function permuteRows(plan: SlicePlan, a: Int32Array[], b: Int32Array[], rng: ReturnType<typeof createRng>): [Int32Array[], Int32Array[]] {
  const outA: Int32Array[] = [], outB: Int32Array[] = [];
  let perm: Int32Array | null = null;
  for (let k = 0; k < a.length; k++) {
    const pool = new Int32Array(a[k].length + b[k].length);
    pool.set(a[k]); pool.set(b[k], a[k].length);
    const p: Int32Array = plan.paired && perm ? perm : rng.permutation(pool.length);
    if (plan.paired) perm = p;
    const shuffled = Int32Array.from(p, (i) => pool[i]);
    outA.push(shuffled.subarray(0, a[k].length)); outB.push(shuffled.subarray(a[k].length));
  }
  return [outA, outB];
}

/**
 * @example
 * const t = compareSlices(result.predictions, samples, 'sex', { metric: 'auroc', permutations: { n: 2000, seed: 1 } });
 * // attribute, a, b, metric, n_a, n_b, value_a, value_b, diff, lo, hi, p_perm, p_mw, p_adj, reason
 */
export function compareSlices(results: ScoredSet | readonly ScoredSet[], samples: SampleTable, column: string, opts: CompareSlicesOptions = {}): ColumnTable {
  const fn = 'compareSlices';
  const plan = slicePlan(fn, results, samples, column, opts);
  const boot = checkBootstrap(fn, opts.bootstrap);
  const perms = checkBootstrap(fn, opts.permutations === false ? false : { n: 1000, ...opts.permutations }, 'permutations');
  const named = plan.order.filter((g) => g !== MISSING_GROUP && g !== OUT_OF_RANGE_GROUP);
  const pairs = opts.pairs ?? named.flatMap((a, i) => named.slice(i + 1).map((b) => [a, b] as const));
  for (const [a, b] of pairs) {
    for (const g of [a, b]) if (!plan.order.includes(g)) throw new Error(`${fn}: no group '${g}' in column '${column}' (groups: ${plan.order.join(', ')})`);
    if (a === b) throw new Error(`${fn}: pair (${a}, ${b}) compares a group with itself`);
  }
  const rows = pairs.map(([a, b]) => {
    const ra = plan.rowsOf(a), rb = plan.rowsOf(b);
    const sa = scoreGroup(plan, ra), sb = scoreGroup(plan, rb);
    const reason = [sa.reason && `${a}: ${sa.reason}`, sb.reason && `${b}: ${sb.reason}`].filter(Boolean).join('; ');
    const nOf = (r: Int32Array[]) => new Set(r.flatMap((rows, k) => Array.from(rows, (i) => plan.sets[k].ids[i]))).size;
    const row = {
      attribute: column, a, b, metric: plan.metric, n_a: nOf(ra), n_b: nOf(rb), value_a: NaN, value_b: NaN, diff: NaN,
      lo: NaN, hi: NaN, p_perm: NaN, p_mw: NaN, p_adj: NaN, reason,
    };
    if (reason) return row;
    row.value_a = mean(sa.values); row.value_b = mean(sb.values);
    const d = row.value_a - row.value_b;
    row.diff = d;
    if (boot) {
      const rng = createRng(boot.seed);
      const values: number[] = [];
      let skipped = 0;
      for (let i = 0; i < boot.n; i++) {
        const v = meanOnRows(plan, resampleRows(plan, ra, rng)) - meanOnRows(plan, resampleRows(plan, rb, rng));
        if (Number.isNaN(v)) skipped++; else values.push(v);
      }
      ({ lo: row.lo, hi: row.hi } = percentileInterval(values, skipped, boot.alpha));
    }
    if (perms) {
      const rng = createRng(perms.seed);
      let count = 0, valid = 0;
      const tol = 1e-12 * Math.max(1, Math.abs(d));
      for (let i = 0; i < perms.n; i++) {
        const [pa, pb] = permuteRows(plan, ra, rb, rng);
        const v = meanOnRows(plan, pa) - meanOnRows(plan, pb);
        if (Number.isNaN(v)) continue;
        valid++;
        if (Math.abs(v) >= Math.abs(d) - tol) count++;
      }
      row.p_perm = (1 + count) / (1 + valid);
    }
    if (sa.values.length >= 3 && sb.values.length >= 3) row.p_mw = mannWhitneyU(sa.values, sb.values, { alternative: 'two-sided' }).p;
    return row;
  });
  const tested = rows.map((r, i) => [r.p_perm, i] as const).filter(([p]) => Number.isFinite(p));
  if (tested.length > 0) holm(tested.map(([p]) => p)).forEach((p, j) => { rows[tested[j][1]].p_adj = p; });
  return aq.table(Object.fromEntries(COMPARE_COLUMNS.map((c) => [c, rows.map((r) => r[c])])));
}
