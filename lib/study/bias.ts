/**
 * Notebook 05 (bias) glue: which encoders the bias figures compare, the rows of Fig 4c (sex: train F / M / All → test F
 * and M, one point per fold, Mann-Whitney p annotated) and Fig 4d (age Young / Middle / Elder 3×3 train → test matrix of
 * the mean AUROC over folds) from lib/eval evalBias tables, Table S2 for several datasets, and sentences stating the
 * result computed from the numbers (RayDINO paper, Fig. 4c/4d, Table S2).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { Profile } from '../config/profiles';
import type { SampleTable } from '../data/types';
import { demographicsTable, formatDemographics } from '../analysis/demographics-table';
import { sliceBy, SliceByOptions } from '../analysis/slice-by';
import type { ScoredSet } from '../analysis/prediction-sets';
import { formatP } from '../stats/format-p';
import type { StudyEncoder } from './encoders';
import { metricBars } from '../figures/metric-bars';
import { groupStrip } from '../figures/group-strip';
import type { Spec } from '../figures/common';

/**
 * The encoders a costly section compares: in the quick profile the main SSL encoder (the one whose architecture is the
 * profile's encoder model, else the largest SSL checkpoint), the label-supervised baseline(s) and, with `withRandom`, the
 * random-init encoder of the main encoder's architecture (the floor); in the full profile, every encoder. Falls back to
 * every encoder when neither an SSL nor a supervised one exists.
 */
export function pickEncoders(encoders: readonly StudyEncoder[], profile: Pick<Profile, 'name' | 'encoder'>, opts: { withRandom?: boolean } = {}): StudyEncoder[] {
  if (profile.name === 'full') return [...encoders];
  const ssl = encoders.filter((e) => e.kind === 'ssl');
  const main = ssl.find((e) => e.arch === profile.encoder.model) ?? ssl[ssl.length - 1];
  const random = opts.withRandom && main ? encoders.filter((e) => e.kind === 'random' && e.arch === main.arch) : [];
  const picked = [...(main ? [main] : []), ...encoders.filter((e) => e.kind === 'supervised'), ...random];
  return picked.length ? picked : [...encoders];
}

interface BiasRow { model: string; seed: number; fold: number; group: string; metric: string; value: number }

function rowsOf(table: ColumnTable): BiasRow[] {
  return table.objects() as unknown as BiasRow[];
}

/** 'train=F|test=M' → ['F', 'M'] (undefined for other groups, e.g. Mann-Whitney rows). */
export function parsePair(group: string): [string, string] | undefined {
  const m = /^train=([^|]+)\|test=(.+)$/.exec(group);
  return m ? [m[1], m[2]] : undefined;
}

/**
 * Fig 4c / 4d long rows from an evalBias table (any number of encoders stacked): one row per model × seed × fold ×
 * train group × test group with the fold's macro AUROC; test groups limited to `testGroups` when given.
 * Columns: model, seed, fold, train_group, test_group, value.
 */
export function biasFoldRows(table: ColumnTable, opts: { testGroups?: readonly string[]; metric?: string } = {}): ColumnTable {
  const metric = opts.metric ?? 'auroc';
  const out: Record<string, unknown>[] = [];
  for (const r of rowsOf(table)) {
    if (r.metric !== metric || r.fold < 0) continue;
    const pair = parsePair(r.group);
    if (!pair || (opts.testGroups && !opts.testGroups.includes(pair[1]))) continue;
    out.push({ model: r.model, seed: r.seed, fold: r.fold, train_group: pair[0], test_group: pair[1], value: r.value });
  }
  if (out.length === 0) throw new Error(`biasFoldRows: no '${metric}' fold rows${opts.testGroups ? ` tested on ${opts.testGroups.join(', ')}` : ''}`);
  return aq.from(out);
}

/**
 * Fig 4c annotations: for every model and training group, the two-sided Mann-Whitney p (over folds, from evalBias) between
 * the two test groups `a` and `b` (default F vs M), placed above that training group's points.
 * Columns: model, train_group, p, label ('p = 0.03' / 'p ≤ 1e-5'), y.
 */
export function biasPAnnotations(table: ColumnTable, opts: { a?: string; b?: string; seed?: number } = {}): ColumnTable {
  const a = opts.a ?? 'F', b = opts.b ?? 'M';
  const rows = rowsOf(table).filter((r) => opts.seed === undefined || r.seed === opts.seed);
  const out: Record<string, unknown>[] = [];
  const pattern = new RegExp(`^train=([^|]+)\\|${a} vs ${b}$`);
  for (const r of rows) {
    if (r.metric !== 'mannwhitney_p') continue;
    const m = pattern.exec(r.group);
    if (!m) continue;
    const g = m[1];
    const vals = rows.filter((x) => x.model === r.model && x.seed === r.seed && x.metric === 'auroc' && x.fold >= 0
      && (x.group === `train=${g}|test=${a}` || x.group === `train=${g}|test=${b}`)).map((x) => x.value).filter(Number.isFinite);
    out.push({ model: r.model, train_group: g, p: r.value, label: formatP(r.value), y: Math.max(...vals) + 0.01 });
  }
  if (out.length === 0) throw new Error(`biasPAnnotations: no Mann-Whitney rows for ${a} vs ${b} (run evalBias with ≥ 2 folds)`);
  return aq.from(out);
}

/**
 * Fig 4d matrix: mean (and sample SD, n) of the metric over folds and seeds per model × train group × test group.
 * Columns: model, train_group, test_group, value, sd, n.
 */
export function biasMatrix(table: ColumnTable, opts: { metric?: string } = {}): ColumnTable {
  const long = biasFoldRows(table, opts).objects() as { model: string; train_group: string; test_group: string; value: number }[];
  const buckets = new Map<string, { key: Record<string, string>; v: number[] }>();
  for (const r of long) {
    const k = `${r.model}\u0000${r.train_group}\u0000${r.test_group}`;
    if (!buckets.has(k)) buckets.set(k, { key: { model: r.model, train_group: r.train_group, test_group: r.test_group }, v: [] });
    if (Number.isFinite(r.value)) buckets.get(k)!.v.push(r.value);
  }
  return aq.from([...buckets.values()].map(({ key, v }) => {
    const n = v.length;
    const mean = n ? v.reduce((s, x) => s + x, 0) / n : NaN;
    const sd = n > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;
    return { ...key, value: mean, sd, n };
  }));
}

/**
 * Fig 4c's table: the biasMatrix rows with the Mann-Whitney p of their (model, training group). Keys are given as
 * [left, right] pairs: arquero reads a flat ['model', 'train_group'] as left key 'model' vs right key 'train_group',
 * which matched nothing and saved a header-only table.
 */
export function biasFoldTable(table: ColumnTable, opts: { a?: string; b?: string } = {}): ColumnTable {
  const keys = ['model', 'train_group'];
  return biasMatrix(table).join(biasPAnnotations(table, opts).select('model', 'train_group', 'p'), [keys, keys]);
}

/**
 * What Fig 4c shows, in words, per model: the mean AUROC on each test group for each training group and whether the
 * gap between test groups is significant at `alpha` (Mann-Whitney over folds).
 */
export function describeSexBias(table: ColumnTable, opts: { a?: string; b?: string; alpha?: number } = {}): string[] {
  const a = opts.a ?? 'F', b = opts.b ?? 'M', alpha = opts.alpha ?? 0.05;
  const m = biasMatrix(table).objects() as { model: string; train_group: string; test_group: string; value: number }[];
  const ann = biasPAnnotations(table, { a, b }).objects() as { model: string; train_group: string; p: number }[];
  const lines: string[] = [];
  for (const model of [...new Set(m.map((r) => r.model))]) {
    const parts: string[] = [];
    let sig = 0, tested = 0;
    for (const g of [...new Set(m.filter((r) => r.model === model).map((r) => r.train_group))]) {
      const va = m.find((r) => r.model === model && r.train_group === g && r.test_group === a)?.value ?? NaN;
      const vb = m.find((r) => r.model === model && r.train_group === g && r.test_group === b)?.value ?? NaN;
      const p = ann.find((r) => r.model === model && r.train_group === g)?.p ?? NaN;
      if (Number.isFinite(p)) { tested++; if (p <= alpha) sig++; }
      parts.push(`trained on ${g}: ${a} ${va.toFixed(3)} vs ${b} ${vb.toFixed(3)} (${Number.isFinite(p) ? formatP(p) : 'p n/a'})`);
    }
    lines.push(`${model}: ${parts.join('; ')} → ${sig} of ${tested} training groups show a ${a}/${b} gap at p ≤ ${alpha}.`);
  }
  return lines;
}

/**
 * What Fig 4d shows, in words, per model: whether each training group scores best on its own age group (the diagonal)
 * and the spread of the test groups' mean AUROC.
 */
export function describeAgeBias(table: ColumnTable): string[] {
  const m = biasMatrix(table).objects() as { model: string; train_group: string; test_group: string; value: number }[];
  const lines: string[] = [];
  for (const model of [...new Set(m.map((r) => r.model))]) {
    const rows = m.filter((r) => r.model === model);
    const trains = [...new Set(rows.map((r) => r.train_group))];
    const diagBest = trains.filter((g) => {
      const own = rows.filter((r) => r.train_group === g);
      const best = own.reduce((x, y) => (y.value > x.value ? y : x));
      return best.test_group === g;
    });
    const tests = [...new Set(rows.map((r) => r.test_group))];
    const byTest = tests.map((t) => {
      const v = rows.filter((r) => r.test_group === t).map((r) => r.value);
      return { t, v: v.reduce((s, x) => s + x, 0) / v.length };
    }).sort((x, y) => y.v - x.v);
    lines.push(`${model}: ${diagBest.length} of ${trains.length} training age groups score best on their own group; `
      + `averaged over training groups the test groups rank ${byTest.map((x) => `${x.t} ${x.v.toFixed(3)}`).join(' > ')} `
      + `(spread ${(byTest[0].v - byTest[byTest.length - 1].v).toFixed(3)}).`);
  }
  return lines;
}

/**
 * Table S2 for several datasets: per dataset and split, images, patients, % female, age mean (SD), % no finding
 * (lib/analysis demographicsTable + formatDemographics), stacked with a leading `dataset` column.
 */
export function tableS2(datasets: readonly SampleTable[]): ColumnTable {
  if (datasets.length === 0) throw new Error('tableS2: no datasets');
  const tables = datasets.map((s) => {
    const t = formatDemographics(demographicsTable(s));
    const n = t.numRows();
    return aq.table({ dataset: Array.from({ length: n }, () => s.dataset) }).assign(t);
  });
  return tables.reduce((x, y) => x.concat(y));
}

/** One column to slice by in the ad-hoc exploration: the column and, for a numeric one, bin edges. */
export interface SliceSpec { column: string; bins?: readonly number[] }

/**
 * The "ad-hoc bias exploration" in one call: sliceBy (lib/analysis) of the same test predictions by each column in turn,
 * stacked into one table (attribute, group, n, positives, metric, value, lo, hi, …) — e.g. sex, age with custom bins,
 * population, view.
 * @example sliceColumns(preds, samples, [{ column: 'sex' }, { column: 'age', bins: [18, 40, 60, Infinity] }], { metric: 'auroc' })
 */
export function sliceColumns(predictions: readonly ScoredSet[], samples: SampleTable, specs: readonly SliceSpec[], opts: SliceByOptions = {}): ColumnTable {
  if (specs.length === 0) throw new Error('sliceColumns: no columns to slice by');
  return specs.map((s) => sliceBy(predictions, samples, s.column, { ...opts, bins: s.bins ?? opts.bins }))
    .reduce((a, b) => a.concat(b));
}

/**
 * Side-by-side panels as one vega-lite spec (hconcat): each child loses its `$schema` / `config` (top level only), the
 * first child's config is kept; colour scales are shared, so one legend serves every panel.
 */
export function concatSpecs(specs: readonly Spec[], opts: { title?: string } = {}): Spec {
  if (specs.length === 0) throw new Error('concatSpecs: no specs');
  const children = specs.map((sp) => {
    const { $schema: _s, config: _c, ...rest } = sp as unknown as Record<string, unknown>;
    return rest;
  });
  const first = specs[0] as unknown as Record<string, unknown>;
  return { $schema: first.$schema, ...(opts.title ? { title: opts.title } : {}), config: first.config, hconcat: children } as unknown as Spec;
}

/**
 * Fig 4c: one groupStrip panel per model (trained on x, tested-on colour, one point per fold) with that model's
 * Mann-Whitney p (F vs M) above each training group, side by side.
 */
export function sexBiasFigure(table: ColumnTable, opts: { title?: string; a?: string; b?: string } = {}): Spec {
  const a = opts.a ?? 'F', b = opts.b ?? 'M';
  const folds = biasFoldRows(table, { testGroups: [a, b] }).objects() as Record<string, unknown>[];
  const ann = biasPAnnotations(table, { a, b }).objects() as Record<string, unknown>[];
  const models = [...new Set(folds.map((r) => String(r.model)))];
  return concatSpecs(models.map((m) => groupStrip(folds.filter((r) => r.model === m), {
    annotations: ann.filter((r) => r.model === m), title: m, yTitle: 'macro AUROC (test)',
  })), { title: opts.title });
}

/**
 * The ad-hoc exploration as a figure: one metricBars panel per attribute (groups on x, bars coloured by dataset,
 * bootstrap CI whiskers) from stacked sliceColumns tables (rows need `dataset`). Groups that could not be scored (a
 * `reason`) are left out of the figure (they stay in the table).
 */
export function sliceBars(table: ColumnTable, opts: { title?: string; yTitle?: string } = {}): Spec {
  const scored = (table.objects() as Record<string, unknown>[]).filter((r) => r.reason === '' || r.reason === undefined);
  if (scored.length === 0) throw new Error('sliceBars: no scored group');
  const attributes = [...new Set(scored.map((r) => String(r.attribute)))];
  return concatSpecs(attributes.map((at) => metricBars(scored.filter((r) => r.attribute === at), {
    x: 'group', color: 'dataset', yTitle: opts.yTitle ?? 'macro AUROC (test)', yDomain: [0, 1], width: 40 * new Set(scored.filter((r) => r.attribute === at).map((r) => r.group)).size + 40, height: 220, title: at,
  })), { title: opts.title });
}
