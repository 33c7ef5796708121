/**
 * AdamW for the segmentation and regression heads (Loshchilov & Hutter 2019): lib/engine/adamw's optimiser (torch's
 * update order) with one learning rate per step and decay on matrices only (names ending `.w` or listed in
 * `decayNames`), not on biases, as in timm / mmseg's `paramwise_cfg` defaults. Every parameter must have a gradient.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { AdamW as EngineAdamW } from '../../engine/adamw';
import type { Grads, ParamStore } from './params';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Extra parameter names that receive weight decay (besides `*.w`). */
  decayNames?: string[];
}

export class AdamW {
  private readonly inner: EngineAdamW;
  private readonly weightDecay: number;
  private readonly decay: Set<string>;

  constructor(private readonly params: ParamStore, opts: AdamWOptions = {}) {
    this.inner = new EngineAdamW(params, { beta1: opts.beta1, beta2: opts.beta2, eps: opts.eps });
    this.weightDecay = opts.weightDecay ?? 0.01;
    this.decay = new Set([...params.keys()].filter((k) => k.endsWith('.w') || opts.decayNames?.includes(k)));
  }

  /** One update with learning rate `lr`; every parameter must have a gradient of its shape. */
  step(grads: Grads, lr: number): void {
    for (const [k, p] of this.params) {
      const g: tf.Tensor | undefined = grads.get(k);
      if (!g) throw new Error(`AdamW: no gradient for parameter ${k}`);
      if (g.shape.join() !== p.shape.join()) throw new Error(`AdamW: gradient ${k} ${g.shape} ≠ param ${p.shape}`);
    }
    this.inner.apply(grads, () => lr, (k) => (this.decay.has(k) ? this.weightDecay : 0));
  }

  dispose(): void {
    this.inner.dispose();
  }
}
