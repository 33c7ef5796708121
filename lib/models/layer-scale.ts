/** LayerScale (Touvron et al. 2021, CaiT; dinov2 layers/layer_scale.py): x · γ, γ [D] learned, init 1e-5. */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, runFused } from '../engine/wasm-kernels';
import { dropPath } from './drop-path';

/** customGrad's callback type (its variadic signature does not accept named tensor parameters). */
type CG = Parameters<typeof tf.customGrad>[0];

export function layerScale(x: tf.Tensor2D, gamma: tf.Tensor1D | undefined): tf.Tensor2D {
  return gamma ? tf.mul(x, gamma) : x;
}

/** x + branch·γ as one wasm kernel each way (lib/engine/wasm-kernels); the gradient w.r.t. x is dy itself. */
const fusedScaledAdd = tf.customGrad(((x: tf.Tensor, a: tf.Tensor, gamma: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, gamma]);
  return {
    value: runFused('RaydinoScaledAdd', { x, a, gamma })[0],
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [dy, ...runFused('RaydinoScaledAddGrad', { dy, a: saved[0], gamma: saved[1] })],
  };
}) as CG);

/** The residual update of a block: x + drop_path(ls(branch)) (drop-path multipliers [B·N, 1] or null). */
export function residual(x: tf.Tensor2D, branch: tf.Tensor2D, gamma: tf.Tensor1D | undefined, drop: tf.Tensor2D | null): tf.Tensor2D {
  if (gamma && !drop && fusedKernelsActive() && x.dtype === 'float32') return fusedScaledAdd(x, branch, gamma) as tf.Tensor2D;
  return tf.add(x, dropPath(layerScale(branch, gamma), drop)) as tf.Tensor2D;
}
