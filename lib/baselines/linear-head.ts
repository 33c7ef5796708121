/**
 * The classification head of the supervised baseline: one linear layer on the pooled backbone output — CLS, or
 * CLS ‖ mean patch token (DINOv2 §7's linear-evaluation input; Oquab et al. 2023). Discarded after training (the
 * backbone is what gets frozen and compared), but saved beside it for reference.
 * Weights are [in, out] (tfjs layout); the bias starts at the logit of each label's training prevalence, so the
 * initial loss is the prevalence entropy rather than log 2 per label (standard practice for long-tailed multi-label).
 */
import * as tf from '@tensorflow/tfjs-core';
import { clsMeanPatchTensor } from '../features/pooling';
import { Rng } from '../engine/rng';
import { linear } from '../models/ops/linear';
import { truncNormal } from '../pretrain/dino-head';
import { ownedVariable } from '../engine/gradients';

export type HeadPool = 'cls' | 'cls+mean';

export const HEAD_WEIGHT = 'head.weight';
export const HEAD_BIAS = 'head.bias';

/** Pooled features: cls [B, D] → [B, D], or cls ‖ mean(patches) → [B, 2D]. */
export function poolFeatures(cls: tf.Tensor2D, patches: tf.Tensor3D, pool: HeadPool): tf.Tensor2D {
  if (pool === 'cls') return tf.clone(cls);
  return clsMeanPatchTensor(cls, patches);
}

/** Feature width of a pooling mode for a backbone of width `dim`. */
export function pooledDim(dim: number, pool: HeadPool): number {
  return pool === 'cls' ? dim : 2 * dim;
}

export class LinearHead {
  readonly params = new Map<string, tf.Variable>();

  /** `prevalence[c]` ∈ [0, 1] sets the initial bias to logit(clamp(p, 1e-3, 1 − 1e-3)); weights ~ N(0, 0.02²) truncated. */
  constructor(readonly inDim: number, readonly numClasses: number, rng: Rng, prevalence?: ArrayLike<number>) {
    if (prevalence && prevalence.length !== numClasses) throw new Error(`LinearHead: ${prevalence.length} prevalences for ${numClasses} classes`);
    const bias = new Float32Array(numClasses);
    if (prevalence) {
      for (let c = 0; c < numClasses; c++) {
        const p = Math.min(1 - 1e-3, Math.max(1e-3, Number.isFinite(prevalence[c]) ? prevalence[c] : 0.5));
        bias[c] = Math.log(p / (1 - p));
      }
    }
    this.params.set(HEAD_WEIGHT, ownedVariable(truncNormal([inDim, numClasses], 0.02, rng)));
    this.params.set(HEAD_BIAS, ownedVariable(tf.tensor1d(bias)));
  }

  /** features [B, inDim] → logits [B, numClasses]. */
  apply(features: tf.Tensor2D): tf.Tensor2D {
    if (features.shape[1] !== this.inDim) throw new Error(`LinearHead: features [${features.shape}] do not match inDim ${this.inDim}`);
    return linear(features, this.params.get(HEAD_WEIGHT)! as tf.Tensor2D, this.params.get(HEAD_BIAS)! as tf.Tensor1D);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}
