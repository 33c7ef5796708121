/**
 * KoLeo regulariser (Sablayrolles et al. 2019 "Spreading vectors for similarity search"; DINOv2 §4):
 * L = −1/n Σ log(d_{n,min}), the distance of each L2-normalised feature to its nearest neighbour in the batch.
 * Matches dinov2 `KoLeoLoss`: normalise with eps 1e-8, nearest neighbour by max dot product (diagonal excluded),
 * `nn.PairwiseDistance(2, eps=1e-8)` (eps added to the difference), then −mean log(d + eps).
 */
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../engine/gradients';

/** x [B, D] (student CLS of one global crop) → scalar. The neighbour search is not differentiated (as in torch). */
export function koleoLoss(x: tf.Tensor2D, eps = 1e-8): tf.Scalar {
  return tf.tidy(() => {
    const n = x.shape[0];
    if (n < 2) throw new Error(`koleoLoss: needs at least 2 samples, got ${n}`);
    const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), eps);
    const xn = tf.div(x, norm) as tf.Tensor2D;                              // BxD
    const dots = stopGradient(tf.matMul(xn, xn, false, true));      // BxB
    const diag = tf.cast(tf.oneHot(tf.range(0, n, 1, 'int32'), n), 'float32');
    // dinov2 fills the diagonal with −1 (the minimum of a cosine) so a sample is never its own neighbour.
    const masked = tf.sub(tf.mul(dots, tf.sub(1, diag)), diag);
    const nnIdx = tf.argMax(masked, 1);                                    // B
    const neighbours = tf.gather(xn, nnIdx);                           // BxD
    const dist = tf.sqrt(tf.sum(tf.square(tf.add(tf.sub(xn, neighbours), eps)), 1));   // BxD, BxD -> B
    return tf.neg(tf.mean(tf.log(tf.add(dist, eps)))) as tf.Scalar;
  });
}
