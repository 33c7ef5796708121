/**
 * DINO self-distillation loss on CLS prototypes (Caron et al. 2021, eq. 1-2; Oquab et al. 2023 "DINOv2" §4).
 * Cross-entropy between the teacher's centred, sharpened softmax and the student's softmax at temperature 0.1,
 * over every (student crop, teacher global crop) pair except a global crop with itself — dinov2's `DINOLoss.forward`
 * combined as in `SSLMetaArch.forward_backward`: each pair's loss is a mean over the batch, and the sum over pairs is
 * divided by the number of pairs (nG·(nG−1) + nL·nG).
 */
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../engine/gradients';

export interface DinoLossOptions {
  /** Number of global crops (teacher views); student rows start with these, crop-major. */
  nGlobal: number;
  /** Student temperature (paper: 0.1). */
  studentTemp: number;
}

/** Number of (student, teacher) pairs dinov2 averages over: nG·(nG−1) + nL·nG. */
export function dinoPairCount(nGlobal: number, nLocal: number): number {
  return nGlobal * (nGlobal - 1) + nLocal * nGlobal;
}

/**
 * For every student row, the sum of the teacher distributions it is compared with: all global crops of the same
 * image, minus its own view when the student row is itself a global crop. One [nC·B, K] target turns the double loop
 * over pairs into a single product.
 */
function pairTargets(teacherProbs: tf.Tensor2D, nGlobal: number, nCrops: number): tf.Tensor2D {
  const b = teacherProbs.shape[0] / nGlobal;
  const k = teacherProbs.shape[1];
  const t3 = tf.reshape(teacherProbs, [nGlobal, b, k]);
  const sum = tf.sum(t3, 0) as tf.Tensor2D; // [B, K]
  const rows: tf.Tensor2D[] = [];
  for (let c = 0; c < nCrops; c++) {
    rows.push(c < nGlobal ? tf.sub(sum, tf.reshape(tf.slice(t3, [c, 0, 0], [1, b, k]), [b, k])) : sum);
  }
  return tf.concat(rows, 0);
}

/**
 * @param studentLogits [(nG+nL)·B, K] student head outputs, crop-major (all images of crop 0, then crop 1, …), globals first.
 * @param teacherProbs  [nG·B, K] teacher targets (centred softmax or Sinkhorn-Knopp), crop-major, NOT swapped.
 * @returns scalar loss (already divided by the pair count).
 * @example
 * const loss = dinoLoss(studentLogits, center.softmaxCentered(teacherLogits, 0.04), { nGlobal: 2, studentTemp: 0.1 });
 */
export function dinoLoss(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, opts: DinoLossOptions): tf.Scalar {
  return tf.tidy(() => {
    const { nGlobal, studentTemp } = opts;
    const [nT, k] = teacherProbs.shape;
    if (nT % nGlobal !== 0) throw new Error(`dinoLoss: teacher rows ${nT} not a multiple of nGlobal ${nGlobal}`);
    const b = nT / nGlobal;
    const [nS, ks] = studentLogits.shape;
    if (ks !== k) throw new Error(`dinoLoss: student has ${ks} prototypes, teacher ${k}`);
    if (nS % b !== 0 || nS / b < nGlobal) throw new Error(`dinoLoss: student rows ${nS} do not hold ${nGlobal} global crops of ${b} images`);
    const nCrops = nS / b;
    const pairs = dinoPairCount(nGlobal, nCrops - nGlobal);
    if (pairs === 0) throw new Error('dinoLoss: needs at least two crops');
    const lsm = tf.logSoftmax(tf.div(studentLogits, studentTemp)); // [nC·B, K]
    const target = stopGradient(pairTargets(teacherProbs, nGlobal, nCrops));
    return tf.div(tf.neg(tf.sum(tf.mul(target, lsm))), b * pairs) as tf.Scalar;
  });
}
