/**
 * AdamW (Loshchilov & Hutter 2019) with torch.optim.AdamW's exact update order: decoupled decay p ← p·(1 − lr·wd),
 * moments m, v, bias-corrected step lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε) — the one tfjs optimiser of the library
 * (pretraining, the supervised baseline, segmentation and regression heads). Per-parameter lr and weight decay come
 * from callbacks, so each caller states its own parameter groups (dinov2's in lib/pretrain/param-groups.ts, the heads' in lib/adapters/head/params.ts).
 * The ORT adapter grid has its own fused Float32Array loop (lib/adapters/grid/adam-step.ts): it never holds tfjs tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownedVariable } from './gradients';
import { fusedKernelsActive, runFused, sumOfSquares } from './wasm-kernels';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamWState {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  step = 0;
  private m = new Map<string, tf.Variable>();
  private v = new Map<string, tf.Variable>();

  constructor(readonly params: Map<string, tf.Variable>, opts: AdamWOptions = {}) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    for (const [name, p] of params) {
      this.m.set(name, ownedVariable(tf.zerosLike(p), false));
      this.v.set(name, ownedVariable(tf.zerosLike(p), false));
    }
  }

  /**
   * One update. `grads` by parameter name (a missing gradient = parameter untouched, as torch with grad None);
   * `lr(name)` and `wd(name)` give each parameter's learning rate and weight decay for this step.
   */
  apply(grads: Map<string, tf.Tensor> | Record<string, tf.Tensor>, lr: (name: string) => number, wd: (name: string) => number): void {
    const g = grads instanceof Map ? grads : new Map(Object.entries(grads));
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2 = 1 - this.beta2 ** this.step;
    // On tfjs-wasm one fused kernel per parameter (lib/engine/wasm-kernels; same float32 operations, same bits)
    const fused = fusedKernelsActive();
    for (const [name, p] of this.params) {
      const grad = g.get(name);
      if (!grad) continue;
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      const a = lr(name);
      const decay = wd(name);
      const [pn, mn, vn] = fused && grad.dtype === 'float32' ? runFused('RaydinoAdamW', { p, m, v, g: grad }, {
        b1: this.beta1, c1: 1 - this.beta1, b2: this.beta2, c2: 1 - this.beta2, sbc2: Math.sqrt(bc2), eps: this.eps, decay: 1 - a * decay, step: a / bc1,
      }) : tf.tidy(() => {
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(grad, 1 - this.beta1));
        const vNew = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(vNew), Math.sqrt(bc2)), this.eps);
        const pNew = tf.sub(tf.mul(p, 1 - a * decay), tf.mul(tf.div(mNew, denom), a / bc1));
        return [pNew, mNew, vNew];
      });
      p.assign(pn); m.assign(mn); v.assign(vn);
      pn.dispose(); mn.dispose(); vn.dispose();
    }
  }

  /** Moments and step as plain arrays (exact resume). */
  state(): AdamWState {
    const read = (src: Map<string, tf.Variable>) => new Map([...src].map(([k, t]) => [k, t.dataSync() as Float32Array]));
    return { step: this.step, m: read(this.m), v: read(this.v) };
  }

  restore(s: AdamWState): void {
    this.step = s.step;
    for (const [src, dst] of [[s.m, this.m], [s.v, this.v]] as const) {
      for (const [name, t] of dst) {
        const vals = src.get(name);
        if (!vals || vals.length !== t.size) throw new Error(`AdamW.restore: missing or mis-sized moment for ${name}`);
        const x = tf.tensor(vals, t.shape);
        t.assign(x);
        x.dispose();
      }
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/**
 * Scales gradients so their joint L2 norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_: factor
 * maxNorm / (norm + 1e-6), applied only when < 1). Returns new tensors and the norm before clipping.
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): { grads: Map<string, tf.Tensor>; norm: number } {
  const gs = [...grads.values()];
  let norm: number;
  if (fusedKernelsActive() && gs.every((g) => g.dtype === 'float32')) norm = Math.sqrt(sumOfSquares(gs)); // one pass, no tfjs ops
  else {
    const normT = tf.tidy(() => tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g))))));
    norm = normT.dataSync()[0];
    normT.dispose();
  }
  const coef = maxNorm / (norm + 1e-6);
  const out = new Map<string, tf.Tensor>();
  for (const [k, g] of grads) out.set(k, coef < 1 ? tf.mul(g, coef) : tf.clone(g));
  return { grads: out, norm };
}
