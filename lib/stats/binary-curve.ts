/**
 * Cumulative true/false positives at every distinct score threshold, in decreasing threshold order
 * (= sklearn.metrics._ranking._binary_clf_curve). The shared core of AUROC, AP and the curves.
 *
 * One sort: positives' and negatives' scores are sorted separately as Float64Arrays (native numeric sort,
 * no comparator, ~10× faster than an index argsort in JS) and merged from the top; ties are grouped by
 * exact equality, as sklearn's np.diff(y_score) != 0 does.
 */
import { UndefinedMetricError } from './errors';
import { assertBinary, assertFinite, assertNonEmpty, assertSameLength, assertVector, Vector } from './validate';

export interface BinaryCurve {
  /** Distinct scores, decreasing. */
  thresholds: Float64Array;
  /** Positives with score ≥ thresholds[i]. */
  tps: Float64Array;
  /** Negatives with score ≥ thresholds[i]. */
  fps: Float64Array;
  nPos: number;
  nNeg: number;
}

/** Validate (labels ∈ {0,1}, finite scores, equal non-zero length) and build the curve. */
export function binaryCurve(fn: string, labels: Vector, scores: Vector): BinaryCurve {
  assertVector(fn, 'labels', labels);
  assertVector(fn, 'scores', scores);
  assertSameLength(fn, 'labels', labels, 'scores', scores);
  assertNonEmpty(fn, 'labels', labels);
  assertBinary(fn, 'labels', labels);
  assertFinite(fn, 'scores', scores);
  const n = labels.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += labels[i];
  const nNeg = n - nPos;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = nPos - 1;
  let j = nNeg - 1;
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === v) { tp++; i--; }
    while (j >= 0 && neg[j] === v) { fp++; j--; }
    thresholds[k] = v;
    tps[k] = tp;
    fps[k] = fp;
    k++;
  }
  return { thresholds: thresholds.slice(0, k), tps: tps.slice(0, k), fps: fps.slice(0, k), nPos, nNeg };
}

/** Throw UndefinedMetricError unless both classes are present. */
export function requireBothClasses(fn: string, c: BinaryCurve): void {
  if (c.nPos === 0 || c.nNeg === 0) {
    throw new UndefinedMetricError(
      `${fn}: only one class present in labels (${c.nPos} positives, ${c.nNeg} negatives); the metric is undefined`);
  }
}
