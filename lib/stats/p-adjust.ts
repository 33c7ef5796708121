/**
 * Family-wise multiple-comparison adjustments of p-values (= statsmodels multipletests 'bonferroni' / 'holm'
 * adjusted p-values; R p.adjust). Order of the input is kept.
 */
import { Vector } from './validate';

function checkP(fn: string, p: Vector): void {
  if (p.length === 0) throw new Error(`${fn}: p is empty`);
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new Error(`${fn}: p[${i}] is ${p[i]}; expected a probability in [0, 1]`);
  }
}

/** Bonferroni: min(1, m·p_i). */
export function bonferroni(p: Vector): number[] {
  checkP('bonferroni', p);
  return Array.from(p, (v) => Math.min(1, p.length * v));
}

/**
 * Holm step-down: with p sorted ascending p_(1) ≤ … ≤ p_(m), adjusted p_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)).
 */
export function holm(p: Vector): number[] {
  checkP('holm', p);
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]));
    out[i] = running;
  });
  return out;
}
