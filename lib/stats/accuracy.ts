/**
 * Accuracy and balanced ("macro") accuracy. Balanced accuracy = the mean over classes of per-class recall,
 * the paper's "macro accuracy" for the 3-class COVID task (Fig. 3d, S2) (= sklearn balanced_accuracy_score:
 * classes absent from yTrue are left out of the mean).
 */
import { checkClassPair, confusionMatrix } from './confusion-matrix';

import { Vector } from './validate';

/** Fraction of exact matches (= sklearn accuracy_score). */
export function accuracy(yTrue: Vector, yPred: Vector): number {
  checkClassPair('accuracy', yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** Recall per row of a confusion matrix (rows = truth); NaN for a row with no samples. */
export function perClassRecall(matrix: ReadonlyArray<ReadonlyArray<number>>): number[] {
  return matrix.map((row, i) => {
    if (row.length !== matrix.length) throw new Error(`perClassRecall: matrix must be square; row ${i} has ${row.length} entries, there are ${matrix.length} rows`);
    const total = row.reduce((s, v) => s + v, 0);
    return total > 0 ? row[i] / total : NaN;
  });
}

/** Balanced accuracy from a confusion matrix (rows = truth, columns = prediction). */
export function balancedAccuracyFromMatrix(matrix: ReadonlyArray<ReadonlyArray<number>>): number {
  const recalls = perClassRecall(matrix).filter((r) => !Number.isNaN(r));
  if (recalls.length === 0) throw new Error('balancedAccuracyFromMatrix: matrix has no samples');
  return recalls.reduce((s, r) => s + r, 0) / recalls.length;
}

/** Balanced accuracy (= sklearn balanced_accuracy_score, adjusted=False). */
export function balancedAccuracy(yTrue: Vector, yPred: Vector): number {
  checkClassPair('balancedAccuracy', yTrue, yPred);
  return balancedAccuracyFromMatrix(confusionMatrix(yTrue, yPred).matrix);
}
