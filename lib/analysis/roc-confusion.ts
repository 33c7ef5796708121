/** Multi-class test results shaped for Fig 3d / S2: one-vs-rest ROC points and row-normalised confusion matrices. */
import type { ColumnTable } from 'arquero';
import type { Predictions } from '../eval/protocol';
import { rocCurve } from '../stats/roc-curve';

/**
 * Fig 3d right: ROC points (rows model, dataset, seed, fpr, tpr, positives, negatives) of class `k` for the first seed's
 * predictions; the counts say how coarse the curve is (a test set with 4 negatives moves in steps of 0.25).
 */
export function rocRows(model: string, predictions: readonly Predictions[], k: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const p of predictions) {
    if (seen.has(p.group)) continue; // first seed per test set
    seen.add(p.group);
    const c = p.classNames.length;
    const y = Float64Array.from(p.labels as Int32Array, (v) => (v === k ? 1 : 0));
    const s = Float64Array.from({ length: p.ids.length }, (_, i) => p.scores[i * c + k]);
    const r = rocCurve(y, s);
    const positives = y.reduce((a, v) => a + v, 0), negatives = y.length - positives;
    r.fpr.forEach((f, i) => rows.push({ model, dataset: p.group, seed: p.seed, fpr: f, tpr: r.tpr[i], positives, negatives }));
  }
  return rows;
}

/**
 * Fig S2: confusion matrices summed over seeds, row-normalised (each true class sums to 1): rows model, dataset, true,
 * predicted, value (fraction), count, label ('0.82 (41)').
 */
export function confusionRows(table: ColumnTable): Record<string, unknown>[] {
  const acc = new Map<string, { model: string; dataset: string; t: string; p: string; count: number }>();
  for (const r of table.objects() as Record<string, any>[]) {
    if (r.metric !== 'count') continue;
    const m = /^true=(.*)\|pred=(.*)$/.exec(r.group);
    if (!m) continue;
    const k = `${r.model}\u0000${r.dataset}\u0000${m[1]}\u0000${m[2]}`;
    if (!acc.has(k)) acc.set(k, { model: r.model, dataset: r.dataset, t: m[1], p: m[2], count: 0 });
    acc.get(k)!.count += r.value;
  }
  const totals = new Map<string, number>();
  for (const a of acc.values()) {
    const k = `${a.model}\u0000${a.dataset}\u0000${a.t}`;
    totals.set(k, (totals.get(k) ?? 0) + a.count);
  }
  return [...acc.values()].map((a) => {
    const tot = totals.get(`${a.model}\u0000${a.dataset}\u0000${a.t}`) ?? 0;
    const value = tot > 0 ? a.count / tot : NaN;
    return { model: a.model, dataset: a.dataset, panel: `${a.model} · ${a.dataset}`, true: a.t, predicted: a.p, value, count: a.count, label: `${Number.isFinite(value) ? value.toFixed(2) : '–'} (${a.count})` };
  });
}
