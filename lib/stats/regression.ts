/**
 * Regression metrics for the Cobb-angle task (paper Fig. 3e, S3).
 */
import { assertSameLength, checkSample, Vector } from './validate';

function checkPair(fn: string, yTrue: Vector, yPred: Vector): void {
  checkSample(fn, 'yTrue', yTrue);
  checkSample(fn, 'yPred', yPred);
  assertSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
}

/**
 * Coefficient of determination (= sklearn.metrics.r2_score, force_finite=True): 1 − SS_res / SS_tot;
 * constant yTrue gives 1 when the prediction is perfect, else 0. Needs ≥ 2 samples (sklearn: NaN).
 */
export function r2(yTrue: Vector, yPred: Vector): number {
  checkPair('r2', yTrue, yPred);
  if (yTrue.length < 2) throw new Error(`r2: needs at least 2 samples, got ${yTrue.length}`);
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Symmetric mean absolute percentage error, in percent (0–200):
 * sMAPE = 100/n · Σ |ŷ − y| / ((|y| + |ŷ|) / 2); a pair with y = ŷ = 0 contributes 0.
 * (No scipy/sklearn equivalent; fixtures use this numpy formula.)
 */
export function smape(yTrue: Vector, yPred: Vector): number {
  checkPair('smape', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = (Math.abs(yTrue[i]) + Math.abs(yPred[i])) / 2;
    if (d > 0) s += Math.abs(yPred[i] - yTrue[i]) / d;
  }
  return (100 * s) / yTrue.length;
}
