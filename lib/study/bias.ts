/**
 * Notebook 05 (bias) glue: which encoders the bias figures compare, the rows of Fig 4c (sex: train F / M / All → test F
 * and M, one point per fold, Mann-Whitney p annotated) and Fig 4d (age Young / Middle / Elder 3×3 train → test matrix of
 * the mean AUROC over folds) from lib/eval evalBias tables, Table S2 (per bias group; per split as an extra) for several datasets, and sentences stating the
 * result computed from the numbers (RayDINO paper, Fig. 4c/4d, Table S2).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { Profile } from '../config/profiles';
import type { SampleTable } from '../data/types';
import { biasGroupDemographics, demographicsTable, formatDemographics } from '../analysis/demographics-table';
import { sliceBy, SliceByOptions } from '../analysis/slice-by';
import type { ScoredSet } from '../analysis/prediction-sets';
import { formatP } from '../stats/format-p';
import { mannWhitneyU } from '../stats/mann-whitney';
import { verdicts } from '../stats/verdict';
import type { Comparison } from '../stats/verdict';
import type { SessionEncoder } from '../session/encoders';
import { metricBars } from '../figures/metric-bars';
import { groupStrip } from '../figures/group-strip';
import type { Spec } from '../figures/common';

/**
 * The encoders a costly section compares: in the quick profile the main SSL encoder (the one whose architecture is the
 * profile's encoder model, else the largest SSL checkpoint), the label-supervised baseline(s) and, with `withRandom`, the
 * random-init encoder of the main encoder's architecture (the floor); in the full profile, every encoder. Falls back to
 * every encoder when neither an SSL nor a supervised one exists.
 */
export function pickEncoders(encoders: readonly SessionEncoder[], profile: Pick<Profile, 'name' | 'encoder'>, opts: { withRandom?: boolean } = {}): SessionEncoder[] {
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
 * The smallest two-sided Mann-Whitney p two groups of `n1` and `n2` folds can reach (perfect separation, through the same
 * mannWhitneyU the tests use): with 5 folds per group no fold table can show p below 0.0079, so a figure states it.
 */
export function smallestMannWhitneyP(n1: number, n2: number = n1): number {
  if (!(Number.isInteger(n1) && Number.isInteger(n2) && n1 >= 1 && n2 >= 1)) throw new Error(`smallestMannWhitneyP: group sizes ${n1}, ${n2}; expected positive integers`);
  return mannWhitneyU(Array.from({ length: n1 }, (_, i) => i), Array.from({ length: n2 }, (_, i) => n1 + i)).p;
}

/**
 * The paper's bias comparison (Larrazabal et al.'s setting, RayDINO Fig 4c/4d): for each model and test group g, heads
 * trained on g ("same") against heads trained on each other group o ("other"; 'All' excluded, it is the topline), over
 * the folds (and seeds) of biasFoldRows, two-sided Mann-Whitney; decided with Holm over every comparison of the table
 * (lib/stats/verdict). Columns: model, test_group, other_group, same, other (mean AUROC), n_same, n_other, p, p_holm,
 * significant, label, y (above the test group's highest fold), line.
 */
export function sameVsOtherTrained(table: ColumnTable, opts: { groups?: readonly string[]; alpha?: number; topline?: string } = {}): ColumnTable {
  const topline = opts.topline ?? 'All';
  const long = biasFoldRows(table).objects() as { model: string; train_group: string; test_group: string; value: number }[];
  const groups = opts.groups ?? [...new Set(long.map((r) => r.test_group))].filter((g) => g !== topline);
  const family: Comparison[] = [];
  const keys: { model: string; test_group: string; other_group: string; na: number; nb: number; y: number }[] = [];
  for (const model of [...new Set(long.map((r) => r.model))]) {
    for (const g of groups) {
      const on = long.filter((r) => r.model === model && r.test_group === g && Number.isFinite(r.value));
      const same = on.filter((r) => r.train_group === g).map((r) => r.value);
      if (!same.length) continue;
      for (const o of groups) {
        if (o === g) continue;
        const other = on.filter((r) => r.train_group === o).map((r) => r.value);
        if (!other.length) continue;
        family.push({ a: `trained on ${g}`, b: `trained on ${o}`, context: `${model}, tested on ${g}`, samplesA: same, samplesB: other });
        keys.push({ model, test_group: g, other_group: o, na: same.length, nb: other.length, y: Math.max(...on.map((r) => r.value)) + 0.01 });
      }
    }
  }
  if (!family.length) throw new Error(`sameVsOtherTrained: no test group with both same- and other-group-trained folds (groups ${groups.join(', ')})`);
  const v = verdicts(family, { test: 'mann-whitney', alpha: opts.alpha });
  return aq.from(keys.map((k, i) => ({
    model: k.model, test_group: k.test_group, other_group: k.other_group, same: v[i].meanA, other: v[i].meanB, n_same: k.na, n_other: k.nb,
    p: v[i].p, p_holm: v[i].pHolm, significant: v[i].significant, label: Number.isFinite(v[i].p) ? formatP(v[i].p) : 'p n/a', y: k.y, line: v[i].line,
  })));
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
 * Fig 4c's table: the biasMatrix rows (F / M / All trained → F / M tested) with, per (model, test group), the
 * Mann-Whitney p and Holm-adjusted p of same-sex-trained vs other-sex-trained heads (sameVsOtherTrained). Keys are
 * given as [left, right] pairs: arquero reads a flat ['model', 'test_group'] as left key 'model' vs right key
 * 'test_group', which matched nothing and saved a header-only table. Throws if the join produced no row.
 */
export function biasFoldTable(table: ColumnTable, opts: { a?: string; b?: string; alpha?: number } = {}): ColumnTable {
  const a = opts.a ?? 'F', b = opts.b ?? 'M';
  const keys = ['model', 'test_group'];
  const p = sameVsOtherTrained(table, { groups: [a, b], alpha: opts.alpha })
    .select('model', 'test_group', 'p', 'p_holm').rename({ p: 'p_same_vs_other', p_holm: 'p_holm_same_vs_other' });
  const out = biasMatrix(table).filter(aq.escape((d: any) => d.test_group === a || d.test_group === b)).join_left(p, [keys, keys]);
  if (out.numRows() === 0) throw new Error(`biasFoldTable: no (model, test group) rows for ${a} / ${b}`);
  return out;
}

/**
 * What Fig 4c shows, in words, per model and test sex: mean AUROC of same-sex-trained, other-sex-trained and
 * All-trained (topline) heads, then the verdict of same vs other (Mann-Whitney over folds, Holm over the figure's
 * comparisons): a gap is claimed only where significant.
 */
export function describeSexBias(table: ColumnTable, opts: { a?: string; b?: string; alpha?: number } = {}): string[] {
  const a = opts.a ?? 'F', b = opts.b ?? 'M';
  const cmp = sameVsOtherTrained(table, { groups: [a, b], alpha: opts.alpha }).objects() as { model: string; test_group: string; other_group: string; same: number; other: number; significant: boolean; line: string }[];
  const m = biasMatrix(table).objects() as { model: string; train_group: string; test_group: string; value: number }[];
  const f = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const lines: string[] = [];
  for (const model of [...new Set(cmp.map((r) => r.model))]) {
    const mine = cmp.filter((r) => r.model === model);
    const parts = mine.map((r) => {
      const all = m.find((x) => x.model === model && x.train_group === 'All' && x.test_group === r.test_group)?.value;
      return `tested on ${r.test_group}: same sex ${f(r.same)}, other sex ${f(r.other)}, All (topline) ${f(all)} → ${r.line.replace(`${model}, tested on ${r.test_group}: `, '')}`;
    });
    lines.push(`${model}: ${parts.join('; ')}. ${mine.filter((r) => r.significant).length} of ${mine.length} test sexes show a significant same- vs other-sex gap after Holm.`);
  }
  return lines;
}

/**
 * What Fig 4d shows, in words, per model and test age group: own-group-trained vs each other-group-trained head
 * (Mann-Whitney over folds, Holm over the figure's comparisons, lib/stats/verdict), and the test groups' mean AUROC.
 * The test subset of a fold is the same for every training group (evalBias draws it once per fold).
 */
export function describeAgeBias(table: ColumnTable, opts: { alpha?: number } = {}): string[] {
  const m = biasMatrix(table).objects() as { model: string; train_group: string; test_group: string; value: number }[];
  const cmp = sameVsOtherTrained(table, { alpha: opts.alpha }).objects() as { model: string; test_group: string; significant: boolean; line: string }[];
  const lines: string[] = [];
  for (const model of [...new Set(m.map((r) => r.model))]) {
    const rows = m.filter((r) => r.model === model);
    const tests = [...new Set(rows.map((r) => r.test_group))];
    const byTest = tests.map((t) => {
      const v = rows.filter((r) => r.test_group === t).map((r) => r.value);
      return `${t} ${(v.reduce((s, x) => s + x, 0) / v.length).toFixed(3)}`;
    });
    const mine = cmp.filter((r) => r.model === model);
    lines.push(`${model}: mean AUROC per test group (over training groups) ${byTest.join(', ')}; `
      + `${mine.map((r) => r.line.replace(`${model}, `, '')).join('; ')}. `
      + `${mine.filter((r) => r.significant).length} of ${mine.length} own- vs other-group comparisons significant after Holm.`);
  }
  return lines;
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
 * Fig 4c as the paper: per model, x = the test sex, one box (with the fold points) per training group (same sex, other
 * sex, All as topline), the Mann-Whitney p of same- vs other-sex-trained heads above each test sex. The title states
 * the fold count and the smallest p that many folds can reach.
 */
export function sexBiasFigure(table: ColumnTable, opts: { title?: string; a?: string; b?: string } = {}): Spec {
  const a = opts.a ?? 'F', b = opts.b ?? 'M';
  const folds = biasFoldRows(table, { testGroups: [a, b] }).objects() as Record<string, unknown>[];
  const ann = sameVsOtherTrained(table, { groups: [a, b] }).objects() as Record<string, unknown>[];
  const models = [...new Set(folds.map((r) => String(r.model)))];
  const n = Math.min(...ann.map((r) => Math.min(r.n_same as number, r.n_other as number)));
  const floor = `${n} folds: smallest reachable Mann-Whitney ${formatP(smallestMannWhitneyP(n), { floor: 1e-12 })}`;
  return concatSpecs(models.map((m) => groupStrip(folds.filter((r) => r.model === m), {
    x: 'test_group', color: 'train_group', xTitle: 'tested on', colorTitle: 'trained on',
    annotations: ann.filter((r) => r.model === m), title: m, yTitle: 'macro AUROC (test)',
  })), { title: opts.title ? `${opts.title} · ${floor}` : floor });
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
