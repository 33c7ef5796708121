/**
 * Average pooling of the paper's linear probe: the concatenation of the CLS token and the mean patch token
 * (DINOv2 linear evaluation, Oquab et al. 2023, "concatenate the class token and the average-pooled patch tokens").
 */

/** CLS [N, D] ⊕ mean over T of patches [N, T, D] → [N, 2D]; without patches, CLS alone [N, D] (a copy). */
export function avgPoolFeatures(cls: Float32Array, n: number, d: number, patches?: Float32Array, t?: number): Float32Array {
  if (cls.length !== n * d) throw new Error(`avgPoolFeatures: cls has ${cls.length} values, expected ${n}×${d}`);
  if (!patches) return Float32Array.from(cls);
  if (!t || patches.length !== n * t * d) throw new Error(`avgPoolFeatures: patches have ${patches.length} values, expected ${n}×${t}×${d}`);
  const out = new Float32Array(n * 2 * d);
  const acc = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    out.set(cls.subarray(i * d, (i + 1) * d), i * 2 * d);
    acc.fill(0);
    const base = i * t * d;
    for (let k = 0; k < t; k++) {
      const row = base + k * d;
      for (let j = 0; j < d; j++) acc[j] += patches[row + j];
    }
    for (let j = 0; j < d; j++) out[i * 2 * d + d + j] = acc[j] / t;
  }
  return out;
}
