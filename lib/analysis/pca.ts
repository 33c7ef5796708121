/**
 * Principal component analysis of row vectors (= sklearn.decomposition.PCA with svd_solver='full', up to the sign of each
 * component): mean-centred covariance with the n−1 divisor, its leading eigenvectors (eigen.ts), explained variance
 * ratio = eigenvalue / trace. Sign convention (deterministic, like sklearn's svd_flip): the largest-|·| loading of each
 * component is positive. Accumulation in Float64 whatever the input precision.
 */
import { topEigen } from '../stats/eigen';

export interface Pca {
  dim: number;
  /** Rows the PCA was fitted on. */
  n: number;
  mean: Float64Array;
  /** Unit principal axes, components[j] of length dim. */
  components: Float64Array[];
  /** Variance along each component (eigenvalues of the covariance, n−1 divisor). */
  variance: number[];
  /** variance / total variance (sklearn's explained_variance_ratio_). */
  explained: number[];
}

/**
 * Fits a k-component PCA on the rows of a row-major [rows × dim] array, optionally only the rows where `mask` is non-zero.
 * @example const p = fitPca(patches, 3 * 256, 384, 3); p.explained // [0.41, 0.12, 0.07]
 */
export function fitPca(data: ArrayLike<number>, rows: number, dim: number, k: number, mask?: ArrayLike<number | boolean>): Pca {
  const fn = 'fitPca';
  if (data.length !== rows * dim) throw new Error(`${fn}: data has ${data.length} values, expected ${rows} rows × ${dim} = ${rows * dim}`);
  if (mask && mask.length !== rows) throw new Error(`${fn}: mask has ${mask.length} entries, expected ${rows}`);
  const use = (r: number) => !mask || Boolean(mask[r]);
  let n = 0;
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    if (!use(r)) continue;
    n++;
    for (let j = 0; j < dim; j++) {
      const v = data[r * dim + j];
      if (!Number.isFinite(v)) throw new Error(`${fn}: row ${r}, feature ${j} is ${v}`);
      mean[j] += v;
    }
  }
  if (n < 2) throw new Error(`${fn}: needs at least 2 rows, got ${n}`);
  if (k < 1 || k > dim || !Number.isInteger(k)) throw new Error(`${fn}: k must be an integer in [1, ${dim}], got ${k}`);
  for (let j = 0; j < dim; j++) mean[j] /= n;
  // covariance, upper triangle then mirrored: Σ_r (x_r − μ)(x_r − μ)ᵀ / (n − 1)
  const cov = new Float64Array(dim * dim);
  const x = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    if (!use(r)) continue;
    for (let j = 0; j < dim; j++) x[j] = data[r * dim + j] - mean[j];
    for (let i = 0; i < dim; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) cov[row + j] += xi * x[j];
    }
  }
  let total = 0;
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) { cov[i * dim + j] /= n - 1; cov[j * dim + i] = cov[i * dim + j]; }
    total += cov[i * dim + i];
  }
  const eig = topEigen(cov, dim, k);
  for (const v of eig.vectors) {
    let big = 0;
    for (let j = 1; j < dim; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) for (let j = 0; j < dim; j++) v[j] = -v[j];
  }
  // a PSD covariance can give tiny negative eigenvalues through rounding: clamp them to 0
  const variance = eig.values.map((v) => Math.max(v, 0));
  return { dim, n, mean, components: eig.vectors, variance, explained: variance.map((v) => (total > 0 ? v / total : 0)) };
}

/** Scores of every row (or the masked rows, in order) on the PCA's components: [rows' × k] row-major Float64Array. */
export function projectPca(p: Pca, data: ArrayLike<number>, rows: number, mask?: ArrayLike<number | boolean>): Float64Array {
  if (data.length !== rows * p.dim) throw new Error(`projectPca: data has ${data.length} values, expected ${rows} rows × ${p.dim}`);
  const k = p.components.length;
  const sel: number[] = [];
  for (let r = 0; r < rows; r++) if (!mask || mask[r]) sel.push(r);
  const out = new Float64Array(sel.length * k);
  sel.forEach((r, i) => {
    for (let c = 0; c < k; c++) {
      const comp = p.components[c];
      let s = 0;
      for (let j = 0; j < p.dim; j++) s += (data[r * p.dim + j] - p.mean[j]) * comp[j];
      out[i * k + c] = s;
    }
  });
  return out;
}
