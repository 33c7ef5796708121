/**
 * Losses of the classification heads with their explicit gradients, for G heads side by side (logits [B, G·C], head-major
 * columns g·C + c). Each head's loss is its own mean, so the summed gradient equals each head trained alone.
 * - Masked BCE (multi-label): unknown labels (NaN) are ignored; mean over the known (sample, class) entries
 *   (torch: BCEWithLogits(reduction='none') · mask, summed / mask.sum()).
 * - Cross-entropy (multi-class): mean over samples (torch: F.cross_entropy).
 */
export interface HeadLoss {
  /** Loss per head [G]. */
  loss: Float64Array;
  /** d(Σ_g loss_g)/d logits, [B, G·C]. */
  dlogits: Float32Array;
}

/** Masked binary cross-entropy with logits over G heads; `labels` [B, C] with NaN = unknown; `out` reuses a gradient buffer. */
export function maskedBce(logits: Float32Array, labels: ArrayLike<number>, b: number, g: number, c: number, out?: Float32Array): HeadLoss {
  if (labels.length !== b * c) throw new Error(`maskedBce: ${labels.length} labels for [${b}, ${c}]`);
  if (logits.length !== b * g * c) throw new Error(`maskedBce: ${logits.length} logits for [${b}, ${g}·${c}]`);
  let known = 0;
  for (let i = 0; i < labels.length; i++) if (!Number.isNaN(labels[i])) known++;
  const inv = 1 / Math.max(known, 1);
  const loss = new Float64Array(g);
  const d = out && out.length === logits.length ? out.fill(0) : new Float32Array(logits.length);
  const y = new Float64Array(c);
  const mask = new Uint8Array(c);
  for (let i = 0; i < b; i++) {
    for (let k = 0; k < c; k++) { const v = labels[i * c + k]; mask[k] = Number.isNaN(v) ? 0 : 1; y[k] = mask[k] ? v : 0; }
    for (let h = 0; h < g; h++) {
      const off = (i * g + h) * c;
      let acc = 0;
      for (let k = 0; k < c; k++) {
        if (mask[k] === 0) continue;
        const z = logits[off + k];
        // one exp per entry: e = exp(−|z|); sigmoid(z) = 1/(1+e) (z ≥ 0) or e/(1+e); BCE = max(z,0) − z·y + log1p(e)
        const e = Math.exp(-Math.abs(z));
        const sig = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        acc += (z > 0 ? z : 0) - z * y[k] + Math.log1p(e);
        d[off + k] = (sig - y[k]) * inv;
      }
      loss[h] += acc * inv;
    }
  }
  return { loss, dlogits: d };
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
