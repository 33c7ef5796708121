/**
 * A ViT feature pyramid from the patch tokens of several frozen blocks (ViTDet, Li et al. 2022 §3 "simple feature
 * pyramid"; mmseg's `MultiLevelNeck` used by its ViT+UperNet configs): block i's tokens, reshaped to the patch grid, are
 * projected D → C by a lateral 1×1 convolution + ReLU and resampled to stride ×scale_i of the grid (default ×4, ×2, ×1,
 * ×0.5: bilinear up, 2×2 average pooling down). Cheap variant: the projection runs at grid resolution before the
 * resampling (both are linear per pixel, so this costs scale² less than projecting after upsampling), and there is no
 * 3×3 convolution.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../engine/rng';
import { denseBackward, denseForward, DenseParams, reluBackward } from '../head/dense';
import { addDense, Grads, ParamStore } from '../head/params';
import { Resampler } from './resample';

export interface PyramidGeometry {
  gridH: number;
  gridW: number;
  /** Stride multipliers of the grid, finest first (e.g. [4, 2, 1, 0.5]). */
  scales: number[];
  /** [H, W] of each level. */
  sizes: [number, number][];
}

/** Level sizes: round(grid·scale), at least 1. Scales must be strictly decreasing (finest level first). */
export function pyramidGeometry(gridH: number, gridW: number, scales: number[]): PyramidGeometry {
  if (!scales.length) throw new Error('pyramidGeometry: no scales');
  for (let i = 1; i < scales.length; i++) {
    if (!(scales[i] < scales[i - 1])) throw new Error(`pyramidGeometry: scales must decrease, got ${scales.join(', ')}`);
  }
  const sizes = scales.map((s) => {
    if (!(s > 0)) throw new Error(`pyramidGeometry: invalid scale ${s}`);
    return [Math.max(1, Math.round(gridH * s)), Math.max(1, Math.round(gridW * s))] as [number, number];
  });
  return { gridH, gridW, scales, sizes };
}

export interface PyramidCache {
  batch: number;
  tokens: tf.Tensor2D[];
  /** Post-ReLU lateral projections at grid resolution [B·T, C], one per level. */
  laterals: tf.Tensor2D[];
}

export class FeaturePyramid {
  readonly lateral: DenseParams[];
  private readonly resamplers: Resampler[];

  constructor(readonly geometry: PyramidGeometry, readonly dim: number, readonly channels: number,
    store: ParamStore, rng: Rng) {
    const { gridH, gridW, sizes } = geometry;
    this.lateral = sizes.map((_, i) => addDense(store, `pyramid.lateral${i}`, rng, dim, channels));
    this.resamplers = sizes.map(([h, w]) => new Resampler(gridH, gridW, h, w, h >= gridH ? 'bilinear' : 'area'));
  }

  /** tokens: one [B·T, D] per level (block) → levels [B, H_i, W_i, C] and the cache for backward. */
  forward(tokens: tf.Tensor2D[]): { levels: tf.Tensor4D[]; cache: PyramidCache } {
    const { gridH, gridW, sizes } = this.geometry;
    if (tokens.length !== sizes.length) {
      throw new Error(`FeaturePyramid: ${tokens.length} token levels for ${sizes.length} pyramid levels`);
    }
    const t = gridH * gridW;
    const batch = tokens[0].shape[0] / t;
    const laterals: tf.Tensor2D[] = [];
    const levels = tokens.map((x, i) => {
      if (x.shape[1] !== this.dim || x.shape[0] !== batch * t) {
        throw new Error(`FeaturePyramid: level ${i} tokens ${x.shape.join('×')}, expected [${batch}·${t}, ${this.dim}]`);
      }
      const l = tf.relu(denseForward(x, this.lateral[i])) as tf.Tensor2D;
      laterals.push(l);
      return this.resamplers[i].forward(tf.reshape(l, [batch, gridH, gridW, this.channels]));
    });
    return { levels, cache: { batch, tokens, laterals } };
  }

  /**
   * dLevels [B, H_i, W_i, C] (+ optional extra gradients on the laterals, e.g. from an auxiliary head) → parameter
   * grads (`pyramid.lateral{i}.w|b`) added to `grads`. The tokens are frozen: no input gradient.
   */
  backward(cache: PyramidCache, dLevels: tf.Tensor4D[], dLateralExtra: (tf.Tensor2D | undefined)[], grads: Grads): void {
    const { gridH, gridW } = this.geometry;
    dLevels.forEach((dl, i) => {
      let dLat = tf.reshape(this.resamplers[i].backward(dl), [cache.batch * gridH * gridW, this.channels]) as tf.Tensor2D;
      const extra = dLateralExtra[i];
      if (extra) dLat = tf.add(dLat, extra);
      const dPre = reluBackward(cache.laterals[i], dLat) as tf.Tensor2D;
      const g = denseBackward(cache.tokens[i], this.lateral[i], dPre, false);
      grads.set(`pyramid.lateral${i}.w`, g.dw);
      grads.set(`pyramid.lateral${i}.b`, g.db);
    });
  }

  dispose(): void {
    for (const r of this.resamplers) r.dispose();
  }
}
