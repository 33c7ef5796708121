/**
 * Multi-head self-attention (dinov2 layers/attention.py): qkv = x·Wqkv + b; softmax(q·kᵀ/√d_h)·v; proj.
 * Tokens travel as 2-D rows [B·N, D]; heads are split with rank-4 transposes only, and both products are batched
 * matmuls with explicit-transpose gradients (ops/bmm.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { bmm } from './ops/bmm';
import { linear } from './ops/linear';

export interface AttentionParams { wqkv: tf.Tensor2D; bqkv: tf.Tensor1D; wproj: tf.Tensor2D; bproj: tf.Tensor1D }

export interface AttentionResult {
  out: tf.Tensor2D;       // [B·N, D]
  /** Attention probabilities [B, H, N, N] when requested. */
  probs?: tf.Tensor4D;
}

export function attention(x: tf.Tensor2D, p: AttentionParams, batch: number, tokens: number, heads: number, keepProbs = false): AttentionResult {
  const D = x.shape[1];
  const hd = D / heads;
  const B = batch, N = tokens, H = heads;
  return tf.tidy(() => {
    const qkv = linear(x, p.wqkv, p.bqkv);                                             // [B·N, 3D]
    const t = tf.transpose(tf.reshape(qkv, [B, N, 3 * H, hd]), [0, 2, 1, 3]);           // [B, 3H, N, hd]
    const part = (i: number) => tf.reshape(tf.slice(t, [0, i * H, 0, 0], [B, H, N, hd]), [B * H, N, hd]) as tf.Tensor3D;
    const q = tf.mul(part(0), 1 / Math.sqrt(hd)) as tf.Tensor3D;
    const kT = tf.transpose(part(1), [0, 2, 1]) as tf.Tensor3D;                                        // [B·H, hd, N]
    const v = part(2);
    const probs = tf.softmax(bmm(q, kT)) as tf.Tensor3D;                                               // [B·H, N, N]
    const o = bmm(probs, v);                                                            // [B·H, N, hd]
    const merged = tf.reshape(tf.transpose(tf.reshape(o, [B, H, N, hd]), [0, 2, 1, 3]), [B * N, D]) as tf.Tensor2D;
    const out = linear(merged, p.wproj, p.bproj);
    return keepProbs ? { out, probs: tf.reshape(probs, [B, H, N, N]) as tf.Tensor4D } : { out };
  });
}
