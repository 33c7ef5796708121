/**
 * What sliceBy and compareSlices share: the prediction sets checked against the samples, the group of every scored row,
 * the classes and metric, and the resampling of a group's rows (percentile bootstrap, lib/stats/bootstrap.ts's rule).
 */
import type { SampleTable } from '../data/types';
import type { Rng } from '../engine/rng';
import { quantileSorted } from '../stats/bootstrap';
import { GroupOptions, groupLabels } from './group-rows';
import { classIndicesOf, prepareSets, PreparedSet, sameIds, ScoredSet } from './prediction-sets';
import { checkMetric, SliceMetric, sliceMetric } from './slice-metric';

export interface SliceOptions extends GroupOptions {
  /** Default 'auroc' (macro over the classes defined in the group). */
  metric?: SliceMetric;
  /** Classes to score (default all; one name → that class's metric). */
  classes?: readonly string[];
  /** Groups with fewer samples (in any set) are reported with a reason and not scored (default 10). */
  minPerGroup?: number;
  /** Threshold of the multi-label 'accuracy' (default 0.5). */
  threshold?: number;
}

export interface SlicePlan {
  column: string;
  sets: PreparedSet[];
  /** Every set has the same ids in the same order: resample rows jointly (paired). */
  paired: boolean;
  metric: SliceMetric;
  classes: number[];
  order: string[];
  minPerGroup: number;
  threshold: number;
  /** Positions of the group's rows in each set. */
  rowsOf(group: string): Int32Array[];
}

export function slicePlan(fn: string, results: ScoredSet | readonly ScoredSet[], samples: SampleTable, column: string, opts: SliceOptions): SlicePlan {
  const sets = prepareSets(fn, results, samples);
  const metric = checkMetric(fn, opts.metric ?? 'auroc', sets[0].multiclass);
  const classes = classIndicesOf(fn, sets[0], opts.classes);
  const minPerGroup = opts.minPerGroup ?? 10;
  if (!(Number.isInteger(minPerGroup) && minPerGroup >= 1)) throw new Error(`${fn}: minPerGroup must be a positive integer, got ${opts.minPerGroup}`);
  const { labels, order } = groupLabels(fn, samples, column, opts);
  const cache = new Map<string, Int32Array[]>();
  return {
    column, sets, paired: sameIds(sets), metric, classes, order, minPerGroup, threshold: opts.threshold ?? 0.5,
    rowsOf(group: string) {
      let r = cache.get(group);
      if (!r) {
        r = sets.map((s) => Int32Array.from({ length: s.n }, (_, i) => i).filter((i) => group === ALL || labels[s.sampleRows[i]] === group));
        cache.set(group, r);
      }
      return r;
    },
  };
}

/** Pseudo-group of every row (a sentinel, so that a real group named 'All' stays itself); shown as 'All'. */
export const ALL = '\u0000All';

export interface SetScores { values: number[]; reason: string; classes: number }

/** The metric of a group in every set, or the first reason it cannot be scored. */
export function scoreGroup(plan: SlicePlan, rowsPerSet: Int32Array[]): SetScores {
  const values: number[] = [];
  let classes = Infinity;
  for (let k = 0; k < plan.sets.length; k++) {
    const rows = rowsPerSet[k];
    const where = plan.sets.length > 1 ? ` in ${plan.sets[k].name}` : '';
    if (rows.length < plan.minPerGroup) return { values, classes: 0, reason: `n=${rows.length} < minPerGroup=${plan.minPerGroup}${where}` };
    const o = sliceMetric(plan.sets[k], rows, plan.metric, plan.classes, plan.threshold);
    if (Number.isNaN(o.value)) return { values, classes: 0, reason: `${o.reason}${where}` };
    values.push(o.value);
    classes = Math.min(classes, o.classes);
  }
  return { values, classes, reason: '' };
}

/** Mean over sets of the metric on resampled rows (NaN when undefined on a resample). */
export function meanOnRows(plan: SlicePlan, rowsPerSet: ArrayLike<number>[]): number {
  let sum = 0;
  for (let k = 0; k < plan.sets.length; k++) sum += sliceMetric(plan.sets[k], rowsPerSet[k], plan.metric, plan.classes, plan.threshold).value;
  return sum / plan.sets.length;
}

/**
 * One bootstrap resample of a group: N row positions drawn with replacement (rng.int, as bootstrapCI draws them), the same
 * draw for every set when they are paired, else one draw per set.
 */
export function resampleRows(plan: SlicePlan, rowsPerSet: Int32Array[], rng: Rng): Int32Array[] {
  const draw = (rows: Int32Array) => {
    const out = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = rows[rng.int(rows.length)];
    return out;
  };
  if (plan.paired) {
    const idx = new Int32Array(rowsPerSet[0].length);
    for (let i = 0; i < idx.length; i++) idx[i] = rng.int(idx.length);
    return rowsPerSet.map((rows) => Int32Array.from(idx, (i) => rows[i]));
  }
  return rowsPerSet.map(draw);
}

export interface Interval { lo: number; hi: number; valid: number; skipped: number }

/** Percentile interval of resampled values (numpy.percentile's linear rule); NaN bounds when no resample was defined. */
export function percentileInterval(values: number[], skipped: number, alpha: number): Interval {
  if (values.length === 0) return { lo: NaN, hi: NaN, valid: 0, skipped };
  const sorted = Float64Array.from(values).sort();
  return { lo: quantileSorted(sorted, alpha / 2), hi: quantileSorted(sorted, 1 - alpha / 2), valid: values.length, skipped };
}

export interface BootstrapSpec { n?: number; seed?: number; alpha?: number }

export function checkBootstrap(fn: string, b: BootstrapSpec | false | undefined, what = 'bootstrap'): Required<BootstrapSpec> | null {
  if (b === false) return null;
  const n = b?.n ?? 500;
  const seed = b?.seed ?? 0;
  const alpha = b?.alpha ?? 0.05;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: ${what}.n must be a positive integer, got ${n}`);
  if (!Number.isFinite(seed)) throw new Error(`${fn}: ${what}.seed must be a finite number, got ${seed}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`${fn}: ${what}.alpha must be in (0, 1), got ${alpha}`);
  return { n, seed, alpha };
}
