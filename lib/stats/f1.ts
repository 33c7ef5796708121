/**
 * F1 score for multi-class labels (= sklearn.metrics.f1_score with average='macro' | 'micro',
 * zero_division=0): macro = unweighted mean of per-class F1 over the sorted union of labels in yTrue and yPred
 * (or `labels`); a class with no true and no predicted sample gets F1 = 0, as sklearn's zero_division default.
 * Micro F1 over all classes equals accuracy for single-label multi-class data.
 */
import { checkClassPair, uniqueLabels } from './confusion-matrix';
import { Vector } from './validate';

export function f1(yTrue: Vector, yPred: Vector, opts: { average?: 'macro' | 'micro'; labels?: number[] } = {}): number {
  const fn = 'f1';
  checkClassPair(fn, yTrue, yPred);
  const average = opts.average ?? 'macro';
  if (average !== 'macro' && average !== 'micro') throw new Error(`${fn}: invalid average: ${average}`);
  const labels = opts.labels ?? uniqueLabels(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  // counted over all samples, as sklearn's multilabel_confusion_matrix (a true label outside `labels` still
  // counts as a false positive of the predicted class)
  const tp = new Array<number>(K).fill(0);
  const trueCount = new Array<number>(K).fill(0);
  const predCount = new Array<number>(K).fill(0);
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined) trueCount[t]++;
    if (p !== undefined) predCount[p]++;
    if (t !== undefined && yTrue[i] === yPred[i]) tp[t]++;
  }
  if (average === 'micro') {
    const TP = tp.reduce((s, v) => s + v, 0);
    const T = trueCount.reduce((s, v) => s + v, 0);
    const P = predCount.reduce((s, v) => s + v, 0);
    return T + P > 0 ? (2 * TP) / (T + P) : 0;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const denom = trueCount[k] + predCount[k];
    sum += denom > 0 ? (2 * tp[k]) / denom : 0;
  }
  return sum / K;
}
