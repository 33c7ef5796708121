/**
 * Area under the ROC curve (= sklearn.metrics.roc_auc_score for binary labels).
 * Computed as the trapezoidal area on un-normalised (fps, tps) counts, which is exact in float64 up to
 * n ≈ 1e7 and equals the Mann-Whitney U / (P·N) with ties counted ½ (average ranks).
 */
import { binaryCurve, requireBothClasses } from './binary-curve';
import { Vector } from './validate';

/**
 * @param labels 0/1 per sample. @param scores finite, higher = more positive.
 * @throws Error on bad input; UndefinedMetricError when only one class is present (sklearn raises ValueError).
 * @example auroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 */
export function auroc(labels: Vector, scores: Vector): number {
  const c = binaryCurve('auroc', labels, scores);
  requireBothClasses('auroc', c);
  let area2 = 0; // twice the area, in counts
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < c.tps.length; k++) {
    area2 += (c.fps[k] - prevFp) * (c.tps[k] + prevTp);
    prevTp = c.tps[k];
    prevFp = c.fps[k];
  }
  return area2 / (2 * c.nPos * c.nNeg);
}
