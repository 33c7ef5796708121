/**
 * The bias comparison of RayDINO Fig 4c / 4d on lib/eval evalBias tables (any number of encoders stacked): the long rows
 * (one per model × seed × fold × train group × test group), the Fig 4d train → test matrix, same- vs other-group-trained
 * Mann-Whitney comparisons with Holm (lib/stats/verdict), and the sentences stating the result from the numbers.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { formatP } from '../stats/format-p';
import { verdicts } from '../stats/verdict';
import type { Comparison } from '../stats/verdict';
import { summariseBy } from './summarise';

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
  return summariseBy(biasFoldRows(table, opts), ['model', 'train_group', 'test_group'])
    .select('model', 'train_group', 'test_group', 'mean', 'sd', 'n').rename({ mean: 'value' });
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
