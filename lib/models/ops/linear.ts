/**
 * y = x·W + b on 2-D tensors, with an explicit gradient made of 2-D untransposed matmuls.
 * Why: in tfjs-wasm only a 2-D untransposed tf.matMul reaches the fast kernel; tfjs's built-in matMul gradient uses
 * transposeA/transposeB flags that fall to a ~15× slower loop (measured while porting the ViT). Transposing the small operand
 * explicitly first (a cheap rank-2 copy) keeps every product on the fast path.
 * W is stored [in, out] (the transpose of PyTorch's nn.Linear.weight).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, recordingGradient, runFused } from '../../engine/wasm-kernels';
import { gelu } from './gelu';

/** customGrad's callback type (its variadic signature does not accept named tensor parameters). */
type CG = Parameters<typeof tf.customGrad>[0];

const linearOp = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  const value = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b) as tf.Tensor2D;
  save([x, w]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      const dx = tf.tidy(() => tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)));  // [M,out]·[out,in]
      const dw = tf.tidy(() => tf.matMul(tf.transpose(sx), dy as tf.Tensor2D)); // [in,M]·[M,out]
      const db = tf.sum(dy, 0);
      return [dx, dw, db];
    },
  };
}) as CG);

/** The same layer as one fused wasm kernel each way (lib/engine/wasm-kernels): gemm + bias, and dx, dW, db together. */
const fusedLinearOp = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  const [y] = runFused('RaydinoLinear', { x, w, bias: b });
  save([x, w]);
  return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('RaydinoLinearGrad', { dy, x: saved[0], w: saved[1] }) };
}) as CG);

/**
 * GELU(x·W + b) fused. Under a gradient tape the forward kernel also returns GELU'(x·W + b), which the backward kernel
 * multiplies into dy before dx, dW, db (no erf / exp in the backward); outside one (teacher, inference) it skips that.
 */
const fusedLinearGeluOp = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  const [act, deriv] = runFused('RaydinoLinear', { x, w, bias: b }, { gelu: true, deriv: recordingGradient() });
  save(deriv ? [x, w, deriv] : [x, w]);
  return {
    value: act,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      if (saved.length < 3) throw new Error('linearGelu: the forward ran without a gradient tape, so GELU\' was not kept');
      return runFused('RaydinoLinearGrad', { dy, x: saved[0], w: saved[1], deriv: saved[2] });
    },
  };
}) as CG);

function checkLinear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): boolean {
  if (x.rank !== 2 || w.rank !== 2) throw new Error(`linear: expected 2-D x and w, got [${x.shape}] and [${w.shape}]`);
  if (x.shape[1] !== w.shape[0]) throw new Error(`linear: x [${x.shape}] does not match w [${w.shape}]`);
  if (b.rank !== 1 || b.shape[0] !== w.shape[1]) throw new Error(`linear: bias [${b.shape}] does not match w [${w.shape}]`);
  return fusedKernelsActive() && x.dtype === 'float32';
}

/** x [M, in] · w [in, out] + b [out] → [M, out]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return (checkLinear(x, w, b) ? fusedLinearOp(x, w, b) : linearOp(x, w, b)) as tf.Tensor2D;
}

/** GELU(x·w + b) (exact GELU, ops/gelu.ts): one kernel each way on the wasm backend. */
export function linearGelu(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return (checkLinear(x, w, b) ? fusedLinearGeluOp(x, w, b) : gelu(linearOp(x, w, b) as tf.Tensor2D)) as tf.Tensor2D;
}

const constLeftOp = tf.customGrad(((m: tf.Tensor, mt: tf.Tensor, p: tf.Tensor, save: tf.GradSaveFunc) => {
  save([mt]);
  return {
    value: tf.matMul(m as tf.Tensor2D, p as tf.Tensor2D),
    // m and mt are constants: zero gradients keep tfjs's bookkeeping happy.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.zerosLike(m), tf.zerosLike(mt), tf.matMul(saved[0] as tf.Tensor2D, dy as tf.Tensor2D)],
  };
}) as CG);

/** M [R, K] · P [K, D] for a constant M (with its transpose `mt` [K, R] precomputed): gradient only flows to P. */
export function matMulConstLeft(m: tf.Tensor2D, mt: tf.Tensor2D, p: tf.Tensor2D): tf.Tensor2D {
  return constLeftOp(m, mt, p) as tf.Tensor2D;
}
