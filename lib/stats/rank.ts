/**
 * Ranks with ties given their average rank, 1-based (= scipy.stats.rankdata(method='average')),
 * plus the tie term Σ (t³ − t) over tie groups that the normal approximations need.
 */
import { Vector } from './validate';

export function rankAverage(values: Vector): { ranks: Float64Array; tieTerm: number } {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // explicit comparison: a subtraction would give NaN for two equal infinities
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j]] === values[order[i]]) j++;
    const r = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  return { ranks, tieTerm };
}
