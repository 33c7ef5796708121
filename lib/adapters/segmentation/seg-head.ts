/**
 * The segmentation adapter on frozen tokens: FeaturePyramid (lateral 1×1 + resample per block) → UperHead (top-down,
 * fuse, classify at the finest level) + FcnHead (auxiliary, on the ×1 level). Forward and backward are explicit, so a
 * train step is a handful of 2-D matmuls and rank-4 transposes, no tfjs gradient registry.
 *
 * @example
 * const head = new SegHead({ gridH: 14, gridW: 14, dim: 384, classes: 5 }, 0);
 * const { logits } = head.forward(tokens);   // tokens: 4 × [B·196, 384] → logits [B, 56·56, 5]
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { createRng } from '../../engine/rng';
import { FcnCache, FcnHead } from './fcn-head';
import { FeaturePyramid, PyramidCache, pyramidGeometry } from './feature-pyramid';
import { disposeParams, Grads, ParamStore, paramCount } from '../head/params';
import { UperCache, UperHead } from './uper-head';

export const SegHeadConfigSchema = z.object({
  gridH: z.number().int().min(1),
  gridW: z.number().int().min(1),
  /** Token width D of the encoder. */
  dim: z.number().int().min(1),
  classes: z.number().int().min(1),
  /** Pyramid strides relative to the grid, finest first; one per input block. */
  scales: z.array(z.number().positive()).min(1).default([4, 2, 1, 0.5]),
  /** Channels C of the pyramid and fusion. */
  channels: z.number().int().min(1).default(64),
  /** Pyramid level feeding the FCN auxiliary head (default: the ×1 level); -1 disables it. */
  auxLevel: z.number().int().min(-1).optional(),
}).strict();
export type SegHeadConfigInput = z.input<typeof SegHeadConfigSchema>;
export type SegHeadConfig = z.output<typeof SegHeadConfigSchema> & { auxLevel: number };

export function resolveSegHeadConfig(input: SegHeadConfigInput): SegHeadConfig {
  const parsed = SegHeadConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`invalid segmentation head config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const c = parsed.data;
  const auxLevel = c.auxLevel ?? c.scales.indexOf(1);
  if (auxLevel >= c.scales.length) throw new Error(`invalid segmentation head config: auxLevel ${auxLevel} ≥ ${c.scales.length} levels`);
  return { ...c, auxLevel };
}

export interface SegHeadCache { pyramid: PyramidCache; uper: UperCache; fcn?: FcnCache }

export interface SegForward {
  /** [B, P0, K] logits at the finest pyramid level (P0 = outH·outW). */
  logits: tf.Tensor3D;
  /** [B, T, K] auxiliary logits at grid resolution (training only). */
  auxLogits?: tf.Tensor3D;
  cache: SegHeadCache;
}

export class SegHead {
  readonly config: SegHeadConfig;
  readonly params: ParamStore = new Map();
  readonly pyramid: FeaturePyramid;
  readonly uper: UperHead;
  readonly fcn?: FcnHead;

  constructor(config: SegHeadConfigInput, readonly seed: number) {
    this.config = resolveSegHeadConfig(config);
    const { gridH, gridW, dim, classes, scales, channels, auxLevel } = this.config;
    const rng = createRng(seed).fork('seg-head-init');
    const geometry = pyramidGeometry(gridH, gridW, scales);
    this.pyramid = new FeaturePyramid(geometry, dim, channels, this.params, rng);
    this.uper = new UperHead(geometry, channels, classes, this.params, rng);
    if (auxLevel >= 0) this.fcn = new FcnHead(channels, classes, this.params, rng);
  }

  /** Output map size [outH, outW] (the finest pyramid level). */
  get outSize(): [number, number] {
    return this.uper.outSize;
  }

  get numParams(): number {
    return paramCount(this.params);
  }

  /** tokens: one [B·T, D] per pyramid level (blocks, shallow to deep). Call inside tf.tidy. */
  forward(tokens: tf.Tensor2D[], withAux = true): SegForward {
    const { pyramid, uper, fcn, config } = this;
    const p = pyramid.forward(tokens);
    const u = uper.forward(p.levels);
    const b = p.cache.batch;
    const [oh, ow] = this.outSize;
    const logits = tf.reshape(u.logits, [b, oh * ow, config.classes]) as tf.Tensor3D;
    if (!withAux || !fcn) return { logits, cache: { pyramid: p.cache, uper: u.cache } };
    const f = fcn.forward(p.cache.laterals[config.auxLevel]);
    const auxLogits = tf.reshape(f.logits, [b, config.gridH * config.gridW, config.classes]) as tf.Tensor3D;
    return { logits, auxLogits, cache: { pyramid: p.cache, uper: u.cache, fcn: f.cache } };
  }

  /** Gradients of every parameter given ∂loss/∂logits [B, P0, K] and (optionally) ∂loss/∂auxLogits [B, T, K]. */
  backward(cache: SegHeadCache, dLogits: tf.Tensor3D, dAux?: tf.Tensor3D): Grads {
    const grads: Grads = new Map();
    const { classes, auxLevel } = this.config;
    const dLevels = this.uper.backward(cache.uper, tf.reshape(dLogits, [-1, classes]) as tf.Tensor2D, grads);
    const extra: (tf.Tensor2D | undefined)[] = dLevels.map(() => undefined);
    if (this.fcn) {
      if (dAux && cache.fcn) {
        extra[auxLevel] = this.fcn.backward(cache.fcn, tf.reshape(dAux, [-1, classes]) as tf.Tensor2D, grads);
      } else {
        // aux head unused this step: zero gradients keep the optimizer's parameter set fixed
        for (const k of ['fcn.conv.w', 'fcn.conv.b', 'fcn.cls.w', 'fcn.cls.b']) grads.set(k, tf.zerosLike(this.params.get(k)!));
      }
    }
    this.pyramid.backward(cache.pyramid, dLevels, extra, grads);
    return grads;
  }

  /** Logits [B, P0, K] without the auxiliary head (inference). */
  predict(tokens: tf.Tensor2D[]): tf.Tensor3D {
    return tf.tidy(() => this.forward(tokens, false).logits);
  }

  dispose(): void {
    this.pyramid.dispose();
    this.uper.dispose();
    disposeParams(this.params);
  }
}
