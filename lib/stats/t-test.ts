/**
 * Student and Welch two-sample t-tests (= scipy.stats.ttest_ind) and the paired t-test (= scipy.stats.ttest_rel),
 * used for the paper's 5-seed comparisons. p from the Student t distribution (special/student-t.ts), so tiny
 * p-values (1e-12 and below) keep their relative accuracy.
 */
import { Alternative, checkAlternative } from './alternative';
import { studentTSf } from './special/student-t';
import { assertSameLength, checkSample, Vector } from './validate';

export interface TTestResult {
  t: number;
  df: number;
  p: number;
}

/** Mean and unbiased variance (ddof = 1), two-pass like numpy. */
export function meanVar(v: Vector): { mean: number; variance: number } {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) { const d = v[i] - mean; ss += d * d; }
  return { mean, variance: ss / (n - 1) };
}

function pValue(t: number, df: number, alternative: Alternative): number {
  if (Number.isNaN(t)) return NaN;
  if (alternative === 'less') return studentTSf(-t, df);
  if (alternative === 'greater') return studentTSf(t, df);
  return Math.min(2 * studentTSf(Math.abs(t), df), 1);
}

/**
 * Independent two-sample t-test. equalVar true (default, as scipy) = Student with pooled variance,
 * df = n1 + n2 − 2; false = Welch, Welch–Satterthwaite df. Both samples constant → t and p NaN (as scipy).
 * @example tTest([1, 2, 3, 4], [3, 4, 5, 6, 7], { equalVar: false })
 */
export function tTest(a: Vector, b: Vector, opts: { equalVar?: boolean; alternative?: Alternative } = {}): TTestResult {
  const fn = 'tTest';
  checkSample(fn, 'a', a, 2);
  checkSample(fn, 'b', b, 2);
  const alternative = opts.alternative ?? 'two-sided';
  checkAlternative(fn, alternative);
  const n1 = a.length;
  const n2 = b.length;
  const A = meanVar(a);
  const B = meanVar(b);
  let df: number;
  let denom: number;
  if (opts.equalVar ?? true) {
    df = n1 + n2 - 2;
    const svar = ((n1 - 1) * A.variance + (n2 - 1) * B.variance) / df;
    denom = Math.sqrt(svar * (1 / n1 + 1 / n2));
  } else {
    const vn1 = A.variance / n1;
    const vn2 = B.variance / n2;
    df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
    if (Number.isNaN(df)) df = 1; // both variances zero: scipy sets df = 1 (t is NaN or ±inf anyway)
    denom = Math.sqrt(vn1 + vn2);
  }
  const t = (A.mean - B.mean) / denom;
  return { t, df, p: pValue(t, df, alternative) };
}

/**
 * Two-sided Student t-test (equal variances) from summary statistics (= scipy.stats.ttest_ind_from_stats with
 * equal_var=True): for tables that keep mean, sample SD and n per bar but not the seeds. NaN when n < 2 on a side.
 */
export function tTestFromStats(meanA: number, sdA: number, nA: number, meanB: number, sdB: number, nB: number): TTestResult {
  if (!(nA >= 2 && nB >= 2) || ![meanA, sdA, meanB, sdB].every(Number.isFinite)) return { t: NaN, df: NaN, p: NaN };
  const df = nA + nB - 2;
  const svar = ((nA - 1) * sdA * sdA + (nB - 1) * sdB * sdB) / df;
  const t = (meanA - meanB) / Math.sqrt(svar * (1 / nA + 1 / nB));
  return { t, df, p: pValue(t, df, 'two-sided') };
}

/**
 * Two-sided one-sample t-test of a mean against a fixed value `mu` from summary statistics (= scipy.stats.ttest_1samp on
 * the samples): an encoder's seeds against a figure's floor, which has no spread of its own. df = n − 1; NaN when n < 2
 * or sd is 0.
 */
export function oneSampleTTestFromStats(mean: number, sd: number, n: number, mu: number): TTestResult {
  if (!(n >= 2) || !(sd > 0) || ![mean, mu].every(Number.isFinite)) return { t: NaN, df: NaN, p: NaN };
  const df = n - 1;
  const t = (mean - mu) / (sd / Math.sqrt(n));
  return { t, df, p: pValue(t, df, 'two-sided') };
}

/** Paired t-test on a[i] − b[i] (= scipy.stats.ttest_rel), df = n − 1. */
export function pairedTTest(a: Vector, b: Vector, opts: { alternative?: Alternative } = {}): TTestResult {
  const fn = 'pairedTTest';
  checkSample(fn, 'a', a, 2);
  checkSample(fn, 'b', b, 2);
  assertSameLength(fn, 'a', a, 'b', b);
  const alternative = opts.alternative ?? 'two-sided';
  checkAlternative(fn, alternative);
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  const D = meanVar(d);
  const t = D.mean / Math.sqrt(D.variance / n);
  return { t, df: n - 1, p: pValue(t, n - 1, alternative) };
}
