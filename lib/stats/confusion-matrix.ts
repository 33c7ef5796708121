/**
 * Multi-class confusion matrix (= sklearn.metrics.confusion_matrix): rows = true class, columns = predicted,
 * classes = the sorted union of labels seen in yTrue and yPred unless `labels` is given.
 */
import { assertClassIndices, assertNonEmpty, assertSameLength, assertVector, Vector } from './validate';

export interface ConfusionMatrix {
  /** Class label of each row/column. */
  labels: number[];
  /** matrix[i][j] = samples of true class labels[i] predicted as labels[j]. */
  matrix: number[][];
}

export function checkClassPair(fn: string, yTrue: Vector, yPred: Vector): void {
  assertVector(fn, 'yTrue', yTrue);
  assertVector(fn, 'yPred', yPred);
  assertSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
  assertNonEmpty(fn, 'yTrue', yTrue);
  assertClassIndices(fn, 'yTrue', yTrue);
  assertClassIndices(fn, 'yPred', yPred);
}

/** Sorted union of the labels present in the given vectors. */
export function uniqueLabels(...vs: Vector[]): number[] {
  const seen = new Set<number>();
  for (const v of vs) for (let i = 0; i < v.length; i++) seen.add(v[i]);
  return [...seen].sort((a, b) => a - b);
}

export function confusionMatrix(yTrue: Vector, yPred: Vector, opts: { labels?: number[] } = {}): ConfusionMatrix {
  const fn = 'confusionMatrix';
  checkClassPair(fn, yTrue, yPred);
  const labels = opts.labels ?? uniqueLabels(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let k = 0; k < yTrue.length; k++) {
    const i = index.get(yTrue[k]);
    const j = index.get(yPred[k]);
    // as sklearn: samples whose true or predicted label is not in `labels` are left out
    if (i !== undefined && j !== undefined) matrix[i][j]++;
  }
  return { labels, matrix };
}
