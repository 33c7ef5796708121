/**
 * Heads over attentive pooling: each head has one learned query per class attending over the patch tokens (single-head
 * softmax over T, scores q_c·x_t/√D), as in the paper's attentive probe; the attention weights [B, C, T] are the
 * explainability maps. With per-class values v_t,c the logit is Σ_t a_{c,t}·v_{t,c} + b_c:
 *  - linear:  v_{t,c} = w_c·x_t — identical to a linear layer on the attention-pooled vector Σ_t a_{c,t} x_t;
 *  - MLP:     v_{t,c} = w2_c·relu(W1ᵀx_t + b1) — the 2-layer head is applied to every token before pooling, which keeps
 *    every product a 2-D matmul over [B·T, D] (pooling first would need a batched [B, C, T]×[B, T, h] product per head).
 * Queries start at zero, so training starts from average pooling.
 *
 * Position-centred keys (`centreKeys`, off by default): scores q_c·(x_t − μ_t)/√D, where μ_t is the mean training token
 * at patch position t (a running mean over every training batch seen; the training split's mean after one epoch).
 * Small frozen ViTs' patch tokens are dominated by their positional component, so raw-token scores mostly rank
 * POSITIONS: every image's map then peaks at the same place and misses findings (issue #6: pinpointing at chance for
 * every encoder). Centred keys rank a token by how it deviates from what that position usually holds — a finding —
 * while values keep the raw token. Measured: scripts/pinpointing-probe.py, scripts/pinpointing-check.ts.
 */
import { addRowVector, Cache, colSum, FamilyBatch, WideFamily } from './wide-family';
import type { GridConfig } from './config';
import type { LinAlg } from './linalg';
import type { HeadLoss } from './losses';
import type { Rng } from '../../engine/rng';

export interface AttentiveOptions {
  /** Scores on position-centred tokens x_t − μ_t (μ_t: running mean of the training tokens at position t). */
  centreKeys?: boolean;
}

export class AttentiveFamily extends WideFamily {
  readonly scale: number;
  readonly centreKeys: boolean;
  /** Running sum [T·D] and count of the training tokens per position (centreKeys). */
  private centreSum?: Float64Array;
  private centreCount = 0;
  /** μ [T·D] (float32) used by the scores; undefined until a training step has been seen. */
  private centre?: Float32Array;

  constructor(configs: GridConfig[], readonly dim: number, classes: number, readonly layers: 1 | 2, hidden: number, rngs: Rng[], opts: AttentiveOptions = {}) {
    super(configs, classes, hidden);
    this.centreKeys = opts.centreKeys ?? false;
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

  /** Training step; with centreKeys the batch first updates the per-position token mean (treated as a constant). */
  override async step(batch: FamilyBatch, lossFn: (logits: Float32Array) => HeadLoss, factor: number, la: LinAlg): Promise<Float64Array> {
    if (this.centreKeys) {
      const { x, b, t } = this.input(batch);
      const n = t * this.dim;
      const sum = (this.centreSum ??= new Float64Array(n));
      if (sum.length !== n) throw new Error(`AttentiveFamily: batch has ${t} tokens per sample, earlier batches had ${sum.length / this.dim}`);
      for (let i = 0; i < b; i++) for (let k = 0, o = i * n; k < n; k++) sum[k] += x[o + k];
      this.centreCount += b;
      const c = (this.centre ??= new Float32Array(n));
      for (let k = 0; k < n; k++) c[k] = sum[k] / this.centreCount;
    }
    return super.step(batch, lossFn, factor, la);
  }

  /** μ [T, D] when keys are centred and known for this token count. */
  private centreFor(t: number): Float32Array | undefined {
    return this.centre && this.centre.length === t * this.dim ? this.centre : undefined;
  }

  async forward(batch: FamilyBatch, la: LinAlg): Promise<{ logits: Float32Array; cache: Cache }> {
    const { x, b, t } = this.input(batch);
    const d = this.dim, q = this.g * this.classes, gh = this.g * this.hidden;
    const p = this.params;
    // scores [B·T, Q] → softmax over T for every (b, q), in place
    const a = await la.gemm(x, [b * t, d], p.wq, [d, q], false, false, this.buf('a', b * t * q));
    const mu = this.centreFor(t);
    // (x_t − μ_t)·q = x_t·q − μ_t·q: one [T, D]×[D, Q] product per batch, subtracted from every sample's scores
    const off = mu ? await la.gemm(mu, [t, d], p.wq, [d, q], false, false, this.buf('keyoff', t * q)) : undefined;
    const mx = new Float32Array(q), sum = new Float64Array(q);
    for (let i = 0; i < b; i++) {
      mx.fill(-Infinity); sum.fill(0);
      const base = i * t * q;
      for (let k = 0; k < t; k++) for (let j = 0; j < q; j++) { const s = (a[base + k * q + j] - (off ? off[k * q + j] : 0)) * this.scale; a[base + k * q + j] = s; if (s > mx[j]) mx[j] = s; }
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
    const mu = this.centreFor(t);
    if (mu) {
      // centred keys: dWq = Σ (x − μ)ᵀ dS = xᵀdS − μᵀ (Σ_b dS) with Σ_b dS [T, Q]
      const dsPos = this.buf('dspos', t * q).fill(0);
      for (let i = 0; i < b; i++) for (let k = 0; k < t * q; k++) dsPos[k] += ds[i * t * q + k];
      const corr = await la.gemm(mu, [t, d], dsPos, [t, q], true, false, this.buf('dwqcorr', d * q));
      for (let k = 0; k < corr.length; k++) grads.wq[k] -= corr[k];
    }
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
