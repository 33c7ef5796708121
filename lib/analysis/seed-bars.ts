/**
 * Bars of a ResultTable's mean over seeds with 95 % t-intervals and the t-test p of each encoder against the best one
 * (the paper's Fig 2a/2b/2e, 3, 4 bars), and their verdicts in words: which encoder is best, where differences are
 * significant after Holm correction, and whether SSL beats random init.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { groupedVerdicts, oneSampleTTestFromStats, tTestFromStats } from '../stats';
import type { Comparison } from '../stats';
import { pValuesVsReference, summariseSeeds } from './summarise';
import { FLOOR_PREFIX } from '../figures/common';

export interface BarsOptions {
  metric: string;
  /** ResultTable group kept (e.g. 'macro', 'all'); undefined = every group (then put 'group' in `by`). */
  group?: string;
  split?: string;
  /** Columns of one bar besides 'model' (default ['dataset']). */
  by?: string[];
  level?: number;
  /** The metric's range: a t-interval reaching past it (3 seeds, a noisy rare class) is clipped for display (default [0, 1]; null = none). */
  clip?: [number, number] | null;
}

/**
 * Mean over seeds with a 95 % t-interval per (by…, model), joined with the two-sided t-test p of each encoder against
 * the best one in its `by` group (scipy ttest_ind, equal variances): columns ...by, model, value, lo, hi, sd, n, p,
 * label ('' for the best; 'p ≤ 1e-5' style otherwise), best (the best encoder's name). lo/hi are clipped to `clip`.
 */
export function barsWithP(table: ColumnTable, o: BarsOptions): ColumnTable {
  const by = o.by ?? ['dataset'];
  const summary = summariseSeeds(table, { by: [...by, 'model'], metric: o.metric, group: o.group, split: o.split, level: o.level });
  const p = pValuesVsReference(table, { by, metric: o.metric, group: o.group, split: o.split });
  const key = (r: Record<string, unknown>) => JSON.stringify([...by, 'model'].map((c) => r[c]));
  const pRows = new Map((p.objects() as Record<string, unknown>[]).map((r) => [key(r), r]));
  const rows = (summary.objects() as Record<string, unknown>[]).map((r) => {
    const q = pRows.get(key(r));
    const [a, b] = o.clip === undefined ? [0, 1] : o.clip ?? [-Infinity, Infinity];
    const clip = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(b, Math.max(a, v)) : v);
    return { ...r, lo: clip(r.lo), hi: clip(r.hi), p: (q?.p as number) ?? NaN, label: (q?.label as string) ?? '', best: (q?.reference as string) ?? '' };
  });
  return aq.from(rows);
}

function groupRows(bars: ColumnTable, by: string[]): Map<string, Record<string, unknown>[]> {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of bars.objects() as Record<string, unknown>[]) {
    const k = by.map((c) => String(r[c])).join(' / ');
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return groups;
}

/**
 * Plain-words verdict per `by` group of a barsWithP table: the encoder with the highest mean (with its CI), then, for
 * every other encoder, "better than" only where barsWithP's t-test over seeds against it is significant after Holm
 * correction across all comparisons of the table (the figure), else "no significant difference (p = …)"
 * (lib/stats/verdict). Returned as lines so a notebook prints what the numbers support.
 */
export function verdictLines(bars: ColumnTable, metric: string, by: string[] = ['dataset'], opts: { alpha?: number } = {}): string[] {
  const f = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  const groups: { head: string; family: Comparison[] }[] = [];
  for (const [k, rs] of groupRows(bars, by)) {
    const scored = rs.filter((r) => Number.isFinite(r.value as number)).sort((a, b) => (b.value as number) - (a.value as number));
    if (!scored.length) { groups.push({ head: `${k}: no encoder could be scored on ${metric}`, family: [] }); continue; }
    const top = scored[0];
    groups.push({
      head: `${k}: highest mean ${metric} ${top.model} ${f(top.value)} [${f(top.lo)}, ${f(top.hi)}]`,
      family: scored.slice(1).map((r) => ({ a: String(top.model), b: String(r.model), p: r.p as number, meanA: top.value as number, meanB: r.value as number })),
    });
  }
  return groupedVerdicts(groups, { alpha: opts.alpha }).map(({ head, verdicts: v }) => {
    const said = v.map((x) => `${x.line} [${x.b} ${f(x.meanB)}]`);
    return said.length ? `${head}; ${said.join('; ')}` : head;
  });
}

/**
 * SSL vs random init (the paper's floor): for each `by` group, every SSL × random-init pair tested with the t-test over
 * seeds (from the bars' mean / SD / n, = scipy ttest_ind_from_stats), Holm-corrected across all pairs of the table;
 * "SSL better than random init" for a group only when every pair is significant in SSL's favour, else the pairs' own
 * verdicts. `kinds` maps model name → 'ssl' | 'random' | … (from session.encoders). Empty when either kind is absent.
 */
export function sslVsRandom(bars: ColumnTable, kinds: ReadonlyMap<string, string>, by: string[] = ['dataset'], opts: { alpha?: number } = {}): string[] {
  const groups: { k: string; family: Comparison[] }[] = [];
  for (const [k, rs] of groupRows(bars, by)) {
    const ssl = rs.filter((r) => kinds.get(String(r.model)) === 'ssl' && Number.isFinite(r.value as number));
    const rnd = rs.filter((r) => kinds.get(String(r.model)) === 'random' && Number.isFinite(r.value as number));
    if (!ssl.length || !rnd.length) continue;
    const family = ssl.flatMap((s) => rnd.map((r): Comparison => {
      const t = tTestFromStats(s.value as number, s.sd as number, s.n as number, r.value as number, r.sd as number, r.n as number);
      return { a: String(s.model), b: String(r.model), p: t.p, meanA: s.value as number, meanB: r.value as number };
    }));
    groups.push({ k, family });
  }
  return groupedVerdicts(groups, { alpha: opts.alpha }).map(({ k, verdicts: here }) => {
    const all = here.every((x) => x.better === x.a);
    return `${k}: ${all ? 'SSL better than random init' : 'SSL NOT shown better than random init'} (${here.map((x) => x.line).join('; ')})`;
  });
}

/**
 * Every encoder against a figure's floors (rows whose `model` is 'floor: …', with the bars' `by` columns and `value`):
 * the one-sample t-test of the encoder's seed mean against the floor's value (a floor has no spread; = scipy
 * ttest_1samp on the seeds), Holm-corrected across every encoder × floor comparison of the figure. One line per group
 * and floor: "<group>: <floor> <value> — <encoder> better than it / it better than <encoder> / no significant
 * difference (p = …)"; "not tested" where an encoder has fewer than 2 seeds. Floors without bars in their group are
 * skipped.
 */
export function floorLines(bars: ColumnTable, floors: readonly Record<string, unknown>[], metric: string, by: string[] = ['dataset'], opts: { alpha?: number } = {}): string[] {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  const groups = groupRows(bars, by);
  const family: { head: string; family: Comparison[] }[] = [];
  for (const fl of floors) {
    const k = by.map((c) => String(fl[c])).join(' / ');
    const floor = String(fl.model).slice(String(fl.model).startsWith(FLOOR_PREFIX) ? FLOOR_PREFIX.length : 0);
    const mu = fl.value as number;
    const rs = (groups.get(k) ?? []).filter((r) => Number.isFinite(r.value as number));
    if (!rs.length) continue;
    family.push({
      head: `${k}: floor ${floor} ${f(mu)} (${metric})`,
      family: rs.map((r) => ({ a: String(r.model), b: floor, p: oneSampleTTestFromStats(r.value as number, r.sd as number, r.n as number, mu).p, meanA: r.value as number, meanB: mu })),
    });
  }
  return groupedVerdicts(family, { alpha: opts.alpha }).map(({ head, verdicts: v }) => `${head} — ${v.map((x) => `${x.line} [${x.a} ${f(x.meanA)}]`).join('; ')}`);
}
