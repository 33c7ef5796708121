/**
 * Worker module (see WorkerModule in ./worker-protocol) for the engine benchmark: square float32 matmuls on this
 * worker's own tfjs backend. Matrices are made once per size and reused, so a task times only the multiply.
 */
import * as tf from '@tensorflow/tfjs-core';

const cache = new Map<number, [tf.Tensor2D, tf.Tensor2D]>();

function operands(n: number): [tf.Tensor2D, tf.Tensor2D] {
  let ab = cache.get(n);
  if (!ab) {
    // Deterministic operands (values do not affect timing; no RNG needed): a ramp pattern in [-1, 1).
    const v = new Float32Array(n * n);
    for (let i = 0; i < v.length; i++) v[i] = ((i * 7919) % 2000) / 1000 - 1;
    ab = [tf.tensor2d(v, [n, n]), tf.tensor2d(v, [n, n])];
    cache.set(n, ab);
  }
  return ab;
}

/** Task: `{ n, repeats }` → seconds spent on `repeats` n×n matmuls (result read back each time). */
export function handle(task: { n: number; repeats: number }): number {
  const [a, b] = operands(task.n);
  const t0 = performance.now();
  for (let r = 0; r < task.repeats; r++) {
    const c = tf.matMul(a, b);
    c.dataSync();   // read outside tidy: tidy + dataSync is pathologically slow on wasm (measured)
    c.dispose();
  }
  return (performance.now() - t0) / 1000;
}
