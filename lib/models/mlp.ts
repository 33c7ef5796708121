/** Transformer FFN (dinov2 layers/mlp.py): fc1 → exact GELU → fc2, on 2-D token rows [M, D]. */
import * as tf from '@tensorflow/tfjs-core';
import { linear, linearGelu } from './ops/linear';

export interface MlpParams { w1: tf.Tensor2D; b1: tf.Tensor1D; w2: tf.Tensor2D; b2: tf.Tensor1D }

export function mlp(x: tf.Tensor2D, p: MlpParams): tf.Tensor2D {
  return tf.tidy(() => linear(linearGelu(x, p.w1, p.b1), p.w2, p.b2));
}
