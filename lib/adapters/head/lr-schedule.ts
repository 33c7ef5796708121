/**
 * Linear warm-up then linear decay to zero (the schedule of the paper's adapter training; mmseg's `LinearLR` warm-up +
 * `PolyLR(power=1)`): lr(t) = base·(t+1)/W for t < W, then base·(T − t)/(T − W).
 */
export function warmupLinearLr(step: number, totalSteps: number, warmupSteps: number, base: number): number {
  if (totalSteps < 1) throw new Error(`warmupLinearLr: totalSteps ${totalSteps} < 1`);
  const w = Math.min(Math.max(0, Math.floor(warmupSteps)), totalSteps - 1);
  if (step < w) return (base * (step + 1)) / w;
  return (base * (totalSteps - step)) / Math.max(1, totalSteps - w);
}

export interface EpochLoopOptions {
  /** Rows of the training set. */
  n: number;
  batchSize: number;
  epochs: number;
  /** Base learning rate of warmupLinearLr. */
  lr: number;
  /** Fraction of all steps spent warming up. */
  warmupFrac: number;
}

/**
 * The adapters' training loop (segmentation and regression heads): each epoch a fresh permutation from `order`, batches
 * of `batchSize` rows, lr from warmupLinearLr over all steps; `step(idx, lr)` returns the batch loss as a scalar, read
 * here outside any tidy (tf.tidy around dataSync is pathologically slow on wasm) and freed.
 * Returns the mean loss per epoch and the number of steps taken.
 */
export function runEpochs(o: EpochLoopOptions, order: { permutation(n: number): Int32Array },
  step: (idx: Int32Array, lr: number) => { dataSync(): ArrayLike<number>; dispose(): void }): { lossHistory: number[]; steps: number } {
  const bs = Math.min(o.batchSize, o.n);
  const perEpoch = Math.ceil(o.n / bs);
  const total = perEpoch * o.epochs;
  const warm = Math.round(o.warmupFrac * total);
  const lossHistory: number[] = [];
  let steps = 0;
  for (let e = 0; e < o.epochs; e++) {
    const perm = order.permutation(o.n);
    let sum = 0;
    for (let s = 0; s < perEpoch; s++) {
      const loss = step(perm.subarray(s * bs, Math.min((s + 1) * bs, o.n)), warmupLinearLr(steps, total, warm, o.lr));
      sum += loss.dataSync()[0];
      loss.dispose();
      steps++;
    }
    lossHistory.push(sum / perEpoch);
  }
  return { lossHistory, steps };
}
