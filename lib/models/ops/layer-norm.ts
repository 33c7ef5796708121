/**
 * LayerNorm over the last axis of a 2-D tensor [M, D] (torch.nn.LayerNorm, biased variance), with a hand-written
 * gradient (one pass of elementwise ops and row sums instead of tfjs's generic moments gradient).
 *   x̂ = (x - μ) / sqrt(σ² + eps);  y = x̂·γ + β
 *   dx = (1/σ̃) · (g - mean(g) - x̂·mean(g·x̂)),  g = dy·γ;  dγ = Σ dy·x̂;  dβ = Σ dy
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, runFused } from '../../engine/wasm-kernels';

/** customGrad's callback type (its variadic signature does not accept named tensor parameters). */
type CG = Parameters<typeof tf.customGrad>[0];

function makeOp(eps: number) {
  return tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
    const { xhat, rstd } = tf.tidy(() => {
      const mean = tf.mean(x, 1, true);
      const xc = tf.sub(x, mean);
      const variance = tf.mean(tf.square(xc), 1, true);
      const r = tf.rsqrt(tf.add(variance, eps));
      return { xhat: tf.mul(xc, r), rstd: r };
    });
    const value = tf.tidy(() => tf.add(tf.mul(xhat, gamma), beta));
    save([xhat, rstd, gamma]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sgamma] = saved;
        return tf.tidy(() => {
          const g = tf.mul(dy, sgamma);
          const mg = tf.mean(g, 1, true);
          const mgx = tf.mean(tf.mul(g, sxhat), 1, true);
          const dx = tf.mul(tf.sub(tf.sub(g, mg), tf.mul(sxhat, mgx)), srstd);
          return [dx, tf.sum(tf.mul(dy, sxhat), 0), tf.sum(dy, 0)];
        });
      },
    };
  }) as CG);
}

/** The same forward / backward as one wasm kernel each (lib/engine/wasm-kernels); saves μ and 1/σ̃ per row. */
function makeFusedOp(eps: number) {
  return tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, rstd] = runFused('RaydinoLayerNorm', { x, gamma, beta }, { eps });
    save([x, mean, rstd, gamma]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('RaydinoLayerNormGrad', { dy, x: saved[0], mean: saved[1], rstd: saved[2], gamma: saved[3] }),
    };
  }) as CG);
}

const ops = new Map<number, ReturnType<typeof makeOp>>();
const fusedOps = new Map<number, ReturnType<typeof makeFusedOp>>();

/** x [M, D], gamma/beta [D] → [M, D]. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  if (x.rank !== 2) throw new Error(`layerNorm: expected a 2-D tensor, got [${x.shape}]`);
  const fused = fusedKernelsActive() && x.dtype === 'float32';
  const cache = fused ? fusedOps : ops;
  let op = cache.get(eps);
  if (!op) { op = fused ? makeFusedOp(eps) : makeOp(eps); cache.set(eps, op); }
  return op(x, gamma, beta) as tf.Tensor2D;
}
