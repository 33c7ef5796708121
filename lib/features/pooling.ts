/**
 * CLS ⊕ mean-patch pooling, the input of the paper's linear probe and of the grid's avg-pool heads (DINOv2 linear
 * evaluation, Oquab et al. 2023, "concatenate the class token and the average-pooled patch tokens"). One home for the
 * adapter grid (lib/adapters/grid/local-grid), the frozen-feature probes of session encoders (lib/eval/probe
 * probeInput) and the pretraining probe on a tfjs ViT (lib/pretrain/probe `vitProbeFeatures`). It sits in features,
 * not adapters, because pretrain (same layer as features) uses it.
 *
 * The callers' numbers were computed with three float orders, kept so they do not shift:
 *  - `sum: 'float64'` (default; the grid): patches summed in float64, divided by T once, rounded to float32.
 *  - `sum: 'float32'` (the feature probes): patch / T added into the float32 output one patch at a time.
 *  - `clsMeanPatchTensor` (the pretraining probe, the supervised baseline's head): tf.mean on the backend, on tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureSet } from './feature-set';

export interface PoolOptions {
  /** How the patch mean is summed (see above). Default 'float64'. */
  sum?: 'float64' | 'float32';
  /** Without patch tokens: 'cls' (default) returns CLS alone [N, D]; 'zeros' returns [N, 2D] whose mean half is 0. */
  withoutPatches?: 'cls' | 'zeros';
}

/** CLS [N, D] ⊕ mean over T of patches [N, T, D] → [N, 2D]; without patches see `withoutPatches` (CLS alone is a copy). */
export function avgPoolFeatures(cls: Float32Array, n: number, d: number, patches?: Float32Array, t?: number, opts: PoolOptions = {}): Float32Array {
  if (cls.length !== n * d) throw new Error(`avgPoolFeatures: cls has ${cls.length} values, expected ${n}×${d}`);
  if (!patches && opts.withoutPatches !== 'zeros') return Float32Array.from(cls);
  if (patches && (!t || patches.length !== n * t * d)) throw new Error(`avgPoolFeatures: patches have ${patches.length} values, expected ${n}×${t}×${d}`);
  const out = new Float32Array(n * 2 * d);
  const acc = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    out.set(cls.subarray(i * d, (i + 1) * d), i * 2 * d);
    if (!patches || !t) continue;
    const base = i * t * d;
    if (opts.sum === 'float32') {
      for (let k = 0; k < t; k++) {
        const row = base + k * d;
        for (let j = 0; j < d; j++) out[i * 2 * d + d + j] += patches[row + j] / t;
      }
      continue;
    }
    acc.fill(0);
    for (let k = 0; k < t; k++) {
      const row = base + k * d;
      for (let j = 0; j < d; j++) acc[j] += patches[row + j];
    }
    for (let j = 0; j < d; j++) out[i * 2 * d + d + j] = acc[j] / t;
  }
  return out;
}

/** avgPoolFeatures of a FeatureSet (its CLS and, when it has them, its patch tokens). */
export function poolFeatureSet(fs: FeatureSet, opts: PoolOptions = {}): Float32Array {
  const t = fs.gridH * fs.gridW;
  return avgPoolFeatures(fs.cls, fs.n, fs.dim, t > 0 ? fs.patches : undefined, t || undefined, opts);
}

/** The same pooling on tfjs tensors: CLS [N, D] ⊕ tf.mean(patches [N, T, D], 1) → [N, 2D] (a new tensor). */
export function clsMeanPatchTensor(cls: tf.Tensor2D, patches: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([cls, tf.mean(patches, 1)], 1) as tf.Tensor2D);
}
