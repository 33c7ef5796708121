/**
 * Regression head for Cobb angles (paper Fig. 3e / S3, AASCE): multi-head attentive pooling over the patch tokens and a
 * linear layer to J outputs (PT, MT, TL), predicting in standardised units: ŷ = μ + σ ⊙ (z·W + b), with μ, σ the
 * training targets' per-angle mean and standard deviation (fixed), so the first predictions are the mean angles.
 *
 * @example
 * const head = new CobbHead({ dim: 384, tokens: 196, outputs: 3, heads: 4 }, stats, 0);
 * const { pred, attention } = head.forward(tokens);   // [B, 3] degrees, [B, 4, 196]
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { createRng } from '../../engine/rng';
import { denseBackward, denseForward, DenseParams } from '../head/dense';
import { addDense, disposeParams, Grads, ParamStore, paramCount } from '../head/params';
import { AttentivePool, AttentivePoolCache } from './attentive-pool';

export const CobbHeadConfigSchema = z.object({
  dim: z.number().int().min(1),
  /** Patch tokens per sample T. */
  tokens: z.number().int().min(1),
  outputs: z.number().int().min(1).default(3),
  heads: z.number().int().min(1).default(4),
  /** Value width per head. */
  valueDim: z.number().int().min(1).default(32),
}).strict();
export type CobbHeadConfigInput = z.input<typeof CobbHeadConfigSchema>;
export type CobbHeadConfig = z.output<typeof CobbHeadConfigSchema>;

/** Per-output standardisation of the targets (from the training split). */
export interface TargetScale { mean: number[]; std: number[] }

export interface CobbForward {
  /** [B, J] predictions in target units. */
  pred: tf.Tensor2D;
  /** [B, H, T] attention of each pooling head. */
  attention: tf.Tensor3D;
  cache: { pool: AttentivePoolCache; pooled: tf.Tensor2D };
}

export class CobbHead {
  readonly config: CobbHeadConfig;
  readonly params: ParamStore = new Map();
  readonly pool: AttentivePool;
  readonly out: DenseParams;
  private readonly mean: tf.Tensor1D;
  private readonly std: tf.Tensor1D;

  constructor(config: CobbHeadConfigInput, readonly scale: TargetScale, readonly seed: number) {
    const parsed = CobbHeadConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`invalid regression head config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.config = parsed.data;
    const { dim, tokens, outputs, heads, valueDim } = this.config;
    if (scale.mean.length !== outputs || scale.std.length !== outputs) throw new Error(`CobbHead: scale has ${scale.mean.length} means / ${scale.std.length} stds for ${outputs} outputs`);
    const rng = createRng(seed).fork('cobb-head-init');
    this.pool = new AttentivePool(dim, tokens, heads, valueDim, this.params, rng);
    this.out = addDense(this.params, 'out', rng, this.pool.outDim, outputs, 0.01);
    this.mean = tf.tensor1d(scale.mean);
    this.std = tf.tensor1d(scale.std.map((s) => (s > 0 ? s : 1)));
  }

  get numParams(): number {
    return paramCount(this.params);
  }

  /** x [B·T, D] → predictions and attention. Call inside tf.tidy. */
  forward(x: tf.Tensor2D): CobbForward {
    const p = this.pool.forward(x);
    const z = denseForward(p.pooled, this.out);
    const pred = tf.add(tf.mul(z, this.std), this.mean) as tf.Tensor2D;
    return { pred, attention: p.attention, cache: { pool: p.cache, pooled: p.pooled } };
  }

  /** ∂loss/∂pred [B, J] → gradients of every parameter. */
  backward(cache: CobbForward['cache'], dPred: tf.Tensor2D): Grads {
    const grads: Grads = new Map();
    const dz = tf.mul(dPred, this.std) as tf.Tensor2D;
    const g = denseBackward(cache.pooled, this.out, dz, true);
    grads.set('out.w', g.dw);
    grads.set('out.b', g.db);
    this.pool.backward(cache.pool, g.dx!, grads);
    return grads;
  }

  dispose(): void {
    tf.dispose([this.mean, this.std]);
    disposeParams(this.params);
  }
}
