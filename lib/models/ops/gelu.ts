/**
 * Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) — torch.nn.GELU() default (approximate='none'), as used by dinov2's Mlp and
 * HF Dinov2 (hidden_act "gelu"). Gradient: Φ(x) + x·φ(x).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, runFused } from '../../engine/wasm-kernels';

/** customGrad's callback type (its variadic signature does not accept named tensor parameters). */
type CG = Parameters<typeof tf.customGrad>[0];

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const geluOp = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const cdf = tf.tidy(() => tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, SQRT1_2)))));
  const value = tf.mul(x, cdf);
  save([x, cdf]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => {
      const [sx, scdf] = saved;
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(sx), -0.5)), INV_SQRT_2PI);
      return tf.mul(dy, tf.add(scdf, tf.mul(sx, pdf)));
    }),
  };
}) as CG);

/** One wasm kernel each way (lib/engine/wasm-kernels: the same Φ, A&S 7.1.26 erf). */
const fusedGeluOp = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return { value: runFused('RaydinoGelu', { x })[0], gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('RaydinoGeluGrad', { dy, x: saved[0] })[0] };
}) as CG);

export function gelu<T extends tf.Tensor>(x: T): T {
  return (fusedKernelsActive() && x.dtype === 'float32' ? fusedGeluOp(x) : geluOp(x)) as T;
}
