/**
 * Pre-norm transformer block with LayerScale (dinov2 layers/block.py, `Block.forward`):
 *   x = x + drop_path(ls1(attn(norm1(x))));  x = x + drop_path(ls2(mlp(norm2(x))))
 */
import * as tf from '@tensorflow/tfjs-core';
import { attention } from './attention';
import { residual } from './layer-scale';
import { mlp } from './mlp';
import { layerNorm } from './ops/layer-norm';
import { param, ParamMap } from './params';

export interface BlockOptions {
  batch: number;
  tokens: number;
  heads: number;
  eps: number;
  /** Drop-path multipliers [B·N, 1] for the two residual branches (training only). */
  drop?: [tf.Tensor2D | null, tf.Tensor2D | null];
  keepAttention?: boolean;
}

export function block(x: tf.Tensor2D, params: ParamMap, index: number, o: BlockOptions): { x: tf.Tensor2D; probs?: tf.Tensor4D } {
  const k = `blocks.${index}`;
  const g = <T extends tf.Tensor>(name: string) => param<T>(params, `${k}.${name}`);
  const ls = (name: string) => params.get(`${k}.${name}.gamma`) as tf.Tensor1D | undefined;
  return tf.tidy(() => {
    const h1 = layerNorm(x, g('norm1.weight'), g('norm1.bias'), o.eps);
    const a = attention(h1, { wqkv: g('attn.qkv.weight'), bqkv: g('attn.qkv.bias'), wproj: g('attn.proj.weight'), bproj: g('attn.proj.bias') },
      o.batch, o.tokens, o.heads, o.keepAttention);
    const x1 = residual(x, a.out, ls('ls1'), o.drop?.[0] ?? null);
    const h2 = layerNorm(x1, g('norm2.weight'), g('norm2.bias'), o.eps);
    const m = mlp(h2, { w1: g('mlp.fc1.weight'), b1: g('mlp.fc1.bias'), w2: g('mlp.fc2.weight'), b2: g('mlp.fc2.bias') });
    const x2 = residual(x1, m, ls('ls2'), o.drop?.[1] ?? null);
    return a.probs ? { x: x2, probs: a.probs } : { x: x2 };
  });
}
