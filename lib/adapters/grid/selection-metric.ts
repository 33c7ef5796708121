/**
 * The validation metric that picks the best grid config (paper Methods): macro AUROC for multi-label classification,
 * macro AUPRC for long-tailed label sets, macro (balanced) accuracy for multi-class.
 */
import { balancedAccuracy, macroAuprc, macroAuroc } from '../../stats';

export type SelectionMetric = 'auroc' | 'auprc' | 'accuracy';

/** Per-sample rows [N, C] (row-major) → per-class columns, the layout of lib/stats. */
export function columnsOf(rowMajor: ArrayLike<number>, n: number, c: number): Float64Array[] {
  const cols = Array.from({ length: c }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) cols[k][i] = rowMajor[i * c + k];
  return cols;
}

/** Macro accuracy (balanced accuracy = mean per-class recall) of argmax predictions from scores [N, C]. */
export function macroAccuracy(classes: ArrayLike<number>, scores: ArrayLike<number>, c: number): number {
  return balancedAccuracy(classes, argmaxRows(scores, classes.length, c));
}

/** Row-wise argmax of [N, C] scores. */
export function argmaxRows(scores: ArrayLike<number>, n: number, c: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (scores[i * c + k] > scores[i * c + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** The selection metric of one head's scores [N, C] against labels ([N, C] with NaN, or class indices [N]). */
export function selectionScore(metric: SelectionMetric, labels: Float32Array | Int32Array, scores: Float32Array, n: number, c: number): number {
  if (metric === 'accuracy') return macroAccuracy(labels, scores, c);
  const Y = columnsOf(labels, n, c);
  const S = columnsOf(scores, n, c);
  return metric === 'auroc' ? macroAuroc(Y, S, { layout: 'classes' }).macro : macroAuprc(Y, S, { layout: 'classes' }).macro;
}
