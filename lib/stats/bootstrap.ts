/**
 * Percentile bootstrap confidence interval with paired resampling of rows (the paper's 95 % CIs on AUROC,
 * AUPRC, macro accuracy, mDice, Pearson r). Each resample draws N row indices with replacement (seeded,
 * lib/engine/rng.ts) and applies them to every array at once, so labels and scores stay paired.
 * Resamples where the metric is undefined (it throws UndefinedMetricError or returns NaN, e.g. a resample
 * with a single class) are skipped and counted in `skipped`; any other error is re-thrown.
 * Quantiles: linear interpolation between order statistics (numpy.percentile's default, Hyndman–Fan type 7).
 */
import { createRng } from '../engine/rng';
import { UndefinedMetricError } from './errors';
import { Vector } from './validate';

/** A per-row vector, or a list of per-row columns (e.g. the column-major Y of macroAuroc). */
export type BootstrapArray = Vector | ReadonlyArray<Vector>;

export interface BootstrapOptions {
  /** Number of resamples (default 500). */
  n?: number;
  /** 1 − confidence level (default 0.05 → 95 % CI). */
  alpha?: number;
  /** Seed of the resampling stream (required: every random step takes a seed). */
  seed: number;
}

export interface BootstrapResult {
  /** Metric on the original (not resampled) rows. */
  estimate: number;
  /** Median of the valid resample values. */
  median: number;
  /** Lower / upper percentile bounds (alpha/2, 1 − alpha/2). */
  lo: number;
  hi: number;
  /** Resamples that produced a value. */
  valid: number;
  /** Resamples skipped because the metric was undefined on them. */
  skipped: number;
}

/** numpy.percentile(values, q·100) with linear interpolation, values sorted ascending. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

const isColumns = (a: BootstrapArray): a is ReadonlyArray<Vector> =>
  Array.isArray(a) && a.length > 0 && typeof a[0] !== 'number' && a[0] !== null && typeof (a[0] as Vector).length === 'number';

function gather(v: Vector, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = v[idx[i]];
  return out;
}

/**
 * @param metric called as metric(...resampledArrays), each resampled array a Float64Array (or Float64Array[] for
 *   a column list); return a number.
 * @param arrays row-aligned inputs; every vector must have the same number of rows N.
 * @example bootstrapCI(auroc, [labels, scores], { n: 500, seed: 0 }) // { estimate, median, lo, hi, valid, skipped }
 */
export function bootstrapCI(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the metric's own parameter types are the caller's
  metric: (...arrays: any[]) => number, arrays: ReadonlyArray<BootstrapArray>, opts: BootstrapOptions,
): BootstrapResult {
  const fn = 'bootstrapCI';
  const alpha = checkAlpha(fn, opts);
  return percentiles(fn, 'metric', resampleValues(fn, metric, arrays, opts), alpha, opts);
}

export interface PairedBootstrapResult extends BootstrapResult {
  /**
   * Two-sided bootstrap p of "no difference": 2 · min(share of resampled differences ≤ 0, share ≥ 0), capped at 1
   * (the percentile-interval test: p < alpha exactly when the 1 − alpha interval excludes 0, up to interpolation).
   */
  p: number;
}

/**
 * Paired bootstrap of a difference, metric(a) − metric(b), where a and b are two systems scored on the SAME rows (two
 * encoders' reports for the same test studies): every resample draws one set of row indices and applies it to both, so
 * the study-to-study variation cancels. With the same seed and row count the resamples are exactly those of
 * `bootstrapCI(metric, a, …)`, so the difference interval sits beside the per-system intervals of one table.
 */
export function pairedBootstrapDiff(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the metric's own parameter types are the caller's
  metric: (...arrays: any[]) => number, a: ReadonlyArray<BootstrapArray>, b: ReadonlyArray<BootstrapArray>, opts: BootstrapOptions,
): PairedBootstrapResult {
  const fn = 'pairedBootstrapDiff';
  const alpha = checkAlpha(fn, opts);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
    throw new Error(`${fn}: a and b must be lists of the same number of arrays (got ${a?.length} and ${b?.length})`);
  }
  const k = a.length;
  const diff = (...args: unknown[]): number => metric(...args.slice(0, k)) - metric(...args.slice(k));
  const resampled = resampleValues(fn, diff, [...a, ...b], opts);
  const ci = percentiles(fn, 'difference', resampled, alpha, opts);
  let le = 0, ge = 0;
  for (const v of resampled.values) { if (v <= 0) le++; if (v >= 0) ge++; }
  return { ...ci, p: Math.min(1, (2 * Math.min(le, ge)) / resampled.values.length) };
}

/** Median and percentile interval of the valid resampled values; none valid is an error, never a NaN interval. */
function percentiles(
  fn: string, what: string, r: { estimate: number; values: number[]; skipped: number }, alpha: number, opts: BootstrapOptions,
): BootstrapResult {
  if (r.values.length === 0) throw new UndefinedMetricError(`${fn}: the ${what} was undefined on all ${opts.n ?? 500} resamples`);
  const sorted = Float64Array.from(r.values).sort();
  return {
    estimate: r.estimate,
    median: quantileSorted(sorted, 0.5),
    lo: quantileSorted(sorted, alpha / 2),
    hi: quantileSorted(sorted, 1 - alpha / 2),
    valid: r.values.length,
    skipped: r.skipped,
  };
}

function checkAlpha(fn: string, opts: BootstrapOptions): number {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`${fn}: alpha must be in (0, 1), got ${alpha}`);
  return alpha;
}

/** The metric on the original rows and on `n` seeded resamples (undefined resamples counted, not kept). */
function resampleValues(
  fn: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  metric: (...arrays: any[]) => number, arrays: ReadonlyArray<BootstrapArray>, opts: BootstrapOptions,
): { estimate: number; values: number[]; skipped: number } {
  const n = opts.n ?? 500;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: n must be a positive integer, got ${n}`);
  if (opts.seed === undefined || !Number.isFinite(opts.seed)) throw new Error(`${fn}: a finite seed is required, got ${opts.seed}`);
  if (!Array.isArray(arrays) || arrays.length === 0) throw new Error(`${fn}: arrays must be a non-empty list of row-aligned arrays`);
  let rows = -1;
  const check = (v: Vector, name: string): void => {
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new Error(`${fn}: ${name} is not an array`);
    if (rows < 0) rows = v.length;
    else if (v.length !== rows) throw new Error(`${fn}: length mismatch: ${name} has ${v.length} rows, arrays[0] has ${rows}`);
  };
  arrays.forEach((a, k) => (isColumns(a) ? a.forEach((col, c) => check(col, `arrays[${k}][${c}]`)) : check(a as Vector, `arrays[${k}]`)));
  if (rows === 0) throw new Error(`${fn}: arrays are empty`);

  const call = (idx: Int32Array | null): number => {
    const args = arrays.map((a) => {
      if (isColumns(a)) return a.map((col) => (idx ? gather(col, idx) : col));
      return idx ? gather(a as Vector, idx) : a;
    });
    try {
      return metric(...args);
    } catch (e) {
      if (e instanceof UndefinedMetricError) return NaN;
      throw e;
    }
  };

  const estimate = call(null);
  const rng = createRng(opts.seed);
  const values: number[] = [];
  let skipped = 0;
  const idx = new Int32Array(rows);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < rows; i++) idx[i] = rng.int(rows);
    const v = call(idx);
    if (Number.isNaN(v)) skipped++;
    else values.push(v);
  }
  return { estimate, values, skipped };
}
