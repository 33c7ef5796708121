/**
 * From per-seed (or per-fold) tidy results (lib/eval/result-table.ts) to what a figure or table shows, in arquero's verb
 * style (table first, a new table returned, nothing mutated; groups in first-seen order, as pandas groupby(sort=False)):
 * - `summariseBy`: mean, sd (sample, ddof = 1, as pandas; NaN for one value), n, min, max, missing per group;
 * - `summariseSeeds`: mean over seeds with a 95 % Student-t interval (the protocol's bootstrap CI for a single seed);
 * - `pValuesVsReference`: the paper's p-value annotations, two-sided Student t-test over seeds against a reference encoder.
 * Every group's values are collected by `groupby().rollup()`; means are plain sums over the values in row order, so the
 * numbers equal numpy's / scipy's to the last bit that a sum in that order gives.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { tQuantile } from '../stats/special/student-t';
import { tTest } from '../stats/t-test';
import { formatP } from '../stats/format-p';

const op = aq.op;

/** Mean and sample SD (ddof = 1) of the finite numbers of `values`, and how many there are; NaN where undefined. */
export function finiteMoments(values: readonly unknown[]): { mean: number; sd: number; n: number; finite: number[] } {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = finite.length;
  const mean = n ? finite.reduce((s, x) => s + x, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(finite.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1)) : NaN;
  return { mean, sd, n, finite };
}

export interface SummariseByOptions {
  /** Keep only this metric (or these metrics). */
  metric?: string | readonly string[];
  /** Keep only rows whose columns equal these values, e.g. { split: 'test', task: 'bias-sex' }. */
  where?: Record<string, string | number>;
  /** Column holding the numbers (default 'value'). */
  value?: string;
}

export const SUMMARY_COLUMNS = ['mean', 'sd', 'n', 'min', 'max', 'missing'] as const;

/**
 * Grouped by `by`, each group's finite values give mean, sd, n, min, max; `missing` counts the NaN / null / infinite
 * values left out.
 * @example summariseBy(result.table, ['model', 'group'], { metric: 'auroc', where: { split: 'test' } })
 * // model, group, mean, sd, n, min, max, missing
 */
export function summariseBy(table: ColumnTable, by: readonly string[], opts: SummariseByOptions = {}): ColumnTable {
  const fn = 'summariseBy';
  const value = opts.value ?? 'value';
  const cols = table.columnNames();
  for (const c of [...by, value, ...Object.keys(opts.where ?? {}), ...(opts.metric !== undefined ? ['metric'] : [])]) {
    if (!cols.includes(c)) throw new Error(`${fn}: table has no column '${c}' (columns: ${cols.join(', ')})`);
  }
  for (const c of by) if (SUMMARY_COLUMNS.includes(c as typeof SUMMARY_COLUMNS[number])) throw new Error(`${fn}: cannot group by '${c}', a summary column name`);
  const metrics = opts.metric === undefined ? null : new Set(typeof opts.metric === 'string' ? [opts.metric] : opts.metric);
  const where = Object.entries(opts.where ?? {});
  const kept = table.filter(aq.escape((d: Record<string, unknown>) => (!metrics || metrics.has(String(d.metric))) && where.every(([c, v]) => d[c] === v)));
  if (kept.numRows() === 0) return aq.table(Object.fromEntries([...by, ...SUMMARY_COLUMNS].map((c) => [c, []])));
  return kept.groupby([...by]).rollup({ values: op.array_agg(value), rows: op.count() })
    .derive({ m: aq.escape((d: { values: unknown[] }) => finiteMoments(d.values)) })
    .derive({
      mean: aq.escape((d: { m: ReturnType<typeof finiteMoments> }) => d.m.mean),
      sd: aq.escape((d: { m: ReturnType<typeof finiteMoments> }) => d.m.sd),
      n: aq.escape((d: { m: ReturnType<typeof finiteMoments> }) => d.m.n),
      min: aq.escape((d: { m: ReturnType<typeof finiteMoments> }) => (d.m.n ? Math.min(...d.m.finite) : NaN)),
      max: aq.escape((d: { m: ReturnType<typeof finiteMoments> }) => (d.m.n ? Math.max(...d.m.finite) : NaN)),
      missing: aq.escape((d: { m: ReturnType<typeof finiteMoments>; rows: number }) => d.rows - d.m.n),
    })
    .select([...by, ...SUMMARY_COLUMNS]);
}

export interface SummariseOptions {
  /** Columns identifying one bar (e.g. ['model', 'dataset']). */
  by: string[];
  metric: string;
  /** Keep only rows with this group (e.g. 'macro'); undefined keeps every group (add 'group' to `by`). */
  group?: string;
  split?: string;
  level?: number;
}

/**
 * Mean ± t-interval over seeds per `by` group: columns ...by, value (mean), sd, n, lo, hi, missing. With a single seed
 * the interval is the protocol's bootstrap CI (`<metric>_ci_lo/_ci_hi` rows) when present, else lo = hi = NaN — shown
 * as no whisker, never as a fake zero-width interval. NaN values (a skipped class) are left out of the mean and counted
 * in `missing`.
 */
export function summariseSeeds(table: ColumnTable, opts: SummariseOptions): ColumnTable {
  const level = opts.level ?? 0.95;
  const m = opts.metric, mLo = `${m}_ci_lo`, mHi = `${m}_ci_hi`;
  const kept = table.filter(aq.escape((d: Record<string, unknown>) => (opts.split === undefined || d.split === opts.split)
    && (opts.group === undefined || d.group === opts.group) && (d.metric === m || d.metric === mLo || d.metric === mHi)));
  if (kept.numRows() === 0) throw new Error(`summariseSeeds: no rows with metric '${m}'${opts.group ? ` and group '${opts.group}'` : ''}`);
  type Rolled = { values: unknown[]; rows: number; ciLo: number[]; ciHi: number[]; loRows: number; hiRows: number };
  const interval = (d: Rolled): [number, number] => {
    const s = finiteMoments(d.values);
    if (s.n > 1) {
      const h = tQuantile(level, s.n - 1) * s.sd / Math.sqrt(s.n);
      return [s.mean - h, s.mean + h];
    }
    // exactly one CI row each (array_agg drops a NaN bound, which stays NaN here)
    return s.n === 1 && d.loRows === 1 && d.hiRows === 1 ? [d.ciLo[0] ?? NaN, d.ciHi[0] ?? NaN] : [NaN, NaN];
  };
  return kept.params({ m, mLo, mHi }).groupby(opts.by).rollup({
    values: (d: any, $: any) => op.array_agg(d.metric === $.m ? d.value : undefined), // eslint-disable-line @typescript-eslint/no-explicit-any
    rows: (d: any, $: any) => op.sum(d.metric === $.m ? 1 : 0), // eslint-disable-line @typescript-eslint/no-explicit-any
    ciLo: (d: any, $: any) => op.array_agg(d.metric === $.mLo ? d.value : undefined), // eslint-disable-line @typescript-eslint/no-explicit-any
    ciHi: (d: any, $: any) => op.array_agg(d.metric === $.mHi ? d.value : undefined), // eslint-disable-line @typescript-eslint/no-explicit-any
    loRows: (d: any, $: any) => op.sum(d.metric === $.mLo ? 1 : 0), // eslint-disable-line @typescript-eslint/no-explicit-any
    hiRows: (d: any, $: any) => op.sum(d.metric === $.mHi ? 1 : 0), // eslint-disable-line @typescript-eslint/no-explicit-any
  }).derive({
    value: aq.escape((d: Rolled) => finiteMoments(d.values).mean),
    sd: aq.escape((d: Rolled) => finiteMoments(d.values).sd),
    n: aq.escape((d: Rolled) => finiteMoments(d.values).n),
    lo: aq.escape((d: Rolled) => interval(d)[0]),
    hi: aq.escape((d: Rolled) => interval(d)[1]),
    missing: aq.escape((d: Rolled) => d.rows - finiteMoments(d.values).n),
  }).select([...opts.by, 'value', 'sd', 'n', 'lo', 'hi', 'missing']);
}

export interface PValueOptions {
  by: string[];          // e.g. ['dataset']: one comparison per dataset
  metric: string;
  group?: string;
  split?: string;
  model?: string;        // column with the encoder name (default 'model')
  /** Encoder every other is compared with; default: the best mean within each `by` group. */
  reference?: string;
}

/**
 * Two-sided Student t-test (scipy.stats.ttest_ind, equal variances) over seeds of each encoder against the reference
 * encoder, per `by` group → columns ...by, model, reference, p, label ('p ≤ 1e-5' style; '' for the reference itself).
 * The reference is the first encoder with the highest mean within each group unless `reference` names one.
 */
export function pValuesVsReference(table: ColumnTable, opts: PValueOptions): ColumnTable {
  const mcol = opts.model ?? 'model';
  const kept = table.filter(aq.escape((d: Record<string, unknown>) => d.metric === opts.metric && (opts.group === undefined || d.group === opts.group)
    && (opts.split === undefined || d.split === opts.split) && Number.isFinite(d.value as number)));
  if (kept.numRows() === 0) return aq.table(Object.fromEntries([...opts.by, mcol, 'reference', 'p', 'label'].map((c) => [c, []])));
  // rows in the order of the old per-group loop: groups by first row, encoders by first row within their group
  const perModel = kept.derive({ _model: aq.escape((d: Record<string, unknown>) => String(d[mcol])), _row: () => op.row_number() })
    .groupby(opts.by).derive({ _group_row: (d: { _row: number }) => op.min(d._row) })
    .groupby([...opts.by, '_model']).rollup({ values: op.array_agg('value'), _group_row: op.min('_group_row'), _model_row: op.min('_row') })
    .derive({ mean: aq.escape((d: { values: number[] }) => d.values.reduce((a, b) => a + b, 0) / d.values.length) });
  const references = opts.reference !== undefined
    ? perModel.groupby(opts.by).rollup({ _n: op.count() }).derive({ reference: aq.escape(() => opts.reference) }).select([...opts.by, 'reference'])
    : perModel.groupby(opts.by).rollup({ models: op.array_agg('_model'), means: op.array_agg('mean') })
      .derive({ reference: aq.escape((d: { models: string[]; means: number[] }) => d.models[d.means.indexOf(Math.max(...d.means))]) })
      .select([...opts.by, 'reference']);
  const refValues = perModel.select([...opts.by, '_model', 'values']).rename({ _model: 'reference', values: 'ref_values' });
  const keys = [...opts.by];
  type Row = { _model: string; reference: string; values: number[]; ref_values?: number[] };
  const p = (d: Row) => (d._model !== d.reference && d.ref_values && d.values.length > 1 && d.ref_values.length > 1
    ? tTest(d.ref_values, d.values, { equalVar: true }).p : NaN);
  return perModel.join_left(references, [keys, keys]).join_left(refValues, [[...keys, 'reference'], [...keys, 'reference']])
    .derive({ p: aq.escape(p) })
    .derive({ label: aq.escape((d: { p: number }) => (Number.isFinite(d.p) ? formatP(d.p) : '')) })
    .orderby('_group_row', '_model_row')
    .rename({ _model: mcol })
    .select([...opts.by, mcol, 'reference', 'p', 'label']);
}
