/**
 * The scaling ablation (paper Fig. S1) in rows and words: task-group summaries, SSL scores against parameter count with
 * the best other encoder, pretraining on one population vs several, and the t-test verdicts of both panels.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { groupedVerdicts, tTestFromStats, verdicts } from '../stats';
import type { Comparison } from '../stats';
import { TASK_GROUPS, TaskGroup } from '../eval/grid/task-groups';
import { summariseSeeds } from './summarise';
import type { SampleTable } from '../data/types';
import { probePixels } from '../pretrain/probe';
import { FLOOR_PREFIX, PIXEL_FLOOR } from '../figures/common';
import { chanceAuprc } from './long-tail';
import { SEG_FLOORS, segmentFloors, segSetTable } from './seg-sets';

/** What the scaling rows need of an encoder (lib/session EncoderSizeInfo fits). */
export interface EncoderSizeInfo { name: string; kind: string; params?: number; populations?: string[] }

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

/** SSL encoders pretrained on the default multi-population mix (no populations, or more than one) — the size axis. */
export function multiPopulationSsl<E extends EncoderSizeInfo>(encoders: readonly E[]): E[] {
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
export function scalingRows(summary: ColumnTable, encoders: readonly EncoderSizeInfo[]): ScalingRow[] {
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

/** A panel's floor: what a trivial predictor scores on its metric. */
export interface PanelFloor { name: string; value: number }

/**
 * The floors of Fig. S1 top's task groups (TASK_GROUPS, by label), on the samples taskGroups scores: classification
 * (macro AUROC) — the ridge probe on the raw pixels at `inputSize` over every label; long-tail (macro AUPRC) — the
 * mean test prevalence of the labels with a test positive (chanceAuprc); segmentation (mDice) — every pixel predicted
 * as the structure (segmentFloors), averaged over the mask classes.
 */
export async function taskGroupFloors(samples: SampleTable, inputSize: number): Promise<Record<string, PanelFloor[]>> {
  const label = (task: string, metric: string) => TASK_GROUPS.find((g) => g.task === task && g.metric === metric)!.label;
  const pixels = (await probePixels(samples, inputSize)).linearMacroAuroc;
  const prevalence = chanceAuprc(samples, { all: samples.labelNames }).all;
  // averaged over the mask classes as a head's mDice is (segSetTable: the classes with a finite Dice)
  const floors = await segmentFloors(samples, [{ task: 'segmentation' }]);
  const classes = [...new Set(Array.from(floors.array('group') as ArrayLike<string>))];
  const mdice = segSetTable(floors, [{ name: 'segmentation', dataset: samples.dataset, task: 'segmentation', classes }]).objects() as { model: string; value: number }[];
  const whole = mdice.find((r) => r.model === `${FLOOR_PREFIX}${SEG_FLOORS.wholeImage}`)!.value;
  return {
    [label('classification', 'auroc')]: [{ name: PIXEL_FLOOR, value: pixels }],
    [label('classification', 'auprc')]: [{ name: 'prevalence', value: prevalence }],
    [label('segmentation', 'mDice')]: [{ name: SEG_FLOORS.wholeImage, value: whole }],
  };
}

/**
 * Fig. S1 top's floor rows: per task group that has SSL points, each floor drawn flat over the SSL size range
 * (series 'floor', model 'floor: <name>'), like the best other encoder. Non-finite floors are left out, not drawn at 0.
 */
export function scalingFloorRows(rows: readonly ScalingRow[], floors: Readonly<Record<string, readonly PanelFloor[]>>): ScalingRow[] {
  const out: ScalingRow[] = [];
  for (const task of [...new Set(rows.filter((r) => r.series === 'SSL').map((r) => r.task))]) {
    const xs = rows.filter((r) => r.task === task && r.series === 'SSL').map((r) => r.params);
    const label = rows.find((r) => r.task === task)!.label;
    for (const f of floors[label] ?? []) {
      if (!Number.isFinite(f.value)) continue;
      for (const x of [Math.min(...xs), Math.max(...xs)]) out.push({ task, label, series: 'floor', model: `floor: ${f.name}`, params: x, value: f.value, lo: null, hi: null, sd: null, n: 0 });
    }
  }
  return out;
}

/**
 * Fig. S1 bottom rows from evalGeneralization tables (task 'train <pop>', group = test population, metric 'auroc'):
 * model, pretraining ('one population (popA)' | 'several populations' | kind), test ('in-domain' | 'other population'),
 * test population, mean over seeds and 95 % CI.
 */
export function dataSourceRows(table: ColumnTable, encoders: readonly EncoderSizeInfo[], trainPopulation: string): {
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
