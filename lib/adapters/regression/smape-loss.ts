/**
 * SMAPE as scored by the AASCE 2019 challenge (Wang et al. 2019, "Accurate automated spinal curvature estimation"):
 * per image, the summed absolute error over the three Cobb angles divided by the summed magnitudes,
 *   SMAPE = (1/B) Σ_b Σ_j |ŷ_bj − y_bj| / Σ_j (|ŷ_bj| + |y_bj|)        (×100 for a percentage),
 * used as the training loss with its analytic gradient
 *   ∂/∂ŷ_bj = (sign(ŷ_bj − y_bj)·D_b − N_b·sign(ŷ_bj)) / (B·D_b²),   N_b, D_b the numerator and denominator.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Fraction in [0, 1] (not ×100) and ∂/∂pred. pred, target [B, J]. */
export function smapeLossWithGrad(pred: tf.Tensor2D, target: tf.Tensor2D, eps = 1e-8): { loss: tf.Scalar; grad: tf.Tensor2D } {
  if (pred.shape.join() !== target.shape.join()) {
    throw new Error(`smapeLoss: pred ${pred.shape.join('×')} and target ${target.shape.join('×')} differ`);
  }
  return tf.tidy(() => {
    const b = pred.shape[0];
    const err = tf.sub(pred, target);
    const num = tf.sum(tf.abs(err), 1, true);                                   // [B, 1]
    const den = tf.add(tf.sum(tf.add(tf.abs(pred), tf.abs(target)), 1, true), eps);
    const loss = tf.mean(tf.div(num, den)) as tf.Scalar;
    const grad = tf.div(tf.sub(tf.mul(tf.sign(err), den), tf.mul(num, tf.sign(pred))), tf.mul(tf.square(den), b)) as tf.Tensor2D;
    return { loss, grad };
  });
}

/** AASCE SMAPE in percent of plain arrays [N, J] (row-major). */
export function aasceSmape(pred: ArrayLike<number>, target: ArrayLike<number>, outputs: number): number {
  if (pred.length !== target.length || pred.length % outputs !== 0) {
    throw new Error(`aasceSmape: pred ${pred.length} and target ${target.length} values, ${outputs} per sample`);
  }
  const n = pred.length / outputs;
  if (n === 0) throw new Error('aasceSmape: no samples');
  let s = 0;
  for (let i = 0; i < n; i++) {
    let num = 0;
    let den = 0;
    for (let j = 0; j < outputs; j++) {
      const p = pred[i * outputs + j];
      const y = target[i * outputs + j];
      num += Math.abs(p - y);
      den += Math.abs(p) + Math.abs(y);
    }
    if (den > 0) s += num / den;
  }
  return (100 * s) / n;
}
