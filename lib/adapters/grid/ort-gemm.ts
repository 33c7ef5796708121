/**
 * 2-D matrix products on ONNX Runtime (onnxruntime-node, CPU EP): Y = op(A)·op(B) with op = identity or transpose, one
 * tiny ONNX Gemm graph per (transA, transB) with dynamic shapes. ONNX Runtime's MLAS kernels reach ~5× tfjs-wasm's
 * matmul throughput on a 2-core machine (1024³: 111 vs 21.6 GFLOP/s; `raydino bench`), and they run on ORT's own intra-op threads.
 */
import { onnx } from 'onnx-proto';
import type * as ortTypes from 'onnxruntime-node';

type Ort = typeof ortTypes;
let ortMod: Ort | undefined;
function ort(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  ortMod ??= require('onnxruntime-node') as Ort;
  return ortMod;
}

function gemmModel(transA: boolean, transB: boolean): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const t = (a: string, b: string): onnx.ITypeProto => ({ tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: a }, { dimParam: b }] } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'raydino-lab',
    graph: {
      name: 'gemm',
      node: [{ opType: 'Gemm', input: ['a', 'b'], output: ['y'], name: 'gemm', attribute: [
        { name: 'transA', type: onnx.AttributeProto.AttributeType.INT, i: transA ? 1 : 0 },
        { name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: transB ? 1 : 0 },
      ] }],
      input: [{ name: 'a', type: t('a0', 'a1') }, { name: 'b', type: t('b0', 'b1') }],
      output: [{ name: 'y', type: t('y0', 'y1') }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export interface Gemm {
  /** op(A)·op(B) with A [ra, ca], B [rb, cb] row-major; written into `out` when given (no allocation). */
  run(a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transA?: boolean, transB?: boolean, out?: Float32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * Creates the four Gemm sessions (NN, TN, NT, TT) with `threads` intra-op threads. Idle intra-op threads do not spin
 * (`allow_spinning` 0): between two products this thread runs the JS loops, and spinning threads would take its core.
 */
export async function createGemm(threads = 2): Promise<Gemm> {
  const o = ort();
  const sessions = new Map<string, ortTypes.InferenceSession>();
  for (const ta of [false, true]) for (const tb of [false, true]) {
    sessions.set(`${ta}${tb}`, await o.InferenceSession.create(gemmModel(ta, tb), {
      intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    }));
  }
  return {
    async run(a, aShape, b, bShape, transA = false, transB = false, out) {
      const s = sessions.get(`${transA}${transB}`) as ortTypes.InferenceSession;
      const feeds = { a: new o.Tensor('float32', a, aShape), b: new o.Tensor('float32', b, bShape) };
      if (out) {
        const m = transA ? aShape[1] : aShape[0];
        const n = transB ? bShape[0] : bShape[1];
        if (out.length !== m * n) throw new Error(`gemm: output buffer has ${out.length} values for [${m}, ${n}]`);
        // pre-allocated output: ORT writes straight into `out` (no per-step 10 MB allocations for the GC to chase)
        await s.run(feeds, { y: new o.Tensor('float32', out, [m, n]) });
        return out;
      }
      const res = await s.run(feeds);
      return res.y.data as Float32Array;
    },
    async release() {
      for (const s of sessions.values()) await s.release();
      sessions.clear();
    },
  };
}
