/**
 * Summary of a tidy ResultTable (lib/eval/result-table.ts) over seeds / folds, in arquero's verb style: table first, a new
 * table returned, nothing mutated. Grouped by `by`, each group's finite values give mean, sd (sample, ddof = 1, as
 * pandas; NaN for one value), n, min, max; `missing` counts the NaN / null values left out.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';

export interface SliceTableOptions {
  /** Keep only this metric (or these metrics). */
  metric?: string | readonly string[];
  /** Keep only rows whose columns equal these values, e.g. { split: 'test', task: 'bias-sex' }. */
  where?: Record<string, string | number>;
  /** Column holding the numbers (default 'value'). */
  value?: string;
}

export const SUMMARY_COLUMNS = ['mean', 'sd', 'n', 'min', 'max', 'missing'] as const;

/**
 * @example sliceTable(result.table, ['model', 'group'], { metric: 'auroc', where: { split: 'test' } })
 * // model, group, mean, sd, n, min, max, missing
 */
export function sliceTable(table: ColumnTable, by: readonly string[], opts: SliceTableOptions = {}): ColumnTable {
  const fn = 'sliceTable';
  const value = opts.value ?? 'value';
  const cols = table.columnNames();
  for (const c of [...by, value, ...Object.keys(opts.where ?? {}), ...(opts.metric !== undefined ? ['metric'] : [])]) {
    if (!cols.includes(c)) throw new Error(`${fn}: table has no column '${c}' (columns: ${cols.join(', ')})`);
  }
  for (const c of by) if (SUMMARY_COLUMNS.includes(c as typeof SUMMARY_COLUMNS[number])) throw new Error(`${fn}: cannot group by '${c}', a summary column name`);
  const metrics = opts.metric === undefined ? null : new Set(typeof opts.metric === 'string' ? [opts.metric] : opts.metric);
  const where = Object.entries(opts.where ?? {});
  const objects = table.objects() as Record<string, unknown>[];
  const groups = new Map<string, { key: unknown[]; values: number[]; missing: number }>();
  for (const r of objects) {
    if (metrics && !metrics.has(String(r.metric))) continue;
    if (where.some(([c, v]) => r[c] !== v)) continue;
    const key = by.map((c) => r[c]);
    const k = JSON.stringify(key);
    let g = groups.get(k);
    if (!g) { g = { key, values: [], missing: 0 }; groups.set(k, g); }
    const v = r[value];
    if (typeof v === 'number' && Number.isFinite(v)) g.values.push(v); else g.missing++;
  }
  const out: Record<string, unknown[]> = Object.fromEntries([...by, ...SUMMARY_COLUMNS].map((c) => [c, []]));
  for (const g of groups.values()) { // first-seen order, as pandas groupby(sort=False)
    by.forEach((c, i) => out[c].push(g.key[i]));
    const n = g.values.length;
    const mean = n ? g.values.reduce((s, x) => s + x, 0) / n : NaN;
    out.mean.push(mean);
    out.sd.push(n > 1 ? Math.sqrt(g.values.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1)) : NaN);
    out.n.push(n);
    out.min.push(n ? Math.min(...g.values) : NaN);
    out.max.push(n ? Math.max(...g.values) : NaN);
    out.missing.push(g.missing);
  }
  return aq.table(out);
}
