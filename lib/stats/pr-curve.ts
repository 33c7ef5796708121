/**
 * Precision-recall curve points (= sklearn.metrics.precision_recall_curve 1.2): one point per distinct score,
 * ordered by increasing threshold (recall decreasing), then the final point (precision 1, recall 0) with no
 * threshold, so precision/recall have one entry more than thresholds.
 */
import { binaryCurve } from './binary-curve';
import { UndefinedMetricError } from './errors';
import { Vector } from './validate';

export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  /** Increasing distinct scores. */
  thresholds: Float64Array;
}

/** @throws UndefinedMetricError when labels hold no positive (sklearn sets recall to 1 with a warning). */
export function prCurve(labels: Vector, scores: Vector): PrCurve {
  const c = binaryCurve('prCurve', labels, scores);
  if (c.nPos === 0) throw new UndefinedMetricError('prCurve: labels hold no positive; recall is undefined');
  const m = c.tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const r = m - 1 - k; // reverse: sklearn returns increasing thresholds
    const tp = c.tps[k];
    precision[r] = tp / (tp + c.fps[k]);
    recall[r] = tp / c.nPos;
    thresholds[r] = c.thresholds[k];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}
