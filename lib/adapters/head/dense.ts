/**
 * A 1×1 convolution / linear layer over rows, y = x·W + b on 2-D [rows, in] tensors, with its backward written as
 * explicit transposes and untransposed 2-D matmuls (the only fast tfjs-wasm matmul; tfjs's own gradients use
 * transposed products, which run ~15× slower there). Parameters are plain tensors owned by the caller.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface DenseParams { w: tf.Tensor2D; b: tf.Tensor1D }

/** y = x·W + b. x [N, in] → [N, out]. */
export function denseForward(x: tf.Tensor2D, p: DenseParams): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(x, p.w), p.b) as tf.Tensor2D);
}

/** Gradients of y = x·W + b given dy [N, out]: dW = xᵀ·dy, db = Σ_rows dy, and dx = dy·Wᵀ when `needDx`. */
export function denseBackward(x: tf.Tensor2D, p: DenseParams, dy: tf.Tensor2D, needDx: boolean):
  { dw: tf.Tensor2D; db: tf.Tensor1D; dx?: tf.Tensor2D } {
  return tf.tidy(() => {
    const dw = tf.matMul(tf.transpose(x), dy) as tf.Tensor2D;
    const db = tf.sum(dy, 0) as tf.Tensor1D;
    if (!needDx) return { dw, db } as { dw: tf.Tensor2D; db: tf.Tensor1D; dx?: tf.Tensor2D };
    const dx = tf.matMul(dy, tf.transpose(p.w)) as tf.Tensor2D;
    return { dw, db, dx };
  });
}

/** ReLU backward: dy where the forward OUTPUT was > 0 (y = relu(x) ⇒ y > 0 ⇔ x > 0). */
export function reluBackward(y: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(dy, tf.cast(tf.greater(y, 0), 'float32')));
}
