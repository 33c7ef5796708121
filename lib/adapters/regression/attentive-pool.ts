/**
 * Multi-head attentive pooling over patch tokens (the attentive probe of V-JEPA / "attentive classifier" of the
 * RayDINO paper's adapters; Lee et al. 2019 "Set Transformer" PMA with one learned seed per head): head h scores every
 * token with a learned query, s_bth = x_bt·q_h, takes a softmax over the T tokens, a_bh = softmax_t(s_bth), and pools
 * its own value projection, z_bh = Σ_t a_bht·(x_bt·W_v,h + b_v,h). The H maps a_bh [B, H, T] are the head's attention,
 * one per head, for explainability figures. Queries start at 0, so training starts from mean pooling.
 * Backward is explicit (2-D matmuls; tokens are frozen, so no input gradient).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../engine/rng';
import { denseForward, DenseParams } from '../head/dense';
import { addDense, addParam, Grads, ParamStore } from '../head/params';

export interface AttentivePoolCache {
  x: tf.Tensor2D;
  /** Attention in [B, T, H] layout (softmax over axis 1). */
  attnBTH: tf.Tensor3D;
  /** Values [B, T, H, dv]. */
  values: tf.Tensor4D;
  batch: number;
}

export class AttentivePool {
  readonly query: tf.Variable;
  readonly value: DenseParams;

  constructor(readonly dim: number, readonly tokens: number, readonly heads: number, readonly valueDim: number,
    store: ParamStore, rng: Rng) {
    this.query = addParam(store, 'pool.query', tf.zeros([dim, heads]));
    this.value = addDense(store, 'pool.value', rng, dim, heads * valueDim, Math.sqrt(1 / dim));
  }

  get outDim(): number {
    return this.heads * this.valueDim;
  }

  /** x [B·T, D] → pooled [B, H·dv] and attention [B, H, T]. */
  forward(x: tf.Tensor2D): { pooled: tf.Tensor2D; attention: tf.Tensor3D; cache: AttentivePoolCache } {
    const { tokens: t, heads: h, valueDim: dv } = this;
    if (x.shape[1] !== this.dim || x.shape[0] % t !== 0) {
      throw new Error(`AttentivePool: tokens ${x.shape.join('×')}, expected [B·${t}, ${this.dim}]`);
    }
    const b = x.shape[0] / t;
    const scores = tf.reshape(tf.matMul(x, this.query), [b, t, h]);
    const attention = tf.softmax(tf.transpose(scores, [0, 2, 1])) as tf.Tensor3D;   // [B, H, T]
    const attnBTH = tf.transpose(attention, [0, 2, 1]) as tf.Tensor3D;               // [B, T, H]
    const values = tf.reshape(denseForward(x, this.value), [b, t, h, dv]) as tf.Tensor4D;
    const pooled = tf.reshape(tf.sum(tf.mul(tf.reshape(attnBTH, [b, t, h, 1]), values), 1), [b, h * dv]) as tf.Tensor2D;
    return { pooled, attention, cache: { x, attnBTH, values, batch: b } };
  }

  /** dPooled [B, H·dv] → parameter grads (`pool.query`, `pool.value.w|b`) added to `grads`. */
  backward(cache: AttentivePoolCache, dPooled: tf.Tensor2D, grads: Grads): void {
    const { tokens: t, heads: h, valueDim: dv } = this;
    const { x, attnBTH, values, batch: b } = cache;
    const dp = tf.reshape(dPooled, [b, 1, h, dv]);
    const dValues = tf.reshape(tf.mul(tf.reshape(attnBTH, [b, t, h, 1]), dp), [b * t, h * dv]) as tf.Tensor2D;
    const dAttn = tf.sum(tf.mul(values, dp), 3);                                          // [B, T, H]
    // softmax over T: ds = a ⊙ (da − Σ_t a·da)
    const dScores = tf.mul(attnBTH, tf.sub(dAttn, tf.sum(tf.mul(attnBTH, dAttn), 1, true)));
    const xT = tf.transpose(x);
    grads.set('pool.query', tf.matMul(xT, tf.reshape(dScores, [b * t, h]) as tf.Tensor2D));
    grads.set('pool.value.w', tf.matMul(xT, dValues));
    grads.set('pool.value.b', tf.sum(dValues, 0));
  }
}

