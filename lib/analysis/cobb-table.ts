/** Table S3: the Cobb-angle regression's test metrics per model and angle, averaged over seeds. */
import type { ColumnTable } from 'arquero';
import { aasceSmape } from '../adapters/regression/smape-loss';
import type { SampleTable } from '../data/types';
import { r2 } from '../stats/regression';

/**
 * Table S3: per model and angle, mean over seeds of Pearson r, r² and (angle 'all') SMAPE: rows model, angle, pearson,
 * r2, smape (SMAPE is over all angles, repeated on each row).
 */
export function cobbTable(table: ColumnTable): Record<string, unknown>[] {
  const rows = table.objects() as Record<string, any>[];
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);
  const models = [...new Set(rows.map((r) => r.model as string))];
  const out: Record<string, unknown>[] = [];
  for (const m of models) {
    const mine = rows.filter((r) => r.model === m && r.split === 'test');
    const smape = mean(mine.filter((r) => r.metric === 'smape').map((r) => r.value));
    const angles = [...new Set(mine.filter((r) => r.metric === 'pearson').map((r) => r.group as string))];
    for (const a of angles) {
      out.push({
        model: m, angle: a,
        pearson: mean(mine.filter((r) => r.group === a && r.metric === 'pearson').map((r) => r.value)),
        r2: mean(mine.filter((r) => r.group === a && r.metric === 'r2').map((r) => r.value)),
        smape_all: smape,
      });
    }
  }
  return out;
}

/** The name of Table S3's floor row. */
export const COBB_FLOOR = 'floor: training mean';

/**
 * Table S3's floor: every test spine predicted at the training split's mean angles. r² is what that constant scores on
 * the test angles (≈ 0, below 0 when the test mean differs), Pearson r is undefined (NaN: a constant has no correlation),
 * SMAPE over all angles as the AASCE challenge computes it — the number an encoder's head must beat to have learned the
 * spine. Rows in cobbTable's shape, one per target of `samples` (its targetNames), `names` renaming them (PT, MT, TL).
 */
export function cobbMeanFloor(samples: SampleTable, names: Readonly<Record<string, string>> = {}): Record<string, unknown>[] {
  const targets = samples.targetNames ?? [];
  if (!targets.length) throw new Error(`cobbMeanFloor: ${samples.dataset} has no target columns`);
  const rows = samples.table.objects() as Record<string, unknown>[];
  const values = (split: string, t: string): number[] => rows.filter((r) => r.split === split).map((r, i) => {
    const v = r[t];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`cobbMeanFloor: ${samples.dataset} ${split} row ${i} (id ${String(r.id)}) field ${t} is ${String(v)}`);
    return v;
  });
  const train = targets.map((t) => values('train', t));
  const test = targets.map((t) => values('test', t));
  if (!train[0].length || test[0].length < 2) throw new Error(`cobbMeanFloor: ${samples.dataset} needs train rows and ≥ 2 test rows`);
  const means = train.map((v) => v.reduce((s, x) => s + x, 0) / v.length);
  const n = test[0].length, j = targets.length;
  const pred = new Float64Array(n * j), truth = new Float64Array(n * j);
  for (let i = 0; i < n; i++) for (let k = 0; k < j; k++) { pred[i * j + k] = means[k]; truth[i * j + k] = test[k][i]; }
  const smape = aasceSmape(pred, truth, j);
  return targets.map((t, k) => ({
    model: COBB_FLOOR, angle: names[t] ?? t, pearson: NaN, r2: r2(test[k], new Float64Array(n).fill(means[k])), smape_all: smape,
  }));
}
