/**
 * The linear probe the pretraining targets are judged on (docs/pretrain.md): L2-regularised logistic regression, one
 * binary model per class, on standardised features with an unpenalised intercept — scikit-learn's LogisticRegression(C)
 * — fitted along a path of C values with warm starts (Newton or L-BFGS). Scores are the decision function (an AUROC
 * needs only the ranking). Rows whose label is unknown (NaN) are left out of that class's fit; a class with one label
 * value in the fit rows scores 0 everywhere.
 *
 * Narrow problems (Newton) compute margins and gradients in float64 loops and only the Hessian through tfjs; wide ones
 * (L-BFGS, raw pixels) run both products through tfjs (wasm SIMD under the CLI: a 4,096-pixel probe on 1,766 rows is a
 * few milliseconds per product, where plain loops take a third of a second). The optimiser's state and the margins it
 * carries stay in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardiseColumns } from '../stats/columns';
import { choleskySolve } from '../stats/eigen';

/** The C values (inverse regularisation, scikit-learn's convention) the probe chooses from on the val rows. */
export const LOGISTIC_CS: readonly number[] = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100];

/**
 * Up to this many features a fit takes Newton steps (a (d + 1)² system per class and step: the frozen encoders' pooled
 * features, whose strongly correlated columns leave L-BFGS thousands of iterations short of the optimum at large C);
 * wider problems (raw pixels) take L-BFGS steps.
 */
export const NEWTON_MAX_FEATURES = 512;

export interface LogisticFit {
  C: number;
  /** Decision function [class][eval row]. */
  scores: number[][];
  /** Solver iterations (Newton or L-BFGS steps) for this C, after the warm start from the previous C. */
  iterations: number;
  /** Whether ‖∇‖∞ of the per-class mean objective fell to `tol` within `maxIter`. */
  converged: boolean;
  gradInf: number;
}

export interface LogisticOptions {
  /**
   * Stop when every component of the gradient of Σ_c [(1/n_c) Σ log-loss + ‖w_c‖² / (2 C n_c)] is ≤ tol: default 1e-5
   * for Newton, 1e-4 (scikit-learn's default, on the same objective) for L-BFGS, whose wide, strongly correlated
   * problems (raw pixels) need thousands of iterations for the last decade at mid-range C while their AUROC no longer
   * moves.
   */
  tol?: number;
  maxIter?: number;
  /** L-BFGS memory (pairs kept). */
  memory?: number;
  /** 'auto' (default): Newton up to NEWTON_MAX_FEATURES features, L-BFGS above. */
  solver?: 'auto' | 'newton' | 'lbfgs';
}

const softplus = (m: number): number => (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
const sigmoid = (m: number): number => (m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m)));

/**
 * One fit per C of `Cs` (in the order given; each warm-starts from the previous optimum), each scored on `evalX`.
 * `trainY` is [class][row] with 0 / 1 / NaN.
 */
export function logisticPath(trainX: Float32Array, trainY: number[][], evalX: Float32Array, d: number, Cs: readonly number[], opts: LogisticOptions = {}): LogisticFit[] {
  const maxIter = opts.maxIter ?? 1000, memory = opts.memory ?? 10;
  const n = trainX.length / d, nEval = evalX.length / d, K = trainY.length;
  if (!Number.isInteger(n) || !Number.isInteger(nEval)) throw new Error(`logisticPath: feature lengths ${trainX.length} / ${evalX.length} are not multiples of d = ${d}`);
  for (const C of Cs) if (!(C > 0 && Number.isFinite(C))) throw new Error(`logisticPath: C must be a positive number (got ${C})`);
  for (const [name, x] of [['train', trainX], ['eval', evalX]] as const) {
    const at = x.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) throw new Error(`logisticPath: ${name} feature ${x[at]} at row ${Math.floor(at / d)}, column ${at % d}`);
  }
  trainY.forEach((ys, c) => {
    if (ys.length !== n) throw new Error(`logisticPath: class ${c} has ${ys.length} labels for ${n} train rows`);
    const at = ys.findIndex((y) => !(y === 0 || y === 1 || Number.isNaN(y)));
    if (at >= 0) throw new Error(`logisticPath: class ${c}, row ${at}: label ${ys[at]} (0, 1, or NaN for unknown)`);
  });
  const [Ztr, Zev] = standardiseColumns(trainX, [trainX, evalX], d);
  // per class: which rows are known, how many, and whether both labels occur (else the optimum is at infinity)
  const known = trainY.map((ys) => ys.map((y) => !Number.isNaN(y)));
  const nK = known.map((k) => k.filter(Boolean).length);
  const active = trainY.map((ys, c) => { const pos = ys.filter((y, i) => known[c][i] && y === 1).length; return pos > 0 && pos < nK[c]; });
  const P = (d + 1) * K; // θ = [W (d × K, row-major), b (K)]
  const useNewton = opts.solver === 'newton' || ((opts.solver ?? 'auto') === 'auto' && d <= NEWTON_MAX_FEATURES);
  const tol = opts.tol ?? (useNewton ? 1e-5 : 1e-4);
  const Z = tf.tensor2d(Float32Array.from(Ztr), [n, d]);
  const ZT = tf.transpose(Z); // a pre-transposed copy: wasm's matMul with transposeA is several times slower
  // Newton's problems are narrow: their margins and gradients are exact float64 loops (n·d·K, cheap at d ≤ 512), so a
  // weakly regularised fit (C = 100: penalty curvature ≈ 1e-5 per row) converges below float32's resolution; only
  // the Hessian, which just shapes the step, goes through float32 products.
  const margins = (which: 'train' | 'eval', theta: Float64Array): Float64Array => {
    const [z, rows] = which === 'train' ? [Ztr, n] : [Zev, nEval];
    let m: Float64Array;
    if (useNewton) {
      m = new Float64Array(rows * K);
      for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) {
        const zij = z[i * d + j];
        if (zij !== 0) for (let c = 0; c < K; c++) m[i * K + c] += zij * theta[j * K + c];
      }
    } else {
      const M = tf.tidy(() => tf.matMul(which === 'train' ? Z : tf.tensor2d(Float32Array.from(z), [rows, d]), tf.tensor2d(Float32Array.from(theta.subarray(0, d * K)), [d, K])));
      m = Float64Array.from(M.dataSync());
      M.dispose();
    }
    for (let i = 0; i < rows; i++) for (let c = 0; c < K; c++) m[i * K + c] += theta[d * K + c];
    return m;
  };
  /** Zᵀ R ([d, K], row-major) for per-row residuals R [n, K]. */
  const transposedProduct = (R: Float64Array): ArrayLike<number> => {
    if (useNewton) {
      const g = new Float64Array(d * K);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
        const zij = Ztr[i * d + j];
        if (zij !== 0) for (let c = 0; c < K; c++) g[j * K + c] += zij * R[i * K + c];
      }
      return g;
    }
    const G = tf.tidy(() => tf.matMul(ZT, tf.tensor2d(Float32Array.from(R), [n, K])));
    const g = G.dataSync();
    G.dispose();
    return g;
  };
  try {
    let C = Cs[0];
    const objective: Objective = {
      margins: (theta) => margins('train', theta),
      marginsAlong: (dir) => margins('train', dir), // linear in the direction: Z·dW + db
      value: (theta, m, grad) => {
        const R = grad ? new Float64Array(n * K) : undefined;
        let f = 0;
        grad?.fill(0);
        for (let c = 0; c < K; c++) {
          if (!active[c]) continue;
          const inv = 1 / nK[c];
          for (let i = 0; i < n; i++) {
            if (!known[c][i]) continue;
            const mi = m[i * K + c], y = trainY[c][i];
            f += inv * (softplus(mi) - y * mi);
            if (R) {
              const r = inv * (sigmoid(mi) - y);
              R[i * K + c] = r;
              grad![d * K + c] += r;
            }
          }
        }
        const g = R ? transposedProduct(R) : undefined;
        for (let j = 0; j < d; j++) for (let c = 0; c < K; c++) {
          if (!active[c]) continue;
          const w = theta[j * K + c], lam = 1 / (C * nK[c]);
          f += 0.5 * lam * w * w;
          if (g) grad![j * K + c] = g[j * K + c] + lam * w;
        }
        return f;
      },
    };
    // −H⁻¹g class by class at the margins of the last evaluation: H_c = Zᵀ diag(s_c) Z + I / (C n_c) over [w_c; b_c]
    // (the intercept unpenalised), s_ic = σ'(m_ic) / n_c on the class's known rows
    const newtonStep = (grad: Float64Array, m: Float64Array): Float64Array => {
      const step = new Float64Array(P), p = d + 1;
      for (let c = 0; c < K; c++) {
        if (!active[c]) continue;
        const sw = new Float32Array(n);
        for (let i = 0; i < n; i++) if (known[c][i]) { const q = sigmoid(m[i * K + c]); sw[i] = (q * (1 - q)) / nK[c]; }
        const H = tf.tidy(() => {
          const s = tf.tensor2d(sw, [n, 1]);
          return tf.concat([tf.matMul(ZT, tf.mul(Z, s)), tf.matMul(ZT, s)], 1); // [d, d + 1]
        });
        const h = H.dataSync();
        H.dispose();
        const A = new Float64Array(p * p), g = new Float64Array(p);
        let sSum = 0;
        for (let i = 0; i < n; i++) sSum += sw[i];
        for (let j = 0; j < d; j++) {
          for (let k = 0; k <= d; k++) A[j * p + k] = h[j * p + k];
          A[j * p + j] += 1 / (C * nK[c]);
          A[d * p + j] = h[j * p + d];
          g[j] = -grad[j * K + c];
        }
        A[d * p + d] = sSum;
        g[d] = -grad[d * K + c];
        const x = choleskySolve(A, p, g, 1);
        for (let j = 0; j < d; j++) step[j * K + c] = x[j];
        step[d * K + c] = x[d];
      }
      return step;
    };
    const theta = new Float64Array(P);
    const out: LogisticFit[] = [];
    for (const c of Cs) {
      C = c;
      const r = useNewton
        ? descend(objective, theta, newtonStep, { tol, maxIter: opts.maxIter ?? 200 })
        : descend(objective, theta, lbfgsDirection(memory), { tol, maxIter });
      const m = margins('eval', theta);
      const scores = Array.from({ length: K }, (_, k) => Array.from({ length: nEval }, (_, i) => (active[k] ? m[i * K + k] : 0)));
      out.push({ C, scores, iterations: r.iterations, converged: r.converged, gradInf: r.gradInf });
    }
    return out;
  } finally {
    tf.dispose([Z, ZT]);
  }
}

/**
 * A linear model's objective: margins from θ, the margins' change along a direction of θ, and f (with ∇f) at θ given
 * its margins. A line search then moves the margins by t·(Z·d) in float64 instead of recomputing Z·θ: near the optimum
 * that keeps f's rounding (float32 products) proportional to the step, so Armijo tests still resolve steps whose
 * decrease is far below f's absolute float32 precision.
 */
interface Objective {
  margins(theta: Float64Array): Float64Array;
  marginsAlong(dir: Float64Array): Float64Array;
  value(theta: Float64Array, m: Float64Array, grad?: Float64Array): number;
}

/** A search direction at x from its gradient and margins; `accepted` is told each step taken (L-BFGS keeps pairs). */
interface DirectionRule {
  (g: Float64Array, m: Float64Array): Float64Array;
  accepted?: (s: Float64Array, y: Float64Array) => void;
  reset?: () => void;
}

/**
 * Minimises from `x` (updated in place) along `direction` with a backtracking Armijo line search; a failed search
 * resets the direction rule (L-BFGS: its memory) once before giving up.
 */
function descend(obj: Objective, x: Float64Array, direction: DirectionRule, o: { tol: number; maxIter: number }): { iterations: number; converged: boolean; gradInf: number } {
  const P = x.length;
  direction.reset?.();
  let g = new Float64Array(P), gNew = new Float64Array(P);
  const xNew = new Float64Array(P);
  let m = obj.margins(x);
  let fx = obj.value(x, m, g);
  let restarted = false;
  for (let it = 0; it < o.maxIter; it++) {
    if (infNorm(g) <= o.tol) return { iterations: it, converged: true, gradInf: infNorm(g) };
    const dir = direction(g, m);
    const slope = dot(g, dir);
    const dm = obj.marginsAlong(dir);
    let step = 1, found = false, mNew = m;
    for (let ls = 0; ls < 40 && slope < 0; ls++) {
      for (let i = 0; i < P; i++) xNew[i] = x[i] + step * dir[i];
      mNew = new Float64Array(m.length);
      for (let i = 0; i < m.length; i++) mNew[i] = m[i] + step * dm[i];
      if (obj.value(xNew, mNew) <= fx + 1e-4 * step * slope) { found = true; break; }
      step *= 0.5;
    }
    if (!found) {
      if (restarted || !direction.reset) return { iterations: it + 1, converged: false, gradInf: infNorm(g) };
      direction.reset();
      restarted = true;
      continue;
    }
    restarted = false;
    fx = obj.value(xNew, mNew, gNew);
    if (direction.accepted) {
      const sv = new Float64Array(P), yv = new Float64Array(P);
      for (let i = 0; i < P; i++) { sv[i] = xNew[i] - x[i]; yv[i] = gNew[i] - g[i]; }
      direction.accepted(sv, yv);
    }
    x.set(xNew);
    m = mNew;
    [g, gNew] = [gNew, g];
  }
  return { iterations: o.maxIter, converged: infNorm(g) <= o.tol, gradInf: infNorm(g) };
}

/** L-BFGS directions: the two-loop recursion over the last `memory` pairs with positive curvature. */
function lbfgsDirection(memory: number): DirectionRule {
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const rule: DirectionRule = (g) => {
    const P = g.length, dir = Float64Array.from(g);
    const alpha = new Array<number>(S.length);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], dir);
      for (let i = 0; i < P; i++) dir[i] -= alpha[k] * Y[k][i];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < P; i++) dir[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], dir);
      for (let i = 0; i < P; i++) dir[i] += (alpha[k] - beta) * S[k][i];
    }
    for (let i = 0; i < P; i++) dir[i] = -dir[i];
    if (!(dot(g, dir) < 0)) { // not a descent direction: forget the pairs, take the scaled steepest descent
      rule.reset!();
      const scale = 1 / Math.max(1, Math.sqrt(dot(g, g)));
      for (let i = 0; i < P; i++) dir[i] = -g[i] * scale;
    }
    return dir;
  };
  rule.accepted = (s, y) => {
    const sy = dot(s, y);
    if (!(sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y)))) return;
    S.push(s); Y.push(y); rho.push(1 / sy);
    if (S.length > memory) { S.shift(); Y.shift(); rho.shift(); }
  };
  rule.reset = () => { S.length = 0; Y.length = 0; rho.length = 0; };
  return rule;
}

function infNorm(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) m = Math.max(m, Math.abs(g[i]));
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
