/**
 * Notebook 07 (scaling and ablation) glue — the RayDINO paper's Fig. S1. Top: aggregated task groups (classification
 * macro AUROC, long-tail macro AUPRC, segmentation mDice; lib/eval protocols with the profile's budgets) against the
 * SSL encoder's parameter count, the best other encoder (label-supervised baseline or random init) as a dashed line.
 * Bottom: pretraining data from one population vs several, evaluated in-domain and on another population
 * (lib/eval evalGeneralization: heads trained on the source population, tested on each population's test rows).
 *
 * @example
 * const groups = await study.compare(cxr, (input) => taskGroups({ ...input, samples: cxr }, study.profile), { generator });
 * const top = scalingRows(summariseTaskGroups(groups.table), encodersWithParams(study.encoders));
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import * as fs from 'fs';
import * as path from 'path';
import type { Profile } from '../config/profiles';
import { createViT } from '../models/registry';
import { multiLabelProtocol } from '../eval/multilabel-protocol';
import { groupedVerdicts, macroAuprc, macroAuroc, tTestFromStats, verdicts } from '../stats';
import type { Comparison } from '../stats';
import { evalGeneralization } from '../eval/generalization';
import { evalSegmentation, defaultPyramidBlocks } from '../eval/segmentation';
import type { EvalInput, EvalResult } from '../eval/eval-input';
import { summariseSeeds } from '../analysis/summarise';
import type { SessionEncoder } from '../session/encoders';
import { baseConfig, rowsOf, schemaUrl } from '../figures/common';
import type { Spec } from '../figures/common';

/** One task group of Fig. S1: the protocol's task name, the metric row and group that aggregate it, the axis label. */
export interface TaskGroup { task: string; metric: string; group: string; label: string }

export const TASK_GROUPS: readonly TaskGroup[] = [
  { task: 'classification', metric: 'auroc', group: 'macro', label: 'classification (macro AUROC)' },
  { task: 'classification', metric: 'auprc', group: 'macro', label: 'long-tail (macro AUPRC)' },
  { task: 'segmentation', metric: 'mDice', group: 'all', label: 'segmentation (mDice)' },
];

/**
 * Classification and long-tail from ONE head grid (lib/eval multiLabelProtocol; config selected on validation macro
 * AUROC): test macro AUROC (with its bootstrap CI) and macro AUPRC — the long-tail metric, dominated by the rare
 * findings (evalLongTail selects its own config on AUPRC; sharing the grid halves the cost of the size sweep).
 */
export function classificationAndAuprc(input: EvalInput): Promise<EvalResult> {
  const labels = input.labels ?? input.samples.labelNames;
  return multiLabelProtocol(input, {
    task: 'classification', selection: 'auroc', labels,
    metrics: (Y, S) => [
      { group: 'macro', metric: 'auroc', value: macroAuroc(Y, S, { layout: 'classes' }).macro },
      { group: 'macro', metric: 'auprc', value: macroAuprc(Y, S, { layout: 'classes' }).macro },
    ],
    ci: { metric: 'auroc', fn: (Y, S) => macroAuroc(Y, S, { layout: 'classes' }).macro },
  });
}

/**
 * Runs the task groups of Fig. S1 for one encoder on one dataset (features extracted once through the cache, with the
 * segmentation pyramid's blocks) and stacks their tidy tables. Sizes come from the profile: eval seeds, head grid and
 * epochs (through `input`), segmentation lrs / epochs / maxTrain.
 */
export async function taskGroups(input: EvalInput, profile: Profile): Promise<EvalResult> {
  const cls = await classificationAndAuprc(input);
  if (!input.encoder) throw new Error(`taskGroups ${input.model}: an encoder is needed for the segmentation features`);
  const s = profile.segmentation;
  const seg = await evalSegmentation({
    model: input.model, encoder: input.encoder, cacheDir: input.cacheDir, datasetKey: input.datasetKey,
    extractBatchSize: input.extractBatchSize, masks: input.samples, dataset: input.samples.dataset,
    blocks: defaultPyramidBlocks(input.encoder.blocks),
    seeds: input.seeds ?? [0], lrs: s.lrs, epochs: s.epochs, maxTrain: s.maxTrain, qualitative: 0,
  });
  return { table: cls.table.concat(seg.results.select(cls.table.columnNames())), predictions: cls.predictions };
}

/** Per (model, task group): mean over seeds with a 95 % t-interval (summariseSeeds); columns model, value, lo, hi, n, task = label = the group's label. */
export function summariseTaskGroups(table: ColumnTable, groups: readonly TaskGroup[] = TASK_GROUPS): ColumnTable {
  const parts = groups.map((g) => {
    // the metric's rows and its bootstrap-CI rows (`<metric>_ci_lo/_hi`, used by summariseSeeds with one seed)
    const sub = table.filter(aq.escape((d: any) => d.task === g.task && (d.metric === g.metric || String(d.metric).startsWith(`${g.metric}_ci_`))));
    if (sub.numRows() === 0) return undefined;
    return summariseSeeds(sub, { by: ['model'], metric: g.metric, group: g.group, split: 'test' })
      .derive({ task: aq.escape(() => g.label), label: aq.escape(() => g.label) });
  }).filter((t): t is ColumnTable => !!t);
  if (!parts.length) throw new Error(`summariseTaskGroups: none of the tasks ${groups.map((g) => g.task).join(', ')} in the table`);
  return parts.reduce((a, b) => a.concat(b));
}

/** Parameter count of a registry architecture (the ViT backbone, built once and disposed). */
export function archParams(arch: string): number {
  const vit = createViT(arch, {}, 0);
  try { return vit.numParams; } finally { vit.dispose(); }
}

/** The study's encoders with `params` (from their architecture) and `populations` (from config.json, singular or plural key). */
export function encodersWithParams(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  const cache = new Map<string, number>();
  return encoders.map((e) => {
    let params = e.params;
    if (params === undefined && e.arch) {
      if (!cache.has(e.arch)) cache.set(e.arch, archParams(e.arch));
      params = cache.get(e.arch);
    }
    return { ...e, params, populations: e.populations?.length ? e.populations : configPopulations(e.spec) };
  });
}

/** Pretraining populations named in a checkpoint's config.json (`data.populations` or `data.population`). */
export function configPopulations(dir: string): string[] | undefined {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) return undefined;
  const d = JSON.parse(fs.readFileSync(file, 'utf8'))?.data ?? {};
  if (Array.isArray(d.populations) && d.populations.length) return d.populations.map(String);
  if (typeof d.population === 'string') return [d.population];
  return undefined;
}

/** SSL encoders pretrained on the default multi-population mix (no populations, or more than one) — the size axis. */
export function multiPopulationSsl(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  return encoders.filter((e) => e.kind === 'ssl' && (!e.populations || e.populations.length !== 1));
}

/** One row of Fig. S1 top: an SSL point (x = params) or the flat dashed line of the best other encoder. */
export type ScalingRow = {
  task: string; label: string; series: string; model: string; params: number; value: number; lo: number | null; hi: number | null;
  /** Sample SD over seeds and their count (for scalingVerdict's t-tests); null / 0 where the summary had none. */
  sd?: number | null; n?: number;
};

/**
 * Fig. S1 top rows: for each task group, the multi-population SSL encoders against their parameter count ('SSL' series),
 * and the best non-SSL encoder of that group (highest mean; its name in `model`) drawn flat over the SSL size range
 * ('best other' series, dashed).
 */
export function scalingRows(summary: ColumnTable, encoders: readonly SessionEncoder[]): ScalingRow[] {
  const rows = summary.objects() as { model: string; task: string; label: string; value: number; lo: number; hi: number; sd?: number; n?: number }[];
  const ssl = multiPopulationSsl(encoders).filter((e) => e.params !== undefined);
  const others = new Set(encoders.filter((e) => e.kind !== 'ssl').map((e) => e.name));
  const out: ScalingRow[] = [];
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    const here = rows.filter((r) => r.task === task);
    const pts = ssl.map((e) => ({ e, r: here.find((r) => r.model === e.name) })).filter((p) => p.r);
    for (const { e, r } of pts) out.push({ task, label: r!.label, series: 'SSL', model: e.name, params: e.params!, value: r!.value, lo: fin(r!.lo), hi: fin(r!.hi), sd: fin(r!.sd ?? NaN), n: r!.n ?? 0 });
    const best = here.filter((r) => others.has(r.model) && Number.isFinite(r.value)).sort((a, b) => b.value - a.value)[0];
    if (best && pts.length) {
      const xs = pts.map((p) => p.e.params!);
      for (const x of [Math.min(...xs), Math.max(...xs)]) {
        out.push({ task, label: best.label, series: 'best other', model: best.model, params: x, value: best.value, lo: null, hi: null, sd: fin(best.sd ?? NaN), n: best.n ?? 0 });
      }
    }
  }
  return out;
}

/** A trend line is drawn through a panel's SSL points only from this many model sizes on (two points make no trend). */
export const MIN_SIZES_FOR_TREND = 3;

/**
 * Fig. S1 top from scalingRows: one panel per task group sharing one y-axis, the SSL encoders as points with their 95 %
 * CI whiskers (where computed) against the parameter count (log x), joined by a line only in panels with
 * ≥ MIN_SIZES_FOR_TREND sizes, and the best other encoder as a dashed line labelled with its name.
 */
export function scalingFigure(rows: readonly ScalingRow[], opts: { title?: string; width?: number; height?: number } = {}): Spec {
  if (rows.length === 0) throw new Error('scalingFigure: no rows');
  const sizes = new Map<string, Set<number>>();
  for (const r of rows) if (r.series === 'SSL') sizes.set(r.task, (sizes.get(r.task) ?? new Set()).add(r.params));
  const values = rowsOf(rows.map((r) => ({ ...r, trend: (sizes.get(r.task)?.size ?? 0) >= MIN_SIZES_FOR_TREND })));
  // the log axis hugs the sizes (nice log domains left two thirds of each panel empty)
  const ps = rows.map((r) => r.params).filter((p) => p > 0);
  const x = { field: 'params', type: 'quantitative', title: 'encoder parameters (log)', scale: { type: 'log', nice: false, domain: [Math.min(...ps) / 1.5, Math.max(...ps) * 1.5] } };
  const y = { field: 'value', type: 'quantitative', title: 'score (test)', scale: { zero: false } };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: ['SSL', 'best other'], range: ['#0072B2', '#555555'] } };
  const ssl = "datum.series === 'SSL'";
  const tooltip = [{ field: 'model' }, { field: 'params' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }];
  const layer = [
    { transform: [{ filter: `${ssl} && datum.trend` }], mark: { type: 'line' }, encoding: { x, y, color } },
    { transform: [{ filter: `${ssl} && isValid(datum.lo) && isValid(datum.hi)` }], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
    { transform: [{ filter: ssl }], mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y, color, tooltip } },
    { transform: [{ filter: `!(${ssl})` }], mark: { type: 'line', strokeDash: [6, 3] }, encoding: { x, y, color, detail: { field: 'model' }, tooltip } },
    {
      transform: [{ filter: `!(${ssl})` }, { joinaggregate: [{ op: 'min', field: 'params', as: 'x0' }], groupby: ['task'] }, { filter: 'datum.params === datum.x0' }],
      mark: { type: 'text', align: 'left', baseline: 'top', dy: 4, fontSize: 10, color: '#555555' }, encoding: { x, y, text: { field: 'model' } },
    },
  ];
  return {
    $schema: schemaUrl, ...(opts.title ? { title: opts.title } : {}), config: baseConfig(), data: { values },
    facet: { column: { field: 'label', type: 'nominal', title: null } },
    spec: { width: opts.width ?? 220, height: opts.height ?? 200, layer },
    resolve: { scale: { y: 'shared' } },
  } as unknown as Spec;
}

/**
 * Fig. S1 bottom rows from evalGeneralization tables (task 'train <pop>', group = test population, metric 'auroc'):
 * model, pretraining ('one population (popA)' | 'several populations' | kind), test ('in-domain' | 'other population'),
 * test population, mean over seeds and 95 % CI.
 */
export function dataSourceRows(table: ColumnTable, encoders: readonly SessionEncoder[], trainPopulation: string): {
  model: string; pretraining: string; test: string; population: string; value: number; lo: number | null; hi: number | null; n: number; sd: number | null;
}[] {
  const s = summariseSeeds(table.filter(aq.escape((d: any) => d.metric === 'auroc' && !String(d.group).includes('/'))), { by: ['model', 'group'], metric: 'auroc', split: 'test' });
  const byName = new Map(encoders.map((e) => [e.name, e]));
  return (s.objects() as { model: string; group: string; value: number; lo: number; hi: number; n: number; sd: number }[]).map((r) => {
    const e = byName.get(r.model);
    const pops = e?.populations;
    const pretraining = e?.kind === 'ssl'
      ? (pops && pops.length === 1 ? `SSL, one population (${pops[0]})` : 'SSL, several populations')
      : e?.kind === 'supervised' ? `supervised${pops ? ` (${pops.join('+')})` : ''}` : e?.kind === 'random' ? 'random init' : (e?.kind ?? 'unknown');
    return {
      model: r.model, pretraining, test: r.group === trainPopulation ? 'in-domain' : 'other population', population: r.group,
      value: r.value, lo: Number.isFinite(r.lo) ? r.lo : null, hi: Number.isFinite(r.hi) ? r.hi : null, n: r.n,
      sd: Number.isFinite(r.sd) ? r.sd : null,
    };
  });
}

/**
 * Fig S1 bottom in words: for each test ('in-domain', 'other population'), the SSL checkpoint pretrained on several
 * populations against the one pretrained on one, by the t-test over seeds (mean / SD / n of dataSourceRows), Holm over
 * the figure's comparisons (lib/stats/verdict); a line says which checkpoint is missing instead.
 */
export function dataSourceVerdict(rows: readonly { pretraining: string; test: string; model: string; value: number; sd: number | null; n: number }[], opts: { alpha?: number } = {}): string[] {
  const pick = (p: string, t: string) => rows.find((r) => r.pretraining.startsWith(p) && r.test === t);
  const family: Comparison[] = [];
  const tests: string[] = [];
  const out: string[] = [];
  for (const t of ['in-domain', 'other population']) {
    const one = pick('SSL, one', t), several = pick('SSL, several', t);
    if (!one || !several) {
      out.push(`${t}: ${one ? '' : 'the one-population SSL checkpoint is missing; '}${several ? '' : 'the several-population SSL checkpoint is missing'}`);
      continue;
    }
    tests.push(t);
    family.push({
      a: `several populations (${several.model})`, b: `one population (${one.model})`, context: t, meanA: several.value, meanB: one.value,
      p: tTestFromStats(several.value, several.sd ?? NaN, several.n, one.value, one.sd ?? NaN, one.n).p,
    });
  }
  const v = family.length ? verdicts(family, opts) : [];
  return [...v.map((x) => `${x.line} [means ${x.meanA.toFixed(3)} vs ${x.meanB.toFixed(3)}]`), ...out];
}

/** evalGeneralization with heads trained on `trainPopulation`, tested on every population in `testPopulations`. */
export function sourceTransfer(input: EvalInput, trainPopulation: string, testPopulations: string[]): Promise<EvalResult> {
  return evalGeneralization({ ...input, trainPopulation, testPopulations, task: `train ${trainPopulation}` });
}

/**
 * One sentence per task group: the SSL scores by size, then two claims decided by the t-test over seeds (from mean / SD
 * / n, = scipy ttest_ind_from_stats) with Holm correction across every claim of the figure (lib/stats/verdict): largest
 * vs smallest SSL model, and best SSL vs the best other encoder. "better than" only where significant, else "no
 * significant difference (p = …)"; rows without SD / n (one seed) read "not tested".
 */
export function scalingVerdict(rows: readonly ScalingRow[], opts: { alpha?: number } = {}): string[] {
  const groups: { head: string; family: Comparison[] }[] = [];
  const f = (x: number) => x.toFixed(3);
  const cmp = (a: ScalingRow, b: ScalingRow): Comparison => ({
    a: a.model, b: b.model, meanA: a.value, meanB: b.value,
    p: tTestFromStats(a.value, a.sd ?? NaN, a.n ?? 0, b.value, b.sd ?? NaN, b.n ?? 0).p,
  });
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    const ssl = rows.filter((r) => r.task === task && r.series.startsWith('SSL')).sort((a, b) => a.params - b.params);
    const other = rows.find((r) => r.task === task && r.series.startsWith('best other'));
    const label = rows.find((r) => r.task === task)!.label;
    const family: Comparison[] = [];
    if (ssl.length >= 2) family.push(cmp(ssl[ssl.length - 1], ssl[0]));
    if (other && ssl.length) family.push(cmp(ssl.reduce((x, y) => (y.value > x.value ? y : x)), other));
    const head = `${label}: ${ssl.map((r) => `${r.model} (${(r.params / 1e6).toFixed(2)} M params) ${f(r.value)}`).join(', ')}`
      + (other ? `; best other encoder ${other.model} ${f(other.value)}` : '');
    groups.push({ head, family });
  }
  return groupedVerdicts(groups, { alpha: opts.alpha }).map((g) => [g.head, ...g.verdicts.map((v) => v.line)].join('; '));
}
