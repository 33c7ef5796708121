/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled weight decay regularization"), exactly as torch.optim.AdamW with its
 * defaults (betas 0.9/0.999, eps 1e-8, decay applied to every parameter), as one fused loop over a "wide" parameter that
 * holds many heads: every element's learning rate and weight decay come from its head (`headOf` per element).
 */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

/** How elements map to heads: column blocks of `headCols`, or row blocks of `headRows`. */
export interface AdamLayout {
  cols: number;
  headCols?: number;
  headRows?: number;
}

/**
 * In-place AdamW step t (1-based) on p with gradient g and moments m, v.
 * `lr[h]`, `wd[h]`: per-head learning rate (already scaled by the schedule) and weight decay; `head(i)` maps element i
 * to its head — given as (cols, headCols) for column blocks or (cols, headRows) for row blocks.
 */
export function adamwStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, t: number,
  lr: ArrayLike<number>, wd: ArrayLike<number>, layout: AdamLayout): void {
  const bc1 = 1 - ADAM_BETA1 ** t;
  const sbc2 = Math.sqrt(1 - ADAM_BETA2 ** t);
  const { cols } = layout;
  const rows = p.length / cols;
  // per-column (column blocks) or per-row (row blocks) step sizes, computed once per call
  const perCol = layout.headCols !== undefined;
  const n = perCol ? cols : rows;
  const step = new Float64Array(n);
  const decay = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = Math.floor(j / (perCol ? (layout.headCols as number) : (layout.headRows as number)));
    step[j] = lr[h] / bc1;
    decay[j] = 1 - lr[h] * wd[h];
  }
  const b1 = ADAM_BETA1, b2 = ADAM_BETA2, eps = ADAM_EPS;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    // column-blocked: coefficients vary along the row; row-blocked: constant over it
    const sr = perCol ? 0 : step[r], dr = perCol ? 0 : decay[r];
    for (let c = 0; c < cols; c++) {
      const i = base + c;
      const gi = g[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      // torch: p *= 1 − lr·wd ; p −= (lr / bc1) · m / (sqrt(v) / sqrt(bc2) + eps)
      p[i] = perCol ? p[i] * decay[c] - step[c] * mi / (Math.sqrt(vi) / sbc2 + eps) : p[i] * dr - sr * mi / (Math.sqrt(vi) / sbc2 + eps);
    }
  }
}
