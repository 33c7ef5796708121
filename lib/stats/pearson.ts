/**
 * Pearson correlation with its p-value (= scipy.stats.pearsonr 1.10): r = ⟨x̃/‖x̃‖, ỹ/‖ỹ‖⟩ of the centred
 * vectors; under H0, (r + 1)/2 ~ Beta(n/2 − 1, n/2 − 1), so the two-sided p = 2·I_{(1−|r|)/2}(n/2−1, n/2−1).
 * n = 2 gives r = ±1 and p = 1 (as scipy).
 */
import { UndefinedMetricError } from './errors';
import { Alternative, checkAlternative } from './alternative';
import { betaIncPair } from './special/beta';
import { assertSameLength, checkSample, Vector } from './validate';

function norm2(v: Float64Array): number {
  // scaled sum of squares, so huge values do not overflow (as scipy.linalg.norm)
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) { const w = v[i] / scale; s += w * w; }
  return scale * Math.sqrt(s);
}

/** @throws UndefinedMetricError when x or y is constant (scipy returns NaN with a warning). */
export function pearson(x: Vector, y: Vector, opts: { alternative?: Alternative } = {}): { r: number; p: number } {
  const fn = 'pearson';
  checkSample(fn, 'x', x, 2);
  checkSample(fn, 'y', y, 2);
  assertSameLength(fn, 'x', x, 'y', y);
  const alternative = opts.alternative ?? 'two-sided';
  checkAlternative(fn, alternative);
  const n = x.length;
  let cx = true;
  let cy = true;
  for (let i = 1; i < n; i++) { if (x[i] !== x[0]) cx = false; if (y[i] !== y[0]) cy = false; }
  if (cx || cy) throw new UndefinedMetricError(`${fn}: ${cx ? 'x' : 'y'} is constant; the correlation is undefined`);
  if (n === 2) return { r: Math.sign(x[1] - x[0]) * Math.sign(y[1] - y[0]), p: 1 };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n;
  my /= n;
  const xm = new Float64Array(n);
  const ym = new Float64Array(n);
  for (let i = 0; i < n; i++) { xm[i] = x[i] - mx; ym[i] = y[i] - my; }
  const nx = norm2(xm);
  const ny = norm2(ym);
  let r = 0;
  for (let i = 0; i < n; i++) r += (xm[i] / nx) * (ym[i] / ny);
  r = Math.max(Math.min(r, 1), -1);
  const ab = n / 2 - 1;
  // sf of Beta(ab, ab) on [−1, 1] at r = I_{(1−r)/2}(ab, ab), by symmetry
  const sf = (v: number): number => betaIncPair(ab, ab, (1 - v) / 2, (1 + v) / 2).value;
  let p: number;
  if (alternative === 'two-sided') p = Math.min(2 * sf(Math.abs(r)), 1);
  else if (alternative === 'greater') p = sf(r);
  else p = sf(-r);
  return { r, p };
}
