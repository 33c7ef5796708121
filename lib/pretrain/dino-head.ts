/**
 * DINO projection head (Caron et al. 2021 §3.1 / dinov2 `layers/dino_head.py`): optionally a BatchNorm without affine on
 * its input (`inputNorm: 'batch'`, our addition for near-identical images), a 3-layer MLP with GELU
 * (in → hidden → hidden → bottleneck), L2 normalisation of the bottleneck, then a weight-normalised prototype layer
 * without bias (Salimans & Kingma 2016) whose gain is fixed to 1 — i.e. each prototype column of `last` is divided by
 * its norm, so logits are cosine similarities to K prototypes.
 * Weights are stored [in, out] (tfjs layout); names follow dinov2's state dict (`mlp.0.weight`, …, `last_layer.weight_v`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../engine/rng';
import { gelu } from '../models/ops/gelu';
import { linear } from '../models/ops/linear';
import { ownedVariable } from '../engine/gradients';

export interface DinoHeadConfig {
  inDim: number;
  hiddenDim: number;
  bottleneckDim: number;
  outDim: number;
  /** 'batch': standardise each input feature over the rows of the call (BatchNorm1d(affine=False), train mode). */
  inputNorm?: 'none' | 'batch';
}

/** BatchNorm1d without affine in training mode: (x − mean) / √(biased var + eps) per column over the rows. */
export function batchStandardise(x: tf.Tensor2D, eps = 1e-5): tf.Tensor2D {
  return tf.tidy(() => {
    const c = tf.sub(x, tf.mean(x, 0, true));
    return tf.mul(c, tf.rsqrt(tf.add(tf.mean(tf.square(c), 0, true), eps))) as tf.Tensor2D;
  });
}

/** Truncated normal in [−2σ, 2σ] (timm's trunc_normal_ with std 0.02, as dinov2's head init), from our seeded RNG. */
export function truncNormal(shape: number[], std: number, rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    v[i] = z * std;
  }
  return tf.tensor(v, shape);
}

export class DinoHead {
  readonly params: Map<string, tf.Variable>;
  /** The prototype layer has no bias; `linear` takes one, so a constant zero vector. */
  private readonly zeroBias: tf.Tensor1D;

  constructor(readonly config: DinoHeadConfig, rng: Rng, readonly prefix = 'dino_head') {
    const { inDim, hiddenDim, bottleneckDim, outDim } = config;
    const dims: [number, number][] = [[inDim, hiddenDim], [hiddenDim, hiddenDim], [hiddenDim, bottleneckDim]];
    this.params = new Map();
    dims.forEach(([i, o], l) => {
      this.params.set(`${prefix}.mlp.${2 * l}.weight`, ownedVariable(truncNormal([i, o], 0.02, rng)));
      this.params.set(`${prefix}.mlp.${2 * l}.bias`, ownedVariable(tf.zeros([o])));
    });
    // torch's default Linear init for the prototype layer: U(−1/√in, 1/√in).
    const bound = 1 / Math.sqrt(bottleneckDim);
    const v = new Float32Array(bottleneckDim * outDim);
    for (let i = 0; i < v.length; i++) v[i] = rng.range(-bound, bound);
    this.params.set(`${prefix}.last_layer.weight_v`, ownedVariable(tf.tensor2d(v, [bottleneckDim, outDim])));
    this.zeroBias = tf.zeros([outDim]);
  }

  /** Name of the prototype layer's weight (frozen during the first epoch). */
  get lastLayerName(): string {
    return `${this.prefix}.last_layer.weight_v`;
  }

  private p(name: string): tf.Tensor {
    const t = this.params.get(`${this.prefix}.${name}`);
    if (!t) throw new Error(`DinoHead: missing parameter ${name}`);
    return t;
  }

  /** x [N, inDim] → [N, outDim] prototype logits. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.config.inputNorm === 'batch' ? batchStandardise(x) : x;
      for (let l = 0; l < 3; l++) {
        h = linear(h, this.p(`mlp.${2 * l}.weight`) as tf.Tensor2D, this.p(`mlp.${2 * l}.bias`) as tf.Tensor1D);
        if (l < 2) h = gelu(h);
      }
      // F.normalize(x, dim=-1, eps=1e-12)
      const hn = tf.div(h, tf.maximum(tf.sqrt(tf.sum(tf.square(h), 1, true)), 1e-12)) as tf.Tensor2D;
      const v = this.p('last_layer.weight_v') as tf.Tensor2D;
      const w = tf.div(v, tf.sqrt(tf.sum(tf.square(v), 0, true))) as tf.Tensor2D; // weight norm, g = 1 (per prototype)
      return linear(hn, w, this.zeroBias);
    });
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.zeroBias.dispose();
  }
}
