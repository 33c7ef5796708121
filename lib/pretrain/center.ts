/**
 * Teacher output centring (Caron et al. 2021 §3.1, "centering and sharpening"): an explicit running buffer, updated by
 * EMA with the teacher's batch mean AFTER it was used (dinov2 `DINOLoss.softmax_center_teacher` / `update_center`).
 * Also the Sinkhorn-Knopp alternative of DINOv2 (§4 "Sinkhorn-Knopp centering", from SwAV), which needs no buffer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownedVariable } from '../engine/gradients';

export class DinoCenter {
  /** [1, K] running centre. */
  readonly center: tf.Variable<tf.Rank.R2>;

  /**
   * @param dim number of prototypes K
   * @param momentum EMA momentum of the centre (dinov2: 0.9)
   */
  constructor(readonly dim: number, readonly momentum = 0.9, name?: string) {
    this.center = ownedVariable(tf.zeros([1, dim]), false, name) as tf.Variable<tf.Rank.R2>;
  }

  /** softmax((t − c) / temp) over prototypes; t [N, K] teacher logits. Does not change the centre. */
  softmaxCentered(teacherLogits: tf.Tensor2D, temp: number): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(tf.div(tf.sub(teacherLogits, this.center), temp)) as tf.Tensor2D);
  }

  /** c ← m·c + (1 − m)·mean(t, 0). Call after `softmaxCentered` on the same batch, as dinov2 does. */
  update(teacherLogits: tf.Tensor2D): void {
    const next = tf.tidy(() => {
      const batchCenter = tf.mean(teacherLogits, 0, true);
      return tf.add(tf.mul(this.center, this.momentum), tf.mul(batchCenter, 1 - this.momentum));
    });
    this.center.assign(next as tf.Tensor2D);
    next.dispose();
  }

  /** The centre as a plain array (for checkpoints). */
  values(): Float32Array {
    return this.center.dataSync() as Float32Array;
  }

  /** Restores a saved centre (exact resume). */
  restore(values: Float32Array): void {
    if (values.length !== this.dim) throw new Error(`DinoCenter.restore: expected ${this.dim} values, got ${values.length}`);
    const t = tf.tensor2d(values, [1, this.dim]);
    this.center.assign(t);
    t.dispose();
  }

  dispose(): void {
    this.center.dispose();
  }
}

/**
 * Sinkhorn-Knopp normalisation of teacher logits (dinov2 `sinkhorn_knopp_teacher`, single process):
 * Q = exp(t / temp)ᵀ, then alternately normalise prototype rows and sample columns; returns [N, K] rows summing to 1.
 */
export function sinkhornKnopp(teacherLogits: tf.Tensor2D, temp: number, iterations = 3): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, k] = teacherLogits.shape;
    // Subtracting the global max keeps exp finite; it cancels in the first normalisation.
    let q = tf.transpose(tf.exp(tf.div(tf.sub(teacherLogits, tf.max(teacherLogits)), temp))) as tf.Tensor2D; // [K, N]
    q = tf.div(q, tf.sum(q));
    for (let i = 0; i < iterations; i++) {
      q = tf.div(tf.div(q, tf.sum(q, 1, true)), k);
      q = tf.div(tf.div(q, tf.sum(q, 0, true)), n);
    }
    return tf.transpose(tf.mul(q, n)) as tf.Tensor2D;
  });
}
