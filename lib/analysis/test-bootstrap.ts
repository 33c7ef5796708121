/**
 * The paired test-set bootstrap — the alternative to the paper's seed CI (barsWithP), for a user who asks how sure the
 * ranking is on THIS test set rather than over head-training seeds (docs/analysis.md, "Seed CI or test-set bootstrap").
 * Each encoder's test scores are averaged over its seeds; its macro AUROC gets a percentile CI from `n` resamples of the
 * test rows; every other encoder is compared with the best one by a paired bootstrap of the difference (the same
 * resampled rows for both, lib/stats pairedBootstrapDiff), whose two-sided p goes where barsWithP puts the t-test's.
 * Same columns as barsWithP, so metricBars and verdictLines take it.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { columnsOf } from '../adapters/grid/selection-metric';
import type { Predictions } from '../eval/protocol';
import { bootstrapCI, pairedBootstrapDiff } from '../stats/bootstrap';
import { formatP } from '../stats/format-p';
import { macroAuroc } from '../stats/macro';

export interface TestBootstrapOptions {
  /** The `dataset` column of the rows. */
  dataset: string;
  /** Resamples of the test rows (default 500). */
  n?: number;
  /** Seed of the resampling (the same rows for every encoder: the comparison is paired). */
  seed: number;
  /** 1 − confidence level (default 0.05). */
  alpha?: number;
}

/** Seed-averaged test scores and the labels of one encoder, as class columns. */
function seedMean(model: string, preds: readonly Predictions[]): { ids: string[]; Y: Float64Array[]; S: Float64Array[] } {
  const test = preds.filter((p) => p.split === 'test' && p.group === '');
  if (!test.length) throw new Error(`testBootstrapBars: ${model} has no test predictions`);
  const { ids, classNames } = test[0];
  const n = ids.length, c = classNames.length;
  for (const p of test) {
    if (p.ids.length !== n || p.ids.some((id, i) => id !== ids[i]) || p.classNames.join('\u0000') !== classNames.join('\u0000')) {
      throw new Error(`testBootstrapBars: ${model} seed ${p.seed} scored other test rows or classes than seed ${test[0].seed}`);
    }
    if (!(p.labels instanceof Float32Array) || p.labels.length !== n * c) throw new Error(`testBootstrapBars: ${model} seed ${p.seed}: multi-label [N, C] labels expected`);
  }
  const sum = new Float64Array(n * c);
  for (const p of test) for (let j = 0; j < n * c; j++) sum[j] += p.scores[j];
  return { ids, Y: columnsOf(test[0].labels, n, c), S: columnsOf(sum.map((v) => v / test.length), n, c) };
}

const auroc = (Y: Float64Array[], S: Float64Array[]): number => macroAuroc(Y, S, { layout: 'classes' }).macro;

/**
 * barsWithP-shaped rows (dataset, model, value, lo, hi, sd, n, p, label, best) from a comparison's predictions: value =
 * macro AUROC of the seed-averaged scores, lo/hi its bootstrap percentile CI, n the test rows, sd NaN (no seed spread),
 * p the paired-bootstrap p against the encoder with the highest value, floored at 2/n ('' label and NaN p for the best). Every encoder
 * must have scored the same test rows in the same order — else the pairing is meaningless and it throws.
 */
export function testBootstrapBars(predictions: ReadonlyMap<string, readonly Predictions[]>, o: TestBootstrapOptions): ColumnTable {
  const models = [...predictions.keys()];
  if (!models.length) throw new Error('testBootstrapBars: no encoders');
  const sets = new Map(models.map((m) => [m, seedMean(m, predictions.get(m)!)]));
  const first = sets.get(models[0])!;
  for (const [m, s] of sets) {
    if (s.ids.length !== first.ids.length || s.ids.some((id, i) => id !== first.ids[i])) {
      throw new Error(`testBootstrapBars: ${m} and ${models[0]} scored different test rows; a paired bootstrap needs the same`);
    }
  }
  const opts = { n: o.n ?? 500, seed: o.seed, alpha: o.alpha };
  const own = new Map(models.map((m) => { const s = sets.get(m)!; return [m, bootstrapCI(auroc, [s.Y, s.S], opts)]; }));
  const best = models.reduce((a, b) => (own.get(b)!.estimate > own.get(a)!.estimate ? b : a));
  const ref = sets.get(best)!;
  return aq.from(models.map((m) => {
    const ci = own.get(m)!;
    const s = sets.get(m)!;
    // n resamples cannot resolve a p below 2/n: a difference that never changed sign reads "p ≤ 2/n", not p = 0
    const p = m === best ? NaN : Math.max(pairedBootstrapDiff(auroc, [s.Y, s.S], [ref.Y, ref.S], opts).p, 2 / opts.n);
    return { dataset: o.dataset, model: m, value: ci.estimate, lo: ci.lo, hi: ci.hi, sd: NaN, n: s.ids.length, p, label: Number.isFinite(p) ? formatP(p) : '', best };
  }));
}
