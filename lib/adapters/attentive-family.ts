/**
 * Heads over attentive pooling: each head has one learned query per class attending over the patch tokens (single-head
 * softmax over T, scores q_c·x_t/√D), as in the paper's attentive probe; the attention weights [B, C, T] are the
 * explainability maps. With per-class values v_t,c the logit is Σ_t a_{c,t}·v_{t,c} + b_c:
 *  - linear:  v_{t,c} = w_c·x_t — identical to a linear layer on the attention-pooled vector Σ_t a_{c,t} x_t;
 *  - MLP:     v_{t,c} = w2_c·relu(W1ᵀx_t + b1) — the 2-layer head is applied to every token before pooling, which keeps
 *    every product a 2-D matmul over [B·T, D] (pooling first would need a batched [B, C, T]×[B, T, h] product per head).
 * Queries start at zero, so training starts from average pooling.
 */
import { addRowVector, Cache, colSum, FamilyBatch, WideFamily } from './wide-family';
import type { GridConfig } from './grid-config';
import type { LinAlg } from './linalg';
import type { Rng } from '../engine/rng';

export class AttentiveFamily extends WideFamily {
  readonly scale: number;

  constructor(configs: GridConfig[], readonly dim: number, classes: number, readonly layers: 1 | 2, hidden: number, rngs: Rng[]) {
    super(configs, classes, hidden);
    const g = this.g;
    const q = g * classes;
    this.scale = 1 / Math.sqrt(dim);
    const b0 = 1 / Math.sqrt(dim);
    this.addParam('wq', { shape: [dim, q], headCols: classes, init: 'zeros' }, rngs);
    if (layers === 1) {
      this.addParam('wv', { shape: [dim, q], headCols: classes, init: { uniform: b0 } }, rngs);
    } else {
      this.addParam('w1', { shape: [dim, g * hidden], headCols: hidden, init: { uniform: b0 } }, rngs);
      this.addParam('b1', { shape: [1, g * hidden], headCols: hidden, init: { uniform: b0 } }, rngs);
      this.addParam('w2', { shape: [g * hidden, classes], headRows: hidden, init: { uniform: 1 / Math.sqrt(hidden) } }, rngs);
    }
    this.addParam('b', { shape: [1, q], headCols: classes, init: { uniform: layers === 1 ? b0 : 1 / Math.sqrt(hidden) } }, rngs);
  }

  private input(batch: FamilyBatch): { x: Float32Array; b: number; t: number } {
    if (!batch.tokens || !batch.t || batch.d !== this.dim) throw new Error('AttentiveFamily: batch has no patch tokens (extract features with patches)');
    return { x: batch.tokens, b: batch.b, t: batch.t };
  }

  async forward(batch: FamilyBatch, la: LinAlg): Promise<{ logits: Float32Array; cache: Cache }> {
    const { x, b, t } = this.input(batch);
    const d = this.dim, q = this.g * this.classes, gh = this.g * this.hidden;
    const p = this.params;
    // scores [B·T, Q] → softmax over T for every (b, q), in place
    const a = await la.gemm(x, [b * t, d], p.wq, [d, q], false, false, this.buf('a', b * t * q));
    const mx = new Float32Array(q), sum = new Float64Array(q);
    for (let i = 0; i < b; i++) {
      mx.fill(-Infinity); sum.fill(0);
      const base = i * t * q;
      for (let k = 0; k < t; k++) for (let j = 0; j < q; j++) { const s = a[base + k * q + j] * this.scale; a[base + k * q + j] = s; if (s > mx[j]) mx[j] = s; }
      for (let k = 0; k < t; k++) for (let j = 0; j < q; j++) { const e = Math.exp(a[base + k * q + j] - mx[j]); a[base + k * q + j] = e; sum[j] += e; }
      for (let k = 0; k < t; k++) for (let j = 0; j < q; j++) a[base + k * q + j] /= sum[j];
    }
    const cache: Cache = { a };
    let v: Float32Array;
    if (this.layers === 1) v = await la.gemm(x, [b * t, d], p.wv, [d, q], false, false, this.buf('v', b * t * q));
    else {
      const z1 = addRowVector(await la.gemm(x, [b * t, d], p.w1, [d, gh], false, false, this.buf('z1', b * t * gh)), p.b1);
      const h = this.buf('h', b * t * gh);
      for (let i = 0; i < z1.length; i++) h[i] = z1[i] > 0 ? z1[i] : 0;
      const w2 = this.blockDiag(p.w2);
      v = await la.gemm(h, [b * t, gh], w2, [gh, q], false, false, this.buf('v', b * t * q));
      cache.z1 = z1; cache.h = h; cache.w2 = w2;
    }
    cache.v = v;
    // logits [B, Q] = Σ_t A ⊙ V  (+ bias); pooled values kept for the softmax gradient
    const pooled = this.buf('pooled', b * q).fill(0);
    for (let i = 0; i < b; i++) for (let k = 0; k < t; k++) {
      const base = (i * t + k) * q;
      for (let j = 0; j < q; j++) pooled[i * q + j] += a[base + j] * v[base + j];
    }
    cache.pooled = pooled;
    return { logits: addRowVector(Float32Array.from(pooled), p.b), cache };
  }

  async backward(batch: FamilyBatch, cache: Cache, dl: Float32Array, la: LinAlg): Promise<Record<string, Float32Array>> {
    const { x, b, t } = this.input(batch);
    const d = this.dim, q = this.g * this.classes, gh = this.g * this.hidden;
    const { a, v, pooled } = cache;
    // dV = A ⊙ dl ; softmax backward over T: dS = A ⊙ (dA − Σ_t A ⊙ dA) with dA = V ⊙ dl → A ⊙ dl ⊙ (V − pooled); × scale
    const dv = this.buf('dv', b * t * q);
    const ds = this.buf('ds', b * t * q);
    for (let i = 0; i < b; i++) for (let k = 0; k < t; k++) {
      const base = (i * t + k) * q;
      for (let j = 0; j < q; j++) {
        const g = a[base + j] * dl[i * q + j];
        dv[base + j] = g;
        ds[base + j] = g * (v[base + j] - pooled[i * q + j]) * this.scale;
      }
    }
    const grads: Record<string, Float32Array> = { wq: await la.gemm(x, [b * t, d], ds, [b * t, q], true, false, this.buf('dwq', d * q)), b: colSum(dl, q) };
    if (this.layers === 1) grads.wv = await la.gemm(x, [b * t, d], dv, [b * t, q], true, false, this.buf('dwv', d * q));
    else {
      grads.w2 = this.compact(await la.gemm(cache.h, [b * t, gh], dv, [b * t, q], true, false, this.buf('dw2full', gh * q)));
      const dz1 = await la.gemm(dv, [b * t, q], cache.w2, [gh, q], false, true, this.buf('dz1', b * t * gh));
      for (let i = 0; i < dz1.length; i++) if (!(cache.z1[i] > 0)) dz1[i] = 0;
      grads.w1 = await la.gemm(x, [b * t, d], dz1, [b * t, gh], true, false, this.buf('dw1', d * gh));
      grads.b1 = colSum(dz1, gh);
    }
    return grads;
  }
}
