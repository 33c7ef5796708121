/**
 * The metric of one prediction set on a subset of its rows (a demographic slice, or a bootstrap / permutation resample
 * of it). Macro over classes, skipping — and counting — the classes where the metric is undefined on those rows:
 *   auroc  multi-label: per class over known labels (NaN dropped), classes with both labels present (= sklearn
 *          roc_auc_score per class, as lib/stats macroAuroc); multi-class: one-vs-rest per class present and absent.
 *   auprc  as auroc, classes with ≥ 1 positive (= sklearn average_precision_score).
 *   accuracy  multi-class: argmax == class (= sklearn accuracy_score); multi-label: mean over known labels of
 *          (score ≥ threshold) == label.
 *   balanced_accuracy  multi-class only: mean recall over the classes present (= sklearn balanced_accuracy_score).
 */
import { auroc } from '../stats/auroc';
import { averagePrecision } from '../stats/average-precision';
import type { PreparedSet } from './prediction-sets';

export const SLICE_METRICS = ['auroc', 'auprc', 'accuracy', 'balanced_accuracy'] as const;
export type SliceMetric = typeof SLICE_METRICS[number];

export interface MetricOutcome {
  /** NaN when undefined on these rows (see reason). */
  value: number;
  /** Classes that entered the macro mean. */
  classes: number;
  reason?: string;
}

export function checkMetric(fn: string, metric: string, multiclass: boolean): SliceMetric {
  if (!(SLICE_METRICS as readonly string[]).includes(metric)) throw new Error(`${fn}: invalid metric: ${metric} (one of ${SLICE_METRICS.join(', ')})`);
  if (metric === 'balanced_accuracy' && !multiclass) throw new Error(`${fn}: balanced_accuracy needs multi-class labels (class indices); these are multi-label`);
  return metric as SliceMetric;
}

/**
 * @param rows positions in the set (may repeat: bootstrap). @param classes class indices to score.
 */
export function sliceMetric(set: PreparedSet, rows: ArrayLike<number>, metric: SliceMetric, classes: readonly number[], threshold = 0.5): MetricOutcome {
  const { c } = set;
  const m = rows.length;
  if (m === 0) return { value: NaN, classes: 0, reason: 'no samples' };
  if (metric === 'accuracy' || metric === 'balanced_accuracy') {
    if (set.multiclass) {
      const hit = new Float64Array(c), count = new Float64Array(c);
      let hits = 0, kept = 0;
      for (let i = 0; i < m; i++) {
        const r = rows[i];
        const y = set.labels[r];
        if (!classes.includes(y)) continue;
        let best = 0;
        for (let j = 1; j < c; j++) if (set.scores[r * c + j] > set.scores[r * c + best]) best = j;
        kept++; count[y]++;
        if (best === y) { hits++; hit[y]++; }
      }
      if (kept === 0) return { value: NaN, classes: 0, reason: 'no sample of the selected classes' };
      if (metric === 'accuracy') return { value: hits / kept, classes: classes.filter((j) => count[j] > 0).length };
      const present = classes.filter((j) => count[j] > 0);
      return { value: present.reduce((s, j) => s + hit[j] / count[j], 0) / present.length, classes: present.length };
    }
    let hits = 0, known = 0;
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      for (const j of classes) {
        const y = set.labels[r * c + j];
        if (Number.isNaN(y)) continue;
        known++;
        if ((set.scores[r * c + j] >= threshold ? 1 : 0) === y) hits++;
      }
    }
    return known > 0 ? { value: hits / known, classes: classes.length } : { value: NaN, classes: 0, reason: 'no known label' };
  }
  let sum = 0, scored = 0;
  const y = new Float64Array(m), s = new Float64Array(m);
  for (const j of classes) {
    let k = 0, pos = 0;
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      const label = set.multiclass ? (set.labels[r] === j ? 1 : 0) : set.labels[r * c + j];
      if (Number.isNaN(label)) continue;
      y[k] = label; s[k] = set.scores[r * c + j]; pos += label; k++;
    }
    const defined = metric === 'auroc' ? pos > 0 && pos < k : pos > 0;
    if (!defined) continue;
    sum += metric === 'auroc' ? auroc(y.subarray(0, k), s.subarray(0, k)) : averagePrecision(y.subarray(0, k), s.subarray(0, k));
    scored++;
  }
  if (scored === 0) {
    return { value: NaN, classes: 0, reason: metric === 'auroc' ? 'single class: no class has both positives and negatives' : 'no positive label' };
  }
  return { value: sum / scored, classes: scored };
}

/** Samples with ≥ 1 positive among the classes (multi-label), or whose class is one of them (multi-class). */
export function positivesOf(set: PreparedSet, rows: ArrayLike<number>, classes: readonly number[]): number {
  let pos = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (set.multiclass ? classes.includes(set.labels[r]) : classes.some((j) => set.labels[r * set.c + j] === 1)) pos++;
  }
  return pos;
}
