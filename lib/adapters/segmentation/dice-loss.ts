/**
 * Multi-label soft Dice loss on sigmoid outputs (Milletari et al. 2016 "V-Net", eq. 1 with first powers, as in
 * mmsegmentation's `DiceLoss(use_sigmoid=True)` and MONAI's `DiceLoss(sigmoid=True)`). Classes are independent and may
 * overlap (ribs over lungs), so each class is a separate binary problem:
 *
 *   p = σ(z),  I_bk = Σ_p p·g,  S_bk = Σ_p p + Σ_p g,  d_bk = (2·I_bk + s) / (S_bk + s),
 *   loss = 1 − Σ_bk w_bk·d_bk / Σ_bk w_bk
 *
 * per sample b and class k (pixels p), smoothing s = 1, and a weight w_bk = 0 for classes not annotated on a sample.
 * Targets may be soft (area-averaged masks at the head's output size). The gradient is analytic, so training needs
 * no tfjs gradient registry:
 *
 *   ∂d/∂p = (2g·(S + s) − (2I + s)) / (S + s)²,   ∂p/∂z = p(1 − p).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface DiceLossOptions {
  /** Smoothing s added to numerator and denominator (default 1). */
  smooth?: number;
}

export interface DiceLossResult {
  loss: tf.Scalar;
  /** ∂loss/∂logits, same shape as logits. */
  grad: tf.Tensor3D;
}

function checkShapes(logits: tf.Tensor3D, targets: tf.Tensor3D, weights?: tf.Tensor2D): void {
  if (logits.shape.join() !== targets.shape.join()) {
    throw new Error(`diceLoss: logits ${logits.shape.join('×')} and targets ${targets.shape.join('×')} differ`);
  }
  if (weights && (weights.shape[0] !== logits.shape[0] || weights.shape[1] !== logits.shape[2])) {
    throw new Error(`diceLoss: weights ${weights.shape.join('×')} must be [B, K] = ${logits.shape[0]}×${logits.shape[2]}`);
  }
}

/**
 * Loss and its gradient.
 * @param logits  [B, P, K] pre-sigmoid scores (P pixels).
 * @param targets [B, P, K] in [0, 1].
 * @param weights [B, K] 1 = annotated (default all 1).
 * @example
 * const { loss, grad } = diceLossWithGrad(logits, masks);
 */
export function diceLossWithGrad(logits: tf.Tensor3D, targets: tf.Tensor3D, weights?: tf.Tensor2D,
  opts: DiceLossOptions = {}): DiceLossResult {
  checkShapes(logits, targets, weights);
  const s = opts.smooth ?? 1;
  return tf.tidy(() => {
    const [b, , k] = logits.shape;
    const p = tf.sigmoid(logits);
    const inter = tf.sum(tf.mul(p, targets), 1);                   // [B, K]
    const total = tf.add(tf.sum(p, 1), tf.sum(targets, 1));        // [B, K]
    const num = tf.add(tf.mul(inter, 2), s);
    const den = tf.add(total, s);
    const dice = tf.div(num, den);                                  // [B, K]
    const w = weights ?? tf.ones([b, k]);
    const wSum = tf.maximum(tf.sum(w), 1e-12);                      // all-unannotated batch → loss 0, grad 0
    const anyW = tf.cast(tf.greater(tf.sum(w), 0), 'float32');
    const loss = tf.mul(anyW, tf.sub(1, tf.div(tf.sum(tf.mul(w, dice)), wSum))) as tf.Scalar;
    // ∂loss/∂p = −(w/W)·(2g·den − num)/den², broadcast [B,1,K] over pixels
    const coef = tf.reshape(tf.div(tf.neg(w), tf.mul(wSum, tf.square(den))), [b, 1, k]);
    const dP = tf.mul(coef, tf.sub(tf.mul(tf.mul(targets, 2), tf.reshape(den, [b, 1, k])), tf.reshape(num, [b, 1, k])));
    const grad = tf.mul(dP, tf.mul(p, tf.sub(1, p))) as tf.Tensor3D;
    return { loss, grad };
  });
}

/** The loss value only (same definition as `diceLossWithGrad`). */
export function diceLoss(logits: tf.Tensor3D, targets: tf.Tensor3D, weights?: tf.Tensor2D,
  opts: DiceLossOptions = {}): tf.Scalar {
  return tf.tidy(() => diceLossWithGrad(logits, targets, weights, opts).loss);
}
