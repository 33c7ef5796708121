/**
 * The teacher half of a DINOv2 step (dinov2 `SSLMetaArch.forward_backward`, `get_teacher_output`): the EMA teacher's
 * forward of the global crops without gradient, its DINO head on the CLS tokens and its iBOT head on the patches the
 * student sees masked. The logits still need centring or Sinkhorn-Knopp over the whole batch (`PretrainRun.targets`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { HeadLogits, headLogits } from './heads';
import type { StudentModel } from './student-step';

/** The teacher's head logits and its backbone CLS tokens [2b, D] (kept for the step's health figures). */
export interface TeacherLogits extends HeadLogits {
  cls: tf.Tensor2D;
}

/**
 * Teacher logits of global crops `gT` [2b, C, G, G]: DINO [2b, K] and iBOT [M, K] for the flat patch indices
 * `maskedIndex` (in [2b·T]; null = no iBOT), and the backbone CLS tokens. Returns new tensors.
 */
export function teacherLogits(teacher: StudentModel, gT: tf.Tensor4D, maskedIndex: tf.Tensor1D | null): TeacherLogits {
  const out = teacher.vit.forward(gT, { training: false });
  const D = teacher.vit.config.dim;
  const masked = maskedIndex ? tf.tidy(() => tf.gather(tf.reshape(out.patches, [-1, D]), maskedIndex) as tf.Tensor2D) : null;
  const r = headLogits(teacher.heads, out.cls, masked);
  out.patches.dispose(); masked?.dispose();
  return { ...r, cls: out.cls };
}
