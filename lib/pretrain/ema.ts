/**
 * EMA teacher update (Caron et al. 2021 §3.1; dinov2 `SSLMetaArch.update_teacher`): θ_t ← m·θ_t + (1 − m)·θ_s for every
 * parameter of backbone and heads, with m following a cosine schedule 0.992 → 1.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Updates `teacher` in place from `student` (same names and shapes). */
export function emaUpdate(teacher: Map<string, tf.Variable>, student: Map<string, tf.Tensor>, momentum: number): void {
  for (const [name, t] of teacher) {
    const s = student.get(name);
    if (!s) throw new Error(`emaUpdate: student has no parameter ${name}`);
    const next = tf.tidy(() => tf.add(tf.mul(t, momentum), tf.mul(s, 1 - momentum)));
    t.assign(next);
    next.dispose();
  }
}
