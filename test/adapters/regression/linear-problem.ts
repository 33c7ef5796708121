/** A regression problem linear in mean-pooled tokens, for the Cobb head tests. */
import { createRng } from '../../../lib/engine/rng';

/** Random tokens [N, T, D]; targets y_j = 25 + 6·⟨w_j, mean_t x_t⟩·√T/‖w_j‖ (+ small noise): linear in mean pooling. */
export function linearProblem(n: number, seed: number, t = 16, d = 16) {
  const rng = createRng(seed);
  const w = createRng(99); // same target map for every split
  const wj = Array.from({ length: 3 }, () => Array.from({ length: d }, () => w.normal()));
  const patches = Float32Array.from({ length: n * t * d }, () => rng.normal());
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        let m = 0;
        for (let p = 0; p < t; p++) m += patches[(i * t + p) * d + k];
        s += wj[j][k] * m / t;
      }
      const norm = Math.sqrt(wj[j].reduce((a, v) => a + v * v, 0));
      y[i * 3 + j] = 25 + (6 * s * Math.sqrt(t)) / norm + 0.3 * rng.normal();
    }
  }
  return { tokens: { n, dim: d, gridH: 4, gridW: t / 4, patches }, y };
}
