/**
 * Real symmetric matrices in Float64: eigen-decomposition for PCA of patch tokens (D ≤ 1024), and Cholesky solves of
 * positive definite systems for the ridge and logistic probes (lib/pretrain/probe, lib/pretrain/logistic).
 * - jacobiEigen: cyclic Jacobi rotations (Golub & Van Loan, Matrix Computations 4th ed., §8.5.2) — every eigenpair,
 *   O(n³) per sweep; used directly for small matrices and for the Rayleigh–Ritz step below.
 * - topEigen: the k leading eigenpairs by subspace (block power) iteration with Rayleigh–Ritz projection
 *   (Saad, Numerical Methods for Large Eigenvalue Problems, §5.2): O(d²·p) per iteration with p = k + oversampling,
 *   instead of O(d³) for a full decomposition.
 * Matrices are row-major Float64Array n×n; eigenvectors are returned one Float64Array per vector, values descending.
 */
import { createRng } from '../engine/rng';

export interface EigenResult {
  /** Eigenvalues, descending. */
  values: number[];
  /** Unit eigenvectors, vectors[j] belongs to values[j]. */
  vectors: Float64Array[];
}

function checkSquare(fn: string, a: ArrayLike<number>, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: invalid size ${n}`);
  if (a.length !== n * n) throw new Error(`${fn}: matrix has ${a.length} entries, expected ${n}×${n} = ${n * n}`);
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${fn}: matrix[${Math.floor(i / n)}, ${i % n}] is ${a[i]}`);
}

/**
 * All eigenpairs of a symmetric n×n matrix (the upper triangle is read; the input is not modified).
 * @example jacobiEigen(Float64Array.of(2, 1, 1, 2), 2).values // [3, 1]
 */
export function jacobiEigen(matrix: ArrayLike<number>, n: number, opts: { maxSweeps?: number } = {}): EigenResult {
  checkSquare('jacobiEigen', matrix, n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { a[i * n + j] = matrix[i * n + j]; a[j * n + i] = matrix[i * n + j]; }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const maxSweeps = opts.maxSweeps ?? 100;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm += a[i] * a[i];
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // rotation angle that zeroes a[p,q] (G&VL Alg. 8.5.1, the smaller root for stability)
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) { // A ← A·J (columns p, q)
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // A ← Jᵀ·A (rows p, q)
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) { // V ← V·J
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i] || i - j);
  return {
    values: order.map((i) => a[i * n + i]),
    vectors: order.map((i) => Float64Array.from({ length: n }, (_, k) => v[k * n + i])),
  };
}

/** In-place modified Gram–Schmidt (twice, for orthogonality to machine precision); a collapsed column is re-drawn. */
function orthonormalise(cols: Float64Array[], rng: ReturnType<typeof createRng>): void {
  const d = cols[0].length;
  for (let j = 0; j < cols.length; j++) {
    const x = cols[j];
    for (let attempt = 0; ; attempt++) {
      const before = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < j; i++) {
          const y = cols[i];
          let dot = 0;
          for (let k = 0; k < d; k++) dot += x[k] * y[k];
          for (let k = 0; k < d; k++) x[k] -= dot * y[k];
        }
      }
      const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
      if (norm > 1e-10 * Math.max(before, 1e-300) && norm > 0) {
        for (let k = 0; k < d; k++) x[k] /= norm;
        break;
      }
      // the column lies in the span of the previous ones (rank-deficient matrix): replace it by a random direction
      if (attempt > 5) throw new Error('topEigen: could not build an orthonormal basis');
      for (let k = 0; k < d; k++) x[k] = rng.normal();
    }
  }
}

/** y = A·x for a row-major symmetric d×d matrix. */
function matVec(a: Float64Array, d: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let k = 0; k < d; k++) s += a[row + k] * x[k];
    y[i] = s;
  }
}

export interface TopEigenOptions {
  /** Extra search directions beyond k (default max(k, 8)); more = faster convergence when eigenvalues cluster. */
  oversample?: number;
  /** Stop when every wanted Ritz pair has ‖A·v − θ·v‖ ≤ tol·|θ₁| (default 1e-10). */
  tol?: number;
  maxIter?: number;
  /** Seed of the random start basis (default 0). */
  seed?: number;
}

/**
 * The k largest eigenpairs of a symmetric positive semi-definite d×d matrix (a covariance), by subspace iteration.
 * Throws if it has not converged after maxIter iterations (default 2000), naming the residual reached.
 * @example topEigen(cov, 384, 3).values // variances of the 3 leading principal components
 */
export function topEigen(matrix: ArrayLike<number>, d: number, k: number, opts: TopEigenOptions = {}): EigenResult {
  checkSquare('topEigen', matrix, d);
  if (!Number.isInteger(k) || k < 1 || k > d) throw new Error(`topEigen: k must be an integer in [1, ${d}], got ${k}`);
  const a = matrix instanceof Float64Array ? matrix : Float64Array.from(matrix);
  const p = Math.min(d, k + (opts.oversample ?? Math.max(k, 8)));
  if (p === d) { // the search space is everything: one exact decomposition
    const r = jacobiEigen(a, d);
    return { values: r.values.slice(0, k), vectors: r.vectors.slice(0, k) };
  }
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 2000;
  const rng = createRng(opts.seed ?? 0);
  let q = Array.from({ length: p }, () => Float64Array.from({ length: d }, () => rng.normal()));
  orthonormalise(q, rng);
  const z = Array.from({ length: p }, () => new Float64Array(d));
  const b = new Float64Array(p * p);
  let residual = Infinity;
  for (let iter = 0; iter < maxIter; iter++) {
    for (let j = 0; j < p; j++) matVec(a, d, q[j], z[j]); // Z = A·Q
    for (let i = 0; i < p; i++) for (let j = i; j < p; j++) { // B = Qᵀ·A·Q (p×p)
      let s = 0;
      for (let t = 0; t < d; t++) s += q[i][t] * z[j][t];
      b[i * p + j] = s;
      b[j * p + i] = s;
    }
    const small = jacobiEigen(b, p);
    // Ritz vectors V = Q·W and A·V = Z·W
    const v = small.vectors.map((w) => { const x = new Float64Array(d); for (let j = 0; j < p; j++) for (let t = 0; t < d; t++) x[t] += w[j] * q[j][t]; return x; });
    const av = small.vectors.map((w) => { const x = new Float64Array(d); for (let j = 0; j < p; j++) for (let t = 0; t < d; t++) x[t] += w[j] * z[j][t]; return x; });
    const scale = Math.max(Math.abs(small.values[0]), 1e-300);
    residual = 0;
    for (let j = 0; j < k; j++) {
      let r = 0;
      for (let t = 0; t < d; t++) { const e = av[j][t] - small.values[j] * v[j][t]; r += e * e; }
      residual = Math.max(residual, Math.sqrt(r) / scale);
    }
    if (residual <= tol) {
      for (const x of v.slice(0, k)) { // renormalise (Q·W is orthonormal up to rounding)
        const nrm = Math.sqrt(x.reduce((s, y) => s + y * y, 0));
        for (let t = 0; t < d; t++) x[t] /= nrm;
      }
      return { values: small.values.slice(0, k), vectors: v.slice(0, k) };
    }
    q = av; // next basis: A·V, ordered by Ritz value
    orthonormalise(q, rng);
  }
  throw new Error(`topEigen: no convergence after ${maxIter} iterations (residual ${residual.toExponential(2)} > tol ${tol}); raise maxIter or oversample`);
}

/** Solves A X = B for symmetric positive definite A (n × n) and B (n × m), both row-major; A and B are left unchanged. */
export function choleskySolve(A: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = A[i * n + j];
    for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
    L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * n + j];
  }
  const X = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) { let s = B[i * m + c]; for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k]; y[i] = s / L[i * n + i]; }
    for (let i = n - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + c]; X[i * m + c] = s / L[i * n + i]; }
  }
  return X;
}
