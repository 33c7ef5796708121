/**
 * Error function and the standard normal distribution (= scipy.special.erfc, scipy.stats.norm.cdf / sf).
 * erfc(x) = Q(1/2, x²) for x ≥ 0.5 keeps the upper tail relatively exact (norm.sf(37) ≈ 5.7e-300);
 * for |x| < 0.5 erf's Maclaurin series converges in a few terms.
 */
import { gammaQ } from './gamma';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

function erfSeries(x: number): number {
  // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 60; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

/** Complementary error function erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 0.5) return 1 - erfSeries(x);
  return x > 0 ? gammaQ(0.5, x * x) : 2 - gammaQ(0.5, x * x);
}

/** Error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 0.5) return erfSeries(x);
  return x > 0 ? 1 - gammaQ(0.5, x * x) : gammaQ(0.5, x * x) - 1;
}

/** Standard normal survival function P(Z > z) (= scipy.stats.norm.sf). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Standard normal CDF P(Z ≤ z) (= scipy.stats.norm.cdf, scipy.special.ndtr). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}
