/**
 * Dataset demographics — images, patients, % female, age mean (SD), % no finding — per bias group (biasGroupDemographics:
 * the paper's Table S2, Female / Male / Young / Middle / Elder) or per split and any column (demographicsTable). Conventions (pandas defaults, so the numbers match a pandas notebook):
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

type Demographics = Record<(typeof DEMOGRAPHIC_COLUMNS)[number], number>;
interface DemographicColumns { patient: ArrayLike<unknown>; sex: ArrayLike<unknown>; age: ArrayLike<number | null>; nf: Uint8Array; hasRule: boolean }

function columnsOf(samples: SampleTable, opts: DemographicsOptions): DemographicColumns {
  const t = samples.table;
  const rule = noFindingRule(samples, opts.noFinding, opts.findingLabels);
  return {
    patient: t.array('patient') as ArrayLike<unknown>, sex: t.array('sex') as ArrayLike<unknown>, age: t.array('age') as ArrayLike<number | null>,
    nf: noFindingFlags(samples, rule), hasRule: rule.kind !== 'none',
  };
}

/** The DEMOGRAPHIC_COLUMNS of a set of rows, with the conventions of the file comment. */
function summarise(c: DemographicColumns, rows: readonly number[]): Demographics {
  const patients = new Set(rows.map((r) => c.patient[r]));
  let f = 0, m = 0, nf1 = 0;
  const ages: number[] = [];
  for (const r of rows) {
    if (c.sex[r] === 'F') f++; else if (c.sex[r] === 'M') m++;
    const a = c.age[r];
    if (a !== null && a !== undefined && Number.isFinite(a)) ages.push(a);
    nf1 += c.nf[r];
  }
  const mean = ages.length ? ages.reduce((s, x) => s + x, 0) / ages.length : NaN;
  const sd = ages.length > 1 ? Math.sqrt(ages.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (ages.length - 1)) : NaN;
  return {
    n_images: rows.length, n_patients: patients.size, n_sex_known: f + m, pct_female: f + m ? (100 * f) / (f + m) : NaN,
    n_age_known: ages.length, age_mean: mean, age_sd: sd, pct_no_finding: rows.length && c.hasRule ? (100 * nf1) / rows.length : NaN,
  };
}

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
  const cols = columnsOf(samples, opts);
  const keyCols = by.map((c) => Array.from(t.array(c) as ArrayLike<unknown>, (v) => (v === null || v === undefined ? '(missing)' : String(v))));
  const keyOf = (r: number) => keyCols.map((c) => c[r]).join('\u0000');
  const keys = [...new Set(Array.from({ length: t.numRows() }, (_, r) => keyOf(r)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  const out: Record<string, unknown[]> = Object.fromEntries(['split', ...by, ...DEMOGRAPHIC_COLUMNS].map((c) => [c, []]));
  const emit = (splitName: string, key: string, rows: number[]) => {
    out.split.push(splitName);
    key.split('\u0000').forEach((v, i) => { if (by.length) out[by[i]].push(v); });
    const values = summarise(cols, rows);
    DEMOGRAPHIC_COLUMNS.forEach((c) => out[c].push(values[c]));
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

/** The paper's bias groups (Fig 4c sex, Fig 4d age), in Table S2's order: attribute, the column read, its value, the row label. */
export const BIAS_GROUPS = [
  { attribute: 'sex', column: 'sex', value: 'F', group: 'Female' },
  { attribute: 'sex', column: 'sex', value: 'M', group: 'Male' },
  { attribute: 'age', column: 'age_bin', value: 'Young', group: 'Young' },
  { attribute: 'age', column: 'age_bin', value: 'Middle', group: 'Middle' },
  { attribute: 'age', column: 'age_bin', value: 'Elder', group: 'Elder' },
] as const;

/**
 * The paper's Table S2: one row per bias group (Female, Male; Young, Middle, Elder — the `age_bin` column that evalBias
 * and Fig 4d split on) with the DEMOGRAPHIC_COLUMNS of its images, over the splits given (default: every row). Rows with
 * an unknown sex or age bin belong to no group of that attribute; a group with no image keeps its row (n_images 0, the
 * rest NaN) so an absent group shows. Columns: attribute, group, n_images, n_patients, …, pct_no_finding.
 * @example formatDemographics(biasGroupDemographics(samples)) // Attribute, Group, Images, …
 */
export function biasGroupDemographics(samples: SampleTable, opts: Omit<DemographicsOptions, 'groupBy' | 'total'> = {}): ColumnTable {
  const fn = 'biasGroupDemographics';
  const t = samples.table;
  const names = t.columnNames();
  for (const c of ['patient', 'sex', 'age', 'age_bin', ...(opts.splits ? ['split'] : [])]) if (!names.includes(c)) throw new Error(`${fn}: dataset ${samples.dataset} has no '${c}' column`);
  const cols = columnsOf(samples, opts);
  const split = opts.splits ? Array.from(t.array('split') as ArrayLike<string>, String) : null;
  const all = Array.from({ length: t.numRows() }, (_, r) => r).filter((r) => !split || opts.splits!.includes(split[r]));
  const out: Record<string, unknown[]> = Object.fromEntries(['attribute', 'group', ...DEMOGRAPHIC_COLUMNS].map((c) => [c, []]));
  for (const g of BIAS_GROUPS) {
    const v = t.array(g.column) as ArrayLike<unknown>;
    const values = summarise(cols, all.filter((r) => v[r] === g.value));
    out.attribute.push(g.attribute);
    out.group.push(g.group);
    DEMOGRAPHIC_COLUMNS.forEach((c) => out[c].push(values[c]));
  }
  return aq.table(out);
}

/** '12,345' — thousands separated with commas, as the paper's tables. */
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '–');

/**
 * The paper's style strings: Split (when the table has one), [group columns], Images '12,345', Patients, 'Female (%)' '48.2',
 * 'Age, mean (SD)' '57.3 (17.1)', 'No finding (%)' '12.3'; missing numbers as '–'.
 * @example saveTable(formatDemographics(demographicsTable(samples)), 'table-s2')
 */
export function formatDemographics(table: ColumnTable, opts: { digits?: number } = {}): ColumnTable {
  const d = opts.digits ?? 1;
  const cols = table.columnNames();
  for (const c of DEMOGRAPHIC_COLUMNS) if (!cols.includes(c)) throw new Error(`formatDemographics: table has no '${c}' column (not a demographicsTable / biasGroupDemographics result?)`);
  const groupCols = cols.filter((c) => c !== 'split' && !(DEMOGRAPHIC_COLUMNS as readonly string[]).includes(c));
  const rows = table.objects() as Record<string, number & string>[];
  const out: Record<string, unknown[]> = {
    ...(cols.includes('split') ? { Split: rows.map((r) => r.split) } : {}),
    ...Object.fromEntries(groupCols.map((c) => [c.charAt(0).toUpperCase() + c.slice(1), rows.map((r) => r[c])])),
    Images: rows.map((r) => int(r.n_images)),
    Patients: rows.map((r) => int(r.n_patients)),
    'Female (%)': rows.map((r) => fixed(r.pct_female, d)),
    'Age, mean (SD)': rows.map((r) => (Number.isFinite(r.age_mean) ? `${fixed(r.age_mean, d)} (${fixed(r.age_sd, d)})` : '–')),
    'No finding (%)': rows.map((r) => fixed(r.pct_no_finding, d)),
  };
  return aq.table(out);
}

/** Stacks one formatted table per dataset under a leading `dataset` column. */
function perDataset(datasets: readonly SampleTable[], fn: string, one: (s: SampleTable) => ColumnTable): ColumnTable {
  if (datasets.length === 0) throw new Error(`${fn}: no datasets`);
  return datasets.map((s) => {
    const t = one(s);
    return aq.table({ dataset: Array.from({ length: t.numRows() }, () => s.dataset) }).assign(t);
  }).reduce((x, y) => x.concat(y));
}

/**
 * Table S2 as the paper, for several datasets: one row per bias group per dataset — Female, Male (Fig 4c) and Young,
 * Middle, Elder (the `age_bin` groups of Fig 4d) — with images, patients, % female, age mean (SD), % no finding over
 * every split (lib/analysis biasGroupDemographics + formatDemographics), under a leading `dataset` column.
 */
export function tableS2(datasets: readonly SampleTable[]): ColumnTable {
  return perDataset(datasets, 'tableS2', (s) => formatDemographics(biasGroupDemographics(s)));
}

/**
 * The extra beside Table S2: per dataset and split (and 'all'), the same demographics (lib/analysis demographicsTable +
 * formatDemographics), under a leading `dataset` column.
 */
export function tableS2Splits(datasets: readonly SampleTable[]): ColumnTable {
  return perDataset(datasets, 'tableS2Splits', (s) => formatDemographics(demographicsTable(s)));
}
