/**
 * AdamW (Loshchilov & Hutter 2019, Algorithm 2): Adam moments with bias correction and weight decay decoupled from the
 * gradient, w ← w − lr·(m̂/(√v̂ + ε) + λ·w). Decay applies to matrices only (names ending `.w` or listed in
 * `decayNames`), not to biases, as in timm / mmseg's `paramwise_cfg` defaults.
 */
import * as tf from '@tensorflow/tfjs-core';
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
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly decay: Set<string>;

  constructor(private readonly params: ParamStore, opts: AdamWOptions = {}) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0.01;
    this.decay = new Set([...params.keys()].filter((k) => k.endsWith('.w') || opts.decayNames?.includes(k)));
    for (const [k, p] of params) {
      this.m.set(k, zeroVariable(p));
      this.v.set(k, zeroVariable(p));
    }
  }

  /** One update with learning rate `lr`; every parameter must have a gradient. */
  step(grads: Grads, lr: number): void {
    this.t += 1;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    tf.tidy(() => {
      for (const [k, p] of this.params) {
        const g = grads.get(k);
        if (!g) throw new Error(`AdamW: no gradient for parameter ${k}`);
        if (g.shape.join() !== p.shape.join()) throw new Error(`AdamW: gradient ${k} ${g.shape} ≠ param ${p.shape}`);
        const m = this.m.get(k)!;
        const v = this.v.get(k)!;
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(m1);
        v.assign(v1);
        let upd = tf.div(tf.div(m1, bc1), tf.add(tf.sqrt(tf.div(v1, bc2)), this.eps));
        if (this.weightDecay > 0 && this.decay.has(k)) upd = tf.add(upd, tf.mul(p, this.weightDecay));
        p.assign(tf.sub(p, tf.mul(upd, lr)));
      }
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  const z = tf.zerosLike(like);
  const v = tf.variable(z, false);
  z.dispose(); // the variable keeps its own reference
  return v;
}
