/**
 * Average precision, the step-function area under the precision-recall curve
 * (= sklearn.metrics.average_precision_score, binary): AP = Σ_k (R_k − R_{k−1}) P_k over decreasing thresholds.
 */
import { binaryCurve } from './binary-curve';
import { UndefinedMetricError } from './errors';
import { Vector } from './validate';

/**
 * @throws UndefinedMetricError when labels hold no positive (sklearn 1.2 warns and returns 0 there;
 * we refuse so that a macro average never silently includes it).
 * @example averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.8333…
 */
export function averagePrecision(labels: Vector, scores: Vector): number {
  const c = binaryCurve('averagePrecision', labels, scores);
  if (c.nPos === 0) {
    throw new UndefinedMetricError(`averagePrecision: labels hold no positive (${c.nNeg} negatives); AP is undefined`);
  }
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < c.tps.length; k++) {
    const tp = c.tps[k];
    if (tp !== prevTp) ap += ((tp - prevTp) / c.nPos) * (tp / (tp + c.fps[k]));
    prevTp = tp;
  }
  return ap;
}
