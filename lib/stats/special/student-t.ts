/**
 * Student t distribution (= scipy.special.stdtr, scipy.stats.t.sf) through the incomplete beta function:
 * P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) for t > 0. Both x and 1 − x are formed without cancellation.
 */
import { betaIncPair } from './beta';

/** P(T > t) for T ~ Student t with ν = df > 0 degrees of freedom (non-integer ν allowed: Welch). */
export function studentTSf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`studentTSf: df must be > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  // tail = P(|T| > |t|) / 2
  const { value } = betaIncPair(df / 2, 0.5, x, y);
  const tail = 0.5 * value;
  return t > 0 ? tail : 1 - tail;
}

/** P(T ≤ t) (= scipy.special.stdtr(df, t)). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** Two-sided Student t quantile t_{1-(1-level)/2, df} by bisection on the CDF (df ≥ 1). */
export function tQuantile(level: number, df: number): number {
  const target = 1 - (1 - level) / 2;
  let lo = 0, hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < target) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}
