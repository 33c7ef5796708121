/**
 * Ad-hoc bias exploration: any model's test predictions sliced by ANY metadata column of the samples (sex, age_bin, age
 * with custom bins, population, view, …) in one call — the metric per group with a percentile bootstrap CI over samples
 * (paper Fig. 4c/4d ask the same question with retrained heads; this one only re-scores predictions).
 * Groups too small (< minPerGroup in any set) or where the metric is undefined (a single label value) are returned with
 * value NaN and a `reason`, never silently scored or dropped. With several prediction sets (seeds), the value is the mean
 * over sets, `sd` their spread, and the bootstrap resamples each set's rows (jointly when the sets share ids).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { createRng } from '../engine/rng';
import type { ScoredSet } from './prediction-sets';
import { positivesOf } from './slice-metric';
import {
  ALL, BootstrapSpec, checkBootstrap, meanOnRows, percentileInterval, resampleRows, scoreGroup, SliceOptions, slicePlan,
} from './slice-plan';

export interface SliceByOptions extends SliceOptions {
  /** Percentile bootstrap over samples (default { n: 500, seed: 0, alpha: 0.05 }); false: lo/hi NaN. */
  bootstrap?: BootstrapSpec | false;
  /** Add an 'All' row (every sample, missing values included) first (default false). */
  includeAll?: boolean;
}

export const SLICE_COLUMNS = ['attribute', 'group', 'n', 'positives', 'metric', 'value', 'lo', 'hi', 'sd', 'sets', 'classes', 'reason'] as const;

/**
 * @returns one row per group: attribute (the column), group, n (distinct samples), positives (samples with ≥ 1 positive
 *   label among the scored classes; multi-class: samples of those classes), metric, value, lo, hi (bootstrap CI), sd (over
 *   sets; NaN for one set), sets, classes (classes in the macro mean, fewest over sets), reason ('' when scored).
 * @example
 * const bySex = sliceBy(result.predictions, samples, 'sex', { metric: 'auroc', bootstrap: { n: 1000, seed: 0 } });
 * const byAge = sliceBy(preds, samples, 'age', { bins: [0, 35, 60, Infinity], metric: 'auprc' });
 */
export function sliceBy(results: ScoredSet | readonly ScoredSet[], samples: SampleTable, column: string, opts: SliceByOptions = {}): ColumnTable {
  const fn = 'sliceBy';
  const plan = slicePlan(fn, results, samples, column, opts);
  const boot = checkBootstrap(fn, opts.bootstrap);
  const groups = opts.includeAll ? [ALL, ...plan.order] : plan.order;
  const rows = groups.map((group) => {
    const rowsPerSet = plan.rowsOf(group);
    const distinct = new Map<string, number>(); // id → (set, row) of its first occurrence, for n and positives
    let positives = 0;
    plan.sets.forEach((s, k) => rowsPerSet[k].forEach((r) => {
      if (distinct.has(s.ids[r])) return;
      distinct.set(s.ids[r], k);
      positives += positivesOf(s, [r], plan.classes);
    }));
    const scored = scoreGroup(plan, rowsPerSet);
    const ok = scored.reason === '';
    const value = ok ? mean(scored.values) : NaN;
    let lo = NaN, hi = NaN;
    if (ok && boot) {
      const rng = createRng(boot.seed);
      const values: number[] = [];
      let skipped = 0;
      for (let b = 0; b < boot.n; b++) {
        const v = meanOnRows(plan, resampleRows(plan, rowsPerSet, rng));
        if (Number.isNaN(v)) skipped++; else values.push(v);
      }
      ({ lo, hi } = percentileInterval(values, skipped, boot.alpha));
    }
    return {
      attribute: column, group: group === ALL ? 'All' : group, n: distinct.size, positives, metric: plan.metric, value, lo, hi,
      sd: ok ? sampleSd(scored.values) : NaN, sets: plan.sets.length, classes: scored.classes, reason: scored.reason,
    };
  });
  return aq.table(Object.fromEntries(SLICE_COLUMNS.map((c) => [c, rows.map((r) => r[c])])));
}

/**
 * The long form: the metric of every group in every set (seed / fold), e.g. for a strip plot (lib/figures groupStrip) or
 * a test across seeds. Columns: attribute, group, set, seed, fold, n, metric, value, reason.
 * @example sliceBySet(result.predictions, samples, 'population', { metric: 'auroc' })
 */
export function sliceBySet(results: ScoredSet | readonly ScoredSet[], samples: SampleTable, column: string, opts: SliceOptions = {}): ColumnTable {
  const fn = 'sliceBySet';
  const plan = slicePlan(fn, results, samples, column, opts);
  const list: readonly ScoredSet[] = Array.isArray(results) ? results : [results as ScoredSet];
  const out: Record<string, unknown[]> = { attribute: [], group: [], set: [], seed: [], fold: [], n: [], metric: [], value: [], reason: [] };
  for (const group of plan.order) {
    const rowsPerSet = plan.rowsOf(group);
    plan.sets.forEach((s, k) => {
      const one = { ...plan, sets: [s] };
      const r = scoreGroup(one, [rowsPerSet[k]]);
      const push = (c: string, v: unknown) => out[c].push(v);
      push('attribute', column); push('group', group); push('set', k); push('seed', list[k].seed ?? NaN); push('fold', list[k].fold ?? NaN);
      push('n', rowsPerSet[k].length); push('metric', plan.metric); push('value', r.reason ? NaN : r.values[0]); push('reason', r.reason);
    });
  }
  return aq.table(out);
}

export const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;

/** Sample standard deviation (ddof = 1); NaN for fewer than 2 values. */
export function sampleSd(v: readonly number[]): number {
  if (v.length < 2) return NaN;
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) * (x - m), 0) / (v.length - 1));
}

/** One column to slice by in the ad-hoc exploration: the column and, for a numeric one, bin edges. */
export interface SliceSpec { column: string; bins?: readonly number[] }

/**
 * The "ad-hoc bias exploration" in one call: sliceBy (lib/analysis) of the same test predictions by each column in turn,
 * stacked into one table (attribute, group, n, positives, metric, value, lo, hi, …) — e.g. sex, age with custom bins,
 * population, view.
 * @example sliceColumns(preds, samples, [{ column: 'sex' }, { column: 'age', bins: [18, 40, 60, Infinity] }], { metric: 'auroc' })
 */
export function sliceColumns(predictions: readonly ScoredSet[], samples: SampleTable, specs: readonly SliceSpec[], opts: SliceByOptions = {}): ColumnTable {
  if (specs.length === 0) throw new Error('sliceColumns: no columns to slice by');
  return specs.map((s) => sliceBy(predictions, samples, s.column, { ...opts, bins: s.bins ?? opts.bins }))
    .reduce((a, b) => a.concat(b));
}
