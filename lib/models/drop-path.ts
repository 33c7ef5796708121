/**
 * Stochastic depth (Huang et al. 2016; dinov2 layers/drop_path.py): per sample, drop the residual branch with
 * probability `rate` and scale kept ones by 1/(1−rate). Seeded: the keep mask comes from `rng`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../engine/rng';

/** Multiplier rows [B·N, 1] (each sample's value repeated over its N tokens), or null when nothing is dropped. */
export function dropPathMask(rng: Rng, batch: number, tokens: number, rate: number): tf.Tensor2D | null {
  if (rate <= 0) return null;
  const keep = 1 - rate;
  const m = new Float32Array(batch * tokens);
  for (let b = 0; b < batch; b++) m.fill(rng.uniform() < keep ? 1 / keep : 0, b * tokens, (b + 1) * tokens);
  return tf.tensor2d(m, [batch * tokens, 1]);
}

export function dropPath(x: tf.Tensor2D, mask: tf.Tensor2D | null): tf.Tensor2D {
  return mask ? tf.mul(x, mask) : x;
}
