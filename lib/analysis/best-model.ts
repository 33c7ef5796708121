/** Which encoder a qualitative panel shows: the best by mean value of a summary table. */
import type { ColumnTable } from 'arquero';

/**
 * The encoder with the highest mean `value` over the rows of a summary table (e.g. a barsWithP table, averaged over its
 * x groups) — which encoder a qualitative panel shows. Throws on an empty table.
 */
export function bestModel(table: ColumnTable | Record<string, unknown>[], where: (row: Record<string, any>) => boolean = () => true): string {
  const rows = (Array.isArray(table) ? table : table.objects() as Record<string, any>[]).filter(where);
  const m = new Map<string, number[]>();
  for (const r of rows) if (Number.isFinite(r.value)) m.set(String(r.model), [...(m.get(String(r.model)) ?? []), r.value as number]);
  if (!m.size) throw new Error('bestModel: no row with a finite value');
  return [...m].map(([model, v]) => ({ model, mean: v.reduce((s, x) => s + x, 0) / v.length })).sort((a, b) => b.mean - a.mean)[0].model;
}
