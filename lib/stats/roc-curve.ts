/**
 * ROC curve points for plots (= sklearn.metrics.roc_curve 1.2, drop_intermediate=True by default):
 * collinear points are dropped, a first point (0, 0) with threshold max(score) + 1 is prepended.
 */
import { binaryCurve, requireBothClasses } from './binary-curve';
import { Vector } from './validate';

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decreasing; thresholds[0] = max score + 1 (sklearn 1.2; sklearn ≥ 1.3 uses +Infinity). */
  thresholds: Float64Array;
}

/** @throws UndefinedMetricError with a single class (sklearn returns NaN rates with a warning). */
export function rocCurve(labels: Vector, scores: Vector, opts: { dropIntermediate?: boolean } = {}): RocCurve {
  const c = binaryCurve('rocCurve', labels, scores);
  requireBothClasses('rocCurve', c);
  const { tps, fps, thresholds } = c;
  const m = tps.length;
  let keep: number[];
  if ((opts.dropIntermediate ?? true) && m > 2) {
    // keep a point where the second difference of fps or tps is non-zero (a change of slope), plus both ends
    keep = [0];
    for (let k = 1; k < m - 1; k++) {
      const d2f = fps[k + 1] - 2 * fps[k] + fps[k - 1];
      const d2t = tps[k + 1] - 2 * tps[k] + tps[k - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(k);
    }
    keep.push(m - 1);
  } else {
    keep = Array.from({ length: m }, (_, k) => k);
  }
  const fpr = new Float64Array(keep.length + 1);
  const tpr = new Float64Array(keep.length + 1);
  const thr = new Float64Array(keep.length + 1);
  thr[0] = thresholds[keep[0]] + 1;
  keep.forEach((k, i) => {
    fpr[i + 1] = fps[k] / c.nNeg;
    tpr[i + 1] = tps[k] / c.nPos;
    thr[i + 1] = thresholds[k];
  });
  return { fpr, tpr, thresholds: thr };
}
