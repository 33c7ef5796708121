/**
 * Losses of the classification heads with their explicit gradients, for G heads side by side (logits [B, G·C], head-major
 * columns g·C + c). Each head's loss is its own mean, so the summed gradient equals each head trained alone.
 * - Masked BCE (multi-label): lib/engine/masked-bce `maskedBceHeads` (unknown labels ignored, mean over known entries).
 * - Cross-entropy (multi-class): mean over samples (torch: F.cross_entropy).
 */
export interface HeadLoss {
  /** Loss per head [G]. */
  loss: Float64Array;
  /** d(Σ_g loss_g)/d logits, [B, G·C]. */
  dlogits: Float32Array;
}

/** Cross-entropy over G heads; `classes` [B] holds class indices 0..C-1. */
export function crossEntropy(logits: Float32Array, classes: ArrayLike<number>, b: number, g: number, c: number): HeadLoss {
  if (classes.length !== b) throw new Error(`crossEntropy: ${classes.length} classes for batch ${b}`);
  const loss = new Float64Array(g);
  const d = new Float32Array(logits.length);
  for (let i = 0; i < b; i++) {
    const y = classes[i];
    if (!(y >= 0 && y < c && Number.isInteger(y))) throw new Error(`crossEntropy: class index ${y} at batch row ${i} outside 0..${c - 1}`);
    for (let h = 0; h < g; h++) {
      const off = (i * g + h) * c;
      let m = -Infinity;
      for (let k = 0; k < c; k++) m = Math.max(m, logits[off + k]);
      let z = 0;
      for (let k = 0; k < c; k++) z += Math.exp(logits[off + k] - m);
      const lse = m + Math.log(z);
      loss[h] += (lse - logits[off + y]) / b;
      for (let k = 0; k < c; k++) d[off + k] = (Math.exp(logits[off + k] - lse) - (k === y ? 1 : 0)) / b;
    }
  }
  return { loss, dlogits: d };
}
