/**
 * Mann-Whitney U test (= scipy.stats.mannwhitneyu, scipy 1.10 semantics), used for the paper's sex-bias
 * comparison over 20 folds (Fig. 4c).
 * - statistic: U of the FIRST sample, U1 = R1 − n1(n1+1)/2 with average ranks.
 * - 'asymptotic': normal approximation with tie correction, σ² = n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1))),
 *   continuity correction 0.5 (useContinuity, default true).
 * - 'exact': the null distribution of U without tie correction (scipy's _mwu_state, recurrence of
 *   Di Bucchianico 1999 Thm 2.5). We get the same numbers from the equivalent Gaussian-binomial product
 *   Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i) (Andrews; Harding 1984), normalised at each step so nothing overflows:
 *   O(min(n1,n2) · n1·n2) instead of scipy's O(n1·n2·U). As in scipy, a non-integer U (ties) is truncated.
 * - 'auto' (scipy 1.10): exact when min(n1, n2) ≤ 8 — i.e. NOT both > 8 — and there are no ties; else asymptotic.
 * - p: one-sided from the survival function of U1 ('greater') or U2 ('less'); two-sided = 2·sf(max(U1, U2)),
 *   clipped to [0, 1].
 */
import { Alternative, checkAlternative } from './alternative';
import { rankAverage } from './rank';
import { normalSf } from './special/normal';
import { checkSample, Vector } from './validate';

/** Largest n1·n2 for method 'exact' (the distribution array holds up to n1·n2 + 1 doubles). */
const EXACT_MAX_CELLS = 5e7;

export interface MannWhitneyOptions {
  alternative?: Alternative;
  method?: 'auto' | 'exact' | 'asymptotic';
  useContinuity?: boolean;
}

export interface MannWhitneyResult {
  /** U statistic of the first sample. */
  U: number;
  p: number;
  /** The method actually used ('auto' resolved). */
  method: 'exact' | 'asymptotic';
}

/**
 * P(U ≤ k) for U the Mann-Whitney statistic of samples of sizes n1, n2 under H0 (no ties).
 * Coefficients of the Gaussian binomial [n1+n2 choose m]_q / C(n1+n2, m), truncated at q^k.
 */
export function mannWhitneyExactCdf(k: number, n1: number, n2: number): number {
  if (k < 0) return 0;
  if (k >= n1 * n2) return 1;
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const dist = new Float64Array(k + 1);
  dist[0] = 1;
  for (let i = 1; i <= m; i++) {
    // × (1 − q^{n+i}): descending so each read is the old value
    for (let j = k; j >= n + i; j--) dist[j] -= dist[j - n - i];
    // ÷ (1 − q^i) = × Σ q^{i·r}: ascending running sum with stride i
    for (let j = i; j <= k; j++) dist[j] += dist[j - i];
    // normalise by C(n+i, i) / C(n+i−1, i−1) = (n+i)/i so the total mass stays 1
    const scale = i / (n + i);
    for (let j = 0; j <= k; j++) dist[j] *= scale;
  }
  let cdf = 0;
  for (let j = 0; j <= k; j++) cdf += dist[j];
  return Math.min(cdf, 1);
}

export function mannWhitneyU(x: Vector, y: Vector, opts: MannWhitneyOptions = {}): MannWhitneyResult {
  const fn = 'mannWhitneyU';
  // NaN and ±Infinity are refused (scipy 1.10 refuses NaN and breaks on ±inf: rankdata yields NaN ranks)
  checkSample(fn, 'x', x);
  checkSample(fn, 'y', y);
  const alternative = opts.alternative ?? 'two-sided';
  checkAlternative(fn, alternative);
  const requested = opts.method ?? 'auto';
  if (!['auto', 'exact', 'asymptotic'].includes(requested)) throw new Error(`${fn}: invalid method: ${requested}`);
  const useContinuity = opts.useContinuity ?? true;
  const n1 = x.length;
  const n2 = y.length;
  const xy = new Float64Array(n1 + n2);
  for (let i = 0; i < n1; i++) xy[i] = x[i];
  for (let i = 0; i < n2; i++) xy[n1 + i] = y[i];
  const { ranks, tieTerm } = rankAverage(xy);
  let method: 'exact' | 'asymptotic';
  if (requested === 'auto') method = (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact';
  else method = requested;

  let R1 = 0;
  for (let i = 0; i < n1; i++) R1 += ranks[i];
  const U1 = R1 - (n1 * (n1 + 1)) / 2;
  const U2 = n1 * n2 - U1;
  const U = alternative === 'greater' ? U1 : alternative === 'less' ? U2 : Math.max(U1, U2);
  const f = alternative === 'two-sided' ? 2 : 1;

  let p: number;
  if (method === 'exact') {
    if (n1 * n2 > EXACT_MAX_CELLS) {
      throw new Error(`${fn}: method 'exact' with n1·n2 = ${n1 * n2} > ${EXACT_MAX_CELLS} is too large; use 'asymptotic'`);
    }
    // sf(U) = P(U' ≥ U) = cdf(n1·n2 − U) by symmetry; scipy truncates U with astype(int)
    p = mannWhitneyExactCdf(n1 * n2 - Math.trunc(U), n1, n2);
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const numerator = U - (n1 * n2) / 2 - (useContinuity ? 0.5 : 0);
    p = normalSf(numerator / s);
  }
  p = Math.min(Math.max(p * f, 0), 1);
  return { U: U1, p, method };
}

/**
 * The smallest two-sided Mann-Whitney p two groups of `n1` and `n2` folds can reach (perfect separation, through the same
 * mannWhitneyU the tests use): with 5 folds per group no fold table can show p below 0.0079, so a figure states it.
 */
export function smallestMannWhitneyP(n1: number, n2: number = n1): number {
  if (!(Number.isInteger(n1) && Number.isInteger(n2) && n1 >= 1 && n2 >= 1)) throw new Error(`smallestMannWhitneyP: group sizes ${n1}, ${n2}; expected positive integers`);
  return mannWhitneyU(Array.from({ length: n1 }, (_, i) => i), Array.from({ length: n2 }, (_, i) => n1 + i)).p;
}
