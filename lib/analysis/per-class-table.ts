/**
 * The wide per-class table of the paper's supplementary results: one row per class (the ResultTable's `group`), one column
 * per model, cells 'mean ± sd' of the metric over seeds (and folds) — ready for lib/report's saveTable (CSV / Markdown /
 * LaTeX). The macro row, when present, comes last. The rows must come from one (task, dataset, split): otherwise pass
 * `where` to pick one — mixing them in one mean would be meaningless.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { summariseBy } from './summarise';

export interface PerClassOptions {
  /** Default 'auroc'. */
  metric?: string;
  /** Models (columns), in order (default: as they first appear). */
  models?: readonly string[];
  /** Classes (rows), in order (default: as they first appear, the macro row last). */
  classes?: readonly string[];
  /** Keep the 'macro' row (default true). */
  macro?: boolean;
  where?: Record<string, string | number>;
  /** Decimals (default 3). */
  digits?: number;
  /** Numeric cells instead of text: a `<model>` (mean) and a `<model> sd` column per model. */
  numeric?: boolean;
}

const MACRO = 'macro';

/**
 * @example
 * const t = perClassTable(result.table, { metric: 'auroc', models: ['raydino', 'supervised'] });
 * await saveTable(t, 'table-s3-per-class-auroc');
 */
export function perClassTable(table: ColumnTable, opts: PerClassOptions = {}): ColumnTable {
  const fn = 'perClassTable';
  const metric = opts.metric ?? 'auroc';
  const digits = opts.digits ?? 3;
  for (const c of ['model', 'group', 'metric', 'value']) if (!table.columnNames().includes(c)) throw new Error(`${fn}: table has no '${c}' column (not a ResultTable?)`);
  const where = opts.where ?? {};
  const rows = (table.objects() as Record<string, unknown>[]).filter((r) => r.metric === metric && Object.entries(where).every(([c, v]) => r[c] === v));
  if (rows.length === 0) throw new Error(`${fn}: no rows with metric '${metric}'${Object.keys(where).length ? ` and ${JSON.stringify(where)}` : ''}`);
  const contexts = new Set(rows.map((r) => ['task', 'dataset', 'split'].map((c) => String(r[c] ?? '')).join(' / ')));
  if (contexts.size > 1) throw new Error(`${fn}: rows come from several (task / dataset / split): ${[...contexts].join('; ')}; pass where: { task, dataset, split } to pick one`);
  const models = opts.models ?? [...new Set(rows.map((r) => String(r.model)))];
  for (const m of models) if (!rows.some((r) => r.model === m)) throw new Error(`${fn}: no '${metric}' rows for model '${m}'`);
  const seen = [...new Set(rows.map((r) => String(r.group)))];
  const classes = opts.classes ?? [...seen.filter((g) => g !== MACRO), ...(seen.includes(MACRO) && (opts.macro ?? true) ? [MACRO] : [])];
  const summary = summariseBy(table, ['model', 'group'], { metric, where }).objects() as { model: string; group: string; mean: number; sd: number }[];
  const cell = (m: string, g: string) => summary.find((s) => s.model === m && s.group === g);
  const out: Record<string, unknown[]> = { class: [...classes] };
  for (const m of models) {
    if (opts.numeric) {
      out[m] = classes.map((g) => cell(m, g)?.mean ?? NaN);
      out[`${m} sd`] = classes.map((g) => cell(m, g)?.sd ?? NaN);
    } else {
      out[m] = classes.map((g) => {
        const s = cell(m, g);
        if (!s || !Number.isFinite(s.mean)) return '–';
        return Number.isFinite(s.sd) ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits);
      });
    }
  }
  return aq.table(out);
}
