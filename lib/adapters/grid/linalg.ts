/**
 * The one heavy operation of the head grid — 2-D matrix products — behind a small interface with two engines:
 *  - 'ort'  : ONNX Runtime's MLAS Gemm (./ort-gemm), ~3–5× tfjs-wasm's matmul here and multi-threaded (default);
 *  - 'tfjs' : tf.matMul on the active tfjs backend (explicit transposes, so wasm stays on its fast 2-D kernel).
 * Everything else in the grid (losses, softmax over tokens, AdamW) is fused Float32Array loops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createGemm } from './ort-gemm';

export type LinAlgEngine = 'ort' | 'tfjs';

export interface LinAlg {
  readonly engine: LinAlgEngine;
  /** op(A)·op(B); A is [aShape] and B is [bShape] before the optional transposes; into `out` when given. */
  gemm(a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transA?: boolean, transB?: boolean, out?: Float32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function createLinAlg(engine: LinAlgEngine = 'ort', threads = 2): Promise<LinAlg> {
  if (engine === 'ort') {
    const g = await createGemm(threads);
    return { engine, gemm: (a, as, b, bs, ta, tb, out) => g.run(a, as, b, bs, ta, tb, out), release: () => g.release() };
  }
  return {
    engine,
    async gemm(a, as, b, bs, ta = false, tb = false, out) {
      const y = tf.tidy(() => {
        let at = tf.tensor2d(a, as) as tf.Tensor2D;
        let bt = tf.tensor2d(b, bs) as tf.Tensor2D;
        if (ta) at = tf.transpose(at);
        if (tb) bt = tf.transpose(bt);
        return tf.matMul(at, bt);
      });
      const res = y.dataSync() as Float32Array; // read outside tidy (reading inside is pathologically slow)
      const target = out;
      y.dispose();
      if (target) {
        if (target.length !== res.length) throw new Error(`gemm: output buffer has ${target.length} values, product has ${res.length}`);
        target.set(res);
        return target;
      }
      return Float32Array.from(res);
    },
    async release() { /* nothing held */ },
  };
}
