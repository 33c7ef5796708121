/** LayerScale (Touvron et al. 2021, CaiT; dinov2 layers/layer_scale.py): x · γ, γ [D] learned, init 1e-5. */
import * as tf from '@tensorflow/tfjs-core';

export function layerScale(x: tf.Tensor2D, gamma: tf.Tensor1D | undefined): tf.Tensor2D {
  return gamma ? tf.mul(x, gamma) : x;
}
