/**
 * Dataset demographics per split (and optionally per population or any column): the paper's Table S2 — images, patients,
 * % female, age mean (SD), % no finding. Conventions (pandas defaults, so the numbers match a pandas notebook):
 *   - n_patients: distinct `patient` values;
 *   - pct_female: 100·F / (F + M) over rows with a known sex (n_sex_known says how many);
 *   - age_mean, age_sd: over rows with a known age (n_age_known), sample SD with ddof = 1 (pandas Series.std());
 *   - pct_no_finding: no-finding.ts's rule, 100·rows / n_images (NaN for a dataset without finding labels).
 * A row with split 'all' per group summarises every split (option total).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { noFindingFlags, noFindingRule } from './no-finding';

export interface DemographicsOptions {
  /** Splits, in order (default: those present, train / val / test first). */
  splits?: readonly string[];
  /** Extra grouping column(s), e.g. 'population'. */
  groupBy?: string | readonly string[];
  /** Add a split = 'all' row per group (default true). */
  total?: boolean;
  /** 'auto' (default), 'column' or 'all-zero' — see no-finding.ts. */
  noFinding?: 'auto' | 'column' | 'all-zero';
  /** Finding labels for the all-zero rule (default: every label but No Finding / Support Devices). */
  findingLabels?: readonly string[];
}

export const DEMOGRAPHIC_COLUMNS = ['n_images', 'n_patients', 'n_sex_known', 'pct_female', 'n_age_known', 'age_mean', 'age_sd', 'pct_no_finding'] as const;

/**
 * @example
 * const t = demographicsTable(samples, { groupBy: 'population' });
 * showTable(formatDemographics(t));
 */
export function demographicsTable(samples: SampleTable, opts: DemographicsOptions = {}): ColumnTable {
  const fn = 'demographicsTable';
  const t = samples.table;
  const names = t.columnNames();
  for (const c of ['split', 'patient', 'sex', 'age']) if (!names.includes(c)) throw new Error(`${fn}: dataset ${samples.dataset} has no '${c}' column`);
  const by = opts.groupBy === undefined ? [] : typeof opts.groupBy === 'string' ? [opts.groupBy] : [...opts.groupBy];
  for (const c of by) if (!names.includes(c)) throw new Error(`${fn}: dataset ${samples.dataset} has no column '${c}' to group by`);
  const split = Array.from(t.array('split') as ArrayLike<string>, String);
  const present = [...new Set(split)];
  const splits = opts.splits ?? [...['train', 'val', 'test'].filter((s) => present.includes(s)), ...present.filter((s) => !['train', 'val', 'test'].includes(s)).sort()];
  const patient = t.array('patient') as ArrayLike<unknown>;
  const sex = t.array('sex') as ArrayLike<unknown>;
  const age = t.array('age') as ArrayLike<number | null>;
  const rule = noFindingRule(samples, opts.noFinding, opts.findingLabels);
  const nf = noFindingFlags(samples, rule);
  const keyCols = by.map((c) => Array.from(t.array(c) as ArrayLike<unknown>, (v) => (v === null || v === undefined ? '(missing)' : String(v))));
  const keyOf = (r: number) => keyCols.map((c) => c[r]).join('\u0000');
  const keys = [...new Set(Array.from({ length: t.numRows() }, (_, r) => keyOf(r)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  const out: Record<string, unknown[]> = Object.fromEntries(['split', ...by, ...DEMOGRAPHIC_COLUMNS].map((c) => [c, []]));
  const emit = (splitName: string, key: string, rows: number[]) => {
    const patients = new Set(rows.map((r) => patient[r]));
    let f = 0, m = 0, nf1 = 0;
    const ages: number[] = [];
    for (const r of rows) {
      if (sex[r] === 'F') f++; else if (sex[r] === 'M') m++;
      const a = age[r];
      if (a !== null && a !== undefined && Number.isFinite(a)) ages.push(a);
      nf1 += nf[r];
    }
    const mean = ages.length ? ages.reduce((s, x) => s + x, 0) / ages.length : NaN;
    const sd = ages.length > 1 ? Math.sqrt(ages.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (ages.length - 1)) : NaN;
    out.split.push(splitName);
    key.split('\u0000').forEach((v, i) => { if (by.length) out[by[i]].push(v); });
    const values = [rows.length, patients.size, f + m, f + m ? (100 * f) / (f + m) : NaN, ages.length, mean, sd, rows.length && rule.kind !== 'none' ? (100 * nf1) / rows.length : NaN];
    DEMOGRAPHIC_COLUMNS.forEach((c, i) => out[c].push(values[i]));
  };
  for (const key of keys) {
    const inKey = Array.from({ length: t.numRows() }, (_, r) => r).filter((r) => keyOf(r) === key);
    for (const s of splits) {
      const rows = inKey.filter((r) => split[r] === s);
      if (rows.length) emit(s, key, rows);
    }
    if (opts.total ?? true) emit('all', key, inKey.filter((r) => splits.includes(split[r])));
  }
  return aq.table(out);
}

/** '12,345' — thousands separated with commas, as the paper's tables. */
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '–');

/**
 * The paper's style strings: Split, [group columns], Images '12,345', Patients, 'Female (%)' '48.2',
 * 'Age, mean (SD)' '57.3 (17.1)', 'No finding (%)' '12.3'; missing numbers as '–'.
 * @example saveTable(formatDemographics(demographicsTable(samples)), 'table-s2')
 */
export function formatDemographics(table: ColumnTable, opts: { digits?: number } = {}): ColumnTable {
  const d = opts.digits ?? 1;
  const cols = table.columnNames();
  for (const c of ['split', ...DEMOGRAPHIC_COLUMNS]) if (!cols.includes(c)) throw new Error(`formatDemographics: table has no '${c}' column (not a demographicsTable result?)`);
  const groupCols = cols.filter((c) => c !== 'split' && !(DEMOGRAPHIC_COLUMNS as readonly string[]).includes(c));
  const rows = table.objects() as Record<string, number & string>[];
  const out: Record<string, unknown[]> = {
    Split: rows.map((r) => r.split),
    ...Object.fromEntries(groupCols.map((c) => [c.charAt(0).toUpperCase() + c.slice(1), rows.map((r) => r[c])])),
    Images: rows.map((r) => int(r.n_images)),
    Patients: rows.map((r) => int(r.n_patients)),
    'Female (%)': rows.map((r) => fixed(r.pct_female, d)),
    'Age, mean (SD)': rows.map((r) => (Number.isFinite(r.age_mean) ? `${fixed(r.age_mean, d)} (${fixed(r.age_sd, d)})` : '–')),
    'No finding (%)': rows.map((r) => fixed(r.pct_no_finding, d)),
  };
  return aq.table(out);
}
