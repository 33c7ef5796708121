/**
 * Heads over average pooling (the features are CLS ⊕ mean patch token, see lib/features/pooling): G linear heads
 * (logits = x·W + b) or G 2-layer MLPs (logits = relu(x·W1 + b1)·W2 + b2), side by side (see ./wide-family).
 */
import { addRowVector, Cache, colSum, FamilyBatch, WideFamily } from './wide-family';
import type { GridConfig } from './config';
import type { LinAlg } from './linalg';
import type { Rng } from '../../engine/rng';

export class AvgFamily extends WideFamily {
  constructor(configs: GridConfig[], readonly inputDim: number, classes: number, readonly layers: 1 | 2, hidden: number, rngs: Rng[]) {
    super(configs, classes, hidden);
    const g = this.g;
    // torch nn.Linear default init: U(±1/sqrt(fan_in)) for weights and biases
    const b0 = 1 / Math.sqrt(inputDim);
    if (layers === 1) {
      this.addParam('w', { shape: [inputDim, g * classes], headCols: classes, init: { uniform: b0 } }, rngs);
      this.addParam('b', { shape: [1, g * classes], headCols: classes, init: { uniform: b0 } }, rngs);
    } else {
      const b1 = 1 / Math.sqrt(hidden);
      this.addParam('w1', { shape: [inputDim, g * hidden], headCols: hidden, init: { uniform: b0 } }, rngs);
      this.addParam('b1', { shape: [1, g * hidden], headCols: hidden, init: { uniform: b0 } }, rngs);
      this.addParam('w2', { shape: [g * hidden, classes], headRows: hidden, init: { uniform: b1 } }, rngs);
      this.addParam('b2', { shape: [1, g * classes], headCols: classes, init: { uniform: b1 } }, rngs);
    }
  }

  private input(batch: FamilyBatch): { x: Float32Array; b: number } {
    if (!batch.x || batch.din !== this.inputDim) throw new Error(`AvgFamily: batch has no pooled features of width ${this.inputDim}`);
    return { x: batch.x, b: batch.b };
  }

  async forward(batch: FamilyBatch, la: LinAlg): Promise<{ logits: Float32Array; cache: Cache }> {
    const { x, b } = this.input(batch);
    const p = this.params, din = this.inputDim, gc = this.g * this.classes, gh = this.g * this.hidden;
    if (this.layers === 1) return { logits: addRowVector(await la.gemm(x, [b, din], p.w, [din, gc], false, false, this.buf('logits', b * gc)), p.b), cache: {} };
    const z1 = addRowVector(await la.gemm(x, [b, din], p.w1, [din, gh], false, false, this.buf('z1', b * gh)), p.b1);
    const a1 = this.buf('a1', b * gh);
    for (let i = 0; i < z1.length; i++) a1[i] = z1[i] > 0 ? z1[i] : 0;
    const w2 = this.blockDiag(p.w2);
    return { logits: addRowVector(await la.gemm(a1, [b, gh], w2, [gh, gc], false, false, this.buf('logits', b * gc)), p.b2), cache: { z1, a1, w2 } };
  }

  async backward(batch: FamilyBatch, cache: Cache, dl: Float32Array, la: LinAlg): Promise<Record<string, Float32Array>> {
    const { x, b } = this.input(batch);
    const din = this.inputDim, gc = this.g * this.classes, gh = this.g * this.hidden;
    if (this.layers === 1) return { w: await la.gemm(x, [b, din], dl, [b, gc], true, false, this.buf('dw', din * gc)), b: colSum(dl, gc) };
    const dw2 = this.compact(await la.gemm(cache.a1, [b, gh], dl, [b, gc], true, false, this.buf('dw2full', gh * gc)));
    const dz1 = await la.gemm(dl, [b, gc], cache.w2, [gh, gc], false, true, this.buf('dz1', b * gh));
    for (let i = 0; i < dz1.length; i++) if (!(cache.z1[i] > 0)) dz1[i] = 0; // relu'(z) = 1 if z > 0 (torch: 0 at 0)
    return { w1: await la.gemm(x, [b, din], dz1, [b, gh], true, false, this.buf('dw1', din * gh)), b1: colSum(dz1, gh), w2: dw2, b2: colSum(dl, gc) };
  }
}
