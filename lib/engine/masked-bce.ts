/**
 * Masked multi-label binary cross-entropy on logits: torch `BCEWithLogitsLoss(reduction='none')` averaged over the
 * KNOWN labels only (NaN = unknown, torchxrayvision's convention; Cohen et al. 2022 mask NaN targets the same way).
 *   ℓ(x, y) = max(x, 0) − x·y + log(1 + e^{−|x|})        (the log-sum-exp-stable form torch uses)
 *   loss    = Σ_known ℓ / max(1, #known)
 * The gradient is written explicitly, ∂loss/∂x = m·(σ(x) − y) / max(1, #known), so no kernel gradient is needed.
 * Two forms, one home: `maskedBce` on tfjs tensors (the supervised baseline, lib/baselines) and `maskedBceHeads` on
 * plain arrays for many heads at once (the adapter grid); their float arithmetic differs (float32 tensor ops vs float64).
 */
import * as tf from '@tensorflow/tfjs-core';

type CG = Parameters<typeof tf.customGrad>[0];

const bceOp = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, m: tf.Tensor, save: tf.GradSaveFunc) => {
  const count = tf.maximum(tf.sum(m), 1);
  const perEntry = tf.add(tf.sub(tf.maximum(x, 0), tf.mul(x, y)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(x))))));
  const value = tf.div(tf.sum(tf.mul(perEntry, m)), count);
  save([x, y, m, count]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy, sm, sc] = saved;
      const dx = tf.tidy(() => tf.mul(tf.div(tf.mul(tf.sub(tf.sigmoid(sx), sy), sm), sc), dy));
      // labels and mask are data: zero gradients keep tfjs's bookkeeping happy
      return [dx, tf.zerosLike(sy), tf.zerosLike(sm)];
    },
  };
}) as CG);

/** Labels with NaN (unknown) split into targets (NaN → 0) and a 0/1 mask of known entries. */
export function splitKnown(labels: Float32Array): { targets: Float32Array; mask: Float32Array } {
  const targets = new Float32Array(labels.length);
  const mask = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (Number.isNaN(v)) continue;
    if (v !== 0 && v !== 1) throw new Error(`maskedBce: label ${i} is ${v}; expected 1, 0 or NaN`);
    targets[i] = v;
    mask[i] = 1;
  }
  return { targets, mask };
}

/**
 * Mean BCE over known labels. `logits` [B, C]; `targets` [B, C] (unknown entries any finite value); `mask` [B, C]
 * 1 = known. Returns a scalar; 0 when no label is known.
 * @example
 * const { targets, mask } = splitKnown(Float32Array.from([1, NaN, 0, 1]));
 * maskedBce(logits, tf.tensor2d(targets, [2, 2]), tf.tensor2d(mask, [2, 2]));
 */
export function maskedBce(logits: tf.Tensor2D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  if (logits.shape.join() !== targets.shape.join() || logits.shape.join() !== mask.shape.join()) {
    throw new Error(`maskedBce: logits [${logits.shape}], targets [${targets.shape}] and mask [${mask.shape}] must have the same shape`);
  }
  return bceOp(logits, targets, mask) as tf.Scalar;
}

/**
 * The same loss on plain arrays for G heads side by side (the adapter grid, lib/adapters/grid): logits [B, G·C] head-major
 * (columns g·C + c), `labels` [B, C] with NaN = unknown (other values used as given, unchecked: the grid's labels are
 * built 0/1/NaN), float64 arithmetic. Returns each head's loss [G] and d(Σ_g loss_g)/d logits [B, G·C]; `out` reuses
 * a gradient buffer. Each head's loss is its own mean, so the summed gradient equals each head trained alone.
 */
export function maskedBceHeads(logits: Float32Array, labels: ArrayLike<number>, b: number, g: number, c: number, out?: Float32Array): { loss: Float64Array; dlogits: Float32Array } {
  if (labels.length !== b * c) throw new Error(`maskedBceHeads: ${labels.length} labels for [${b}, ${c}]`);
  if (logits.length !== b * g * c) throw new Error(`maskedBceHeads: ${logits.length} logits for [${b}, ${g}·${c}]`);
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
