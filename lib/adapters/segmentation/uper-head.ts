/**
 * UperNet-style fusion head, lite (Xiao et al. 2018 "Unified Perceptual Parsing", §3; mmseg `UPerHead` without the
 * pyramid-pooling module and with 1×1 instead of 3×3 convolutions): an FPN top-down pathway p_i = l_i + up(p_{i+1})
 * from the coarsest level, every p_i upsampled (bilinear) to the finest level, concatenated, fused by a 1×1 convolution
 * L·C → C + ReLU, and classified by a 1×1 convolution C → K. Output: logits at the finest level's size.
 *
 * The fusion is computed as Σ_i up(p_i·W_i) + b with W_i the i-th C-row block of the fuse weight: upsampling is linear
 * per channel, so this equals W·concat(up(p_i)) + b while multiplying each level at its own (smaller) size — about
 * 3× fewer FLOPs in the head's largest matmul, and no concat/split of the finest-size tensor.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../engine/rng';
import { denseBackward, denseForward, DenseParams, reluBackward } from '../head/dense';
import type { PyramidGeometry } from './feature-pyramid';
import { addDense, Grads, ParamStore } from '../head/params';
import { Resampler } from './resample';

export interface UperCache {
  batch: number;
  /** Top-down features p_i as [B·H_i·W_i, C]. */
  p: tf.Tensor2D[];
  /** Per-level blocks W_i [C, C] of the fuse weight. */
  wBlocks: tf.Tensor2D[];
  /** Post-ReLU fused features [B·P0, C]. */
  fused: tf.Tensor2D;
}

export class UperHead {
  readonly fuse: DenseParams;
  readonly cls: DenseParams;
  /** topDown[i]: level i+1 size → level i size. */
  private readonly topDown: Resampler[];
  /** toFinest[i]: level i size → level 0 size (identity for i = 0). */
  private readonly toFinest: Resampler[];

  constructor(readonly geometry: PyramidGeometry, readonly channels: number, readonly classes: number,
    store: ParamStore, rng: Rng) {
    const { sizes } = geometry;
    const n = sizes.length;
    this.fuse = addDense(store, 'uper.fuse', rng, n * channels, channels);
    // small classifier init keeps the first sigmoids near 0.5 (mmseg: normal std 0.01 on conv_seg)
    this.cls = addDense(store, 'uper.cls', rng, channels, classes, 0.01);
    this.topDown = sizes.slice(0, -1).map(([h, w], i) => new Resampler(sizes[i + 1][0], sizes[i + 1][1], h, w, 'bilinear'));
    this.toFinest = sizes.map(([h, w]) => new Resampler(h, w, sizes[0][0], sizes[0][1], 'bilinear'));
  }

  /** Output pixels per sample (finest level H·W). */
  get outSize(): [number, number] {
    return this.geometry.sizes[0];
  }

  /** levels [B, H_i, W_i, C] → logits [B·P0, K]. */
  forward(levels: tf.Tensor4D[]): { logits: tf.Tensor2D; cache: UperCache } {
    const n = levels.length;
    const batch = levels[0].shape[0];
    const p: tf.Tensor4D[] = new Array(n);
    p[n - 1] = levels[n - 1];
    for (let i = n - 2; i >= 0; i--) p[i] = tf.add(levels[i], this.topDown[i].forward(p[i + 1]));
    const c = this.channels;
    const [h0, w0] = this.outSize;
    const wBlocks = n === 1 ? [this.fuse.w] : tf.split(this.fuse.w, n, 0) as tf.Tensor2D[];
    const p2 = p.map((pi) => tf.reshape(pi, [-1, c]) as tf.Tensor2D);
    let sum: tf.Tensor4D | undefined;
    p2.forEach((pi, i) => {
      const [hi, wi] = this.geometry.sizes[i];
      const up = this.toFinest[i].forward(tf.reshape(tf.matMul(pi, wBlocks[i]), [batch, hi, wi, c]) as tf.Tensor4D);
      sum = sum ? tf.add(sum, up) as tf.Tensor4D : up;
    });
    const pre = tf.add(tf.reshape(sum!, [batch * h0 * w0, c]), this.fuse.b) as tf.Tensor2D;
    const fused = tf.relu(pre) as tf.Tensor2D;
    const logits = denseForward(fused, this.cls);
    return { logits, cache: { batch, p: p2, wBlocks, fused } };
  }

  /** dLogits [B·P0, K] → dLevels [B, H_i, W_i, C]; parameter grads (`uper.fuse|cls.w|b`) added to `grads`. */
  backward(cache: UperCache, dLogits: tf.Tensor2D, grads: Grads): tf.Tensor4D[] {
    const n = this.geometry.sizes.length;
    const [h0, w0] = this.outSize;
    const c = this.channels;
    const gc = denseBackward(cache.fused, this.cls, dLogits, true);
    grads.set('uper.cls.w', gc.dw);
    grads.set('uper.cls.b', gc.db);
    const dFusedPre = reluBackward(cache.fused, gc.dx!) as tf.Tensor2D;
    grads.set('uper.fuse.b', tf.sum(dFusedPre, 0));
    const dPre4 = tf.reshape(dFusedPre, [cache.batch, h0, w0, c]) as tf.Tensor4D;
    const dW: tf.Tensor2D[] = [];
    const dp = cache.p.map((pi, i) => {
      const [hi, wi] = this.geometry.sizes[i];
      // q_i = p_i·W_i at level size, upsampled: dq_i = up_backward(dPre); dW_i = p_iᵀ·dq_i; dp_i = dq_i·W_iᵀ
      const dq = tf.reshape(this.toFinest[i].backward(dPre4), [-1, c]) as tf.Tensor2D;
      dW.push(tf.matMul(tf.transpose(pi), dq));
      return tf.reshape(tf.matMul(dq, tf.transpose(cache.wBlocks[i])), [cache.batch, hi, wi, c]) as tf.Tensor4D;
    });
    grads.set('uper.fuse.w', n === 1 ? dW[0] : tf.concat(dW, 0));
    // top-down: p_i = l_i + up(p_{i+1}), so dl_i = dp_i and dp_{i+1} += up_backward(dp_i), finest first
    const dLevels: tf.Tensor4D[] = new Array(n);
    for (let i = 0; i < n; i++) {
      dLevels[i] = dp[i];
      if (i + 1 < n) dp[i + 1] = tf.add(dp[i + 1], this.topDown[i].backward(dp[i]));
    }
    return dLevels;
  }

  dispose(): void {
    for (const r of [...this.topDown, ...this.toFinest]) r.dispose();
  }
}
