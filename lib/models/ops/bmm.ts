/**
 * Batched matmul a [N, m, k] · b [N, k, n] with a gradient that uses explicit rank-3 transposes instead of tfjs's
 * transposeA/transposeB flags (which fall to tfjs-wasm's slow loop, ~15× below its 2-D untransposed kernel).
 */
import * as tf from '@tensorflow/tfjs-core';

/** customGrad's callback type (its variadic signature does not accept named tensor parameters). */
type CG = Parameters<typeof tf.customGrad>[0];

const bmmOp = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor3D[];
      const da = tf.tidy(() => tf.matMul(dy as tf.Tensor3D, tf.transpose(sb, [0, 2, 1])));
      const db = tf.tidy(() => tf.matMul(tf.transpose(sa, [0, 2, 1]), dy as tf.Tensor3D));
      return [da, db];
    },
  };
}) as CG);

export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (a.rank !== 3 || b.rank !== 3 || a.shape[2] !== b.shape[1] || a.shape[0] !== b.shape[0]) {
    throw new Error(`bmm: shapes [${a.shape}] and [${b.shape}] do not match`);
  }
  return bmmOp(a, b) as tf.Tensor3D;
}
