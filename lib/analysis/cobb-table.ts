/** Table S3: the Cobb-angle regression's test metrics per model and angle, averaged over seeds. */
import type { ColumnTable } from 'arquero';

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
