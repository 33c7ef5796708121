/**
 * iBOT masked-patch loss (Zhou et al. 2022, eq. 3; DINOv2 §4): cross-entropy between the teacher's centred softmax of
 * a patch the student saw masked and the student's prediction for it. As dinov2's `iBOTPatchLoss.forward_masked`, each
 * masked patch is weighted 1 / (masked patches of its image), so each image contributes the mean over its masked
 * patches, and the sum is divided by the number of images (including images with no masked patch).
 */
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../engine/gradients';

/**
 * Weights and gather indices for the masked patches of a [N, T] boolean mask (1 = masked).
 * `indices` index the flattened [N·T] token rows; `weights[i]` = 1 / (masked count of that row's image).
 */
export function maskedPatchIndex(masks: Uint8Array, nImages: number, tokens: number): { indices: Int32Array; weights: Float32Array } {
  if (masks.length !== nImages * tokens) throw new Error(`maskedPatchIndex: mask has ${masks.length} entries, expected ${nImages}×${tokens}`);
  const idx: number[] = [];
  const w: number[] = [];
  for (let n = 0; n < nImages; n++) {
    let count = 0;
    for (let t = 0; t < tokens; t++) if (masks[n * tokens + t]) count++;
    for (let t = 0; t < tokens; t++) {
      if (masks[n * tokens + t]) { idx.push(n * tokens + t); w.push(1 / Math.max(count, 1)); }
    }
  }
  return { indices: Int32Array.from(idx), weights: Float32Array.from(w) };
}

/**
 * @param studentLogits [M, K] student iBOT-head outputs of the M masked patches
 * @param teacherProbs  [M, K] teacher centred softmax of the same patches (teacher saw them unmasked)
 * @param weights       [M] per-patch weight, 1 / masked count of its image (see `maskedPatchIndex`)
 * @param nImages       number of images the masks were drawn for (dinov2: all global crops of the batch)
 */
export function ibotLoss(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, weights: tf.Tensor1D, nImages: number, studentTemp: number): tf.Scalar {
  return tf.tidy(() => {
    if (studentLogits.shape[0] !== teacherProbs.shape[0] || studentLogits.shape[1] !== teacherProbs.shape[1]) {
      throw new Error(`ibotLoss: student [${studentLogits.shape}] vs teacher [${teacherProbs.shape}]`);
    }
    if (weights.shape[0] !== studentLogits.shape[0]) throw new Error(`ibotLoss: ${weights.shape[0]} weights for ${studentLogits.shape[0]} patches`);
    if (studentLogits.shape[0] === 0) return tf.scalar(0);
    const lsm = tf.logSoftmax(tf.div(studentLogits, studentTemp));
    const perPatch = tf.sum(tf.mul(stopGradient(teacherProbs), lsm), 1); // [M]
    return tf.div(tf.neg(tf.sum(tf.mul(perPatch, weights))), nImages) as tf.Scalar;
  });
}
