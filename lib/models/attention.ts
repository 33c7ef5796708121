/**
 * Multi-head self-attention (dinov2 layers/attention.py): qkv = x·Wqkv + b; softmax(q·kᵀ/√d_h)·v; proj.
 * Tokens travel as 2-D rows [B·N, D]. On the wasm backend the core is one fused kernel each way; elsewhere (and when
 * the probabilities are requested) heads are split with rank-4 transposes only, and both products are batched matmuls
 * with explicit-transpose gradients (ops/bmm.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, runFused } from '../engine/wasm-kernels';
import { bmm } from './ops/bmm';
import { linear } from './ops/linear';

/** customGrad's callback type (its variadic signature does not accept named tensor parameters). */
type CG = Parameters<typeof tf.customGrad>[0];

/**
 * softmax(q·kᵀ/√d_h)·v straight from the qkv rows [B·N, 3D] to the merged heads [B·N, D], as one wasm kernel each way
 * (lib/engine/wasm-kernels): no head transposes, slices or separate softmax ops; the probabilities are kept for the
 * backward kernel.
 */
function fusedAttentionCore(qkv: tf.Tensor2D, batch: number, tokens: number, heads: number): tf.Tensor2D {
  const attrs = { batch, tokens, heads };
  const op = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    const [out, probs] = runFused('RaydinoAttention', { qkv: t }, attrs);
    save([t, probs]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('RaydinoAttentionGrad', { dout: dy, qkv: saved[0], probs: saved[1] }, attrs)[0],
    };
  }) as CG);
  return op(qkv) as tf.Tensor2D;
}

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
  if (!keepProbs && fusedKernelsActive() && x.dtype === 'float32') {
    return tf.tidy(() => ({ out: linear(fusedAttentionCore(linear(x, p.wqkv, p.bqkv), B, N, H), p.wproj, p.bproj) }));
  }
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
