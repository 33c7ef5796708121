/**
 * From per-seed (or per-fold) tidy results to what a figure draws: the mean over seeds with a 95% confidence interval,
 * and the paper's p-value annotations (two-sided Student t-test over seeds against a reference encoder).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { studentTCdf } from '../stats/special/student-t';
import { tTest } from '../stats/t-test';
import { formatP } from '../stats/format-p';

export interface SummariseOptions {
  /** Columns identifying one bar (e.g. ['model', 'dataset']). */
  by: string[];
  metric: string;
  /** Keep only rows with this group (e.g. 'macro'); undefined keeps every group (add 'group' to `by`). */
  group?: string;
  split?: string;
  level?: number;
}

/** Two-sided Student t quantile t_{1-(1-level)/2, df} by bisection on the CDF (df ≥ 1). */
export function tQuantile(level: number, df: number): number {
  const target = 1 - (1 - level) / 2;
  let lo = 0, hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < target) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

interface Bucket { key: Record<string, unknown>; values: number[]; ciLo: number[]; ciHi: number[] }

/**
 * Mean ± t-interval over seeds per `by` group: columns ...by, value (mean), sd, n, lo, hi. With a single seed the
 * interval is the protocol's bootstrap CI (`<metric>_ci_lo/_ci_hi` rows) when present, else lo = hi = NaN — shown as
 * no whisker, never as a fake zero-width interval. NaN values (a skipped class) are left out of the mean and counted
 * in `missing`.
 */
export function summariseSeeds(table: ColumnTable, opts: SummariseOptions): ColumnTable {
  const level = opts.level ?? 0.95;
  const rows = table.objects() as Record<string, unknown>[];
  const buckets = new Map<string, Bucket & { missing: number }>();
  for (const r of rows) {
    if (opts.split !== undefined && r.split !== opts.split) continue;
    if (opts.group !== undefined && r.group !== opts.group) continue;
    const isLo = r.metric === `${opts.metric}_ci_lo`, isHi = r.metric === `${opts.metric}_ci_hi`;
    if (r.metric !== opts.metric && !isLo && !isHi) continue;
    const key = Object.fromEntries(opts.by.map((b) => [b, r[b]]));
    const k = JSON.stringify(key);
    if (!buckets.has(k)) buckets.set(k, { key, values: [], ciLo: [], ciHi: [], missing: 0 });
    const b = buckets.get(k)!;
    const v = r.value as number;
    if (isLo) b.ciLo.push(v);
    else if (isHi) b.ciHi.push(v);
    else if (Number.isFinite(v)) b.values.push(v);
    else b.missing++;
  }
  if (buckets.size === 0) throw new Error(`summariseSeeds: no rows with metric '${opts.metric}'${opts.group ? ` and group '${opts.group}'` : ''}`);
  const out: Record<string, unknown>[] = [];
  for (const b of buckets.values()) {
    const n = b.values.length;
    const mean = n ? b.values.reduce((a, x) => a + x, 0) / n : NaN;
    const sd = n > 1 ? Math.sqrt(b.values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
    let lo = NaN, hi = NaN;
    if (n > 1) {
      const h = tQuantile(level, n - 1) * sd / Math.sqrt(n);
      lo = mean - h; hi = mean + h;
    } else if (n === 1 && b.ciLo.length === 1 && b.ciHi.length === 1) {
      lo = b.ciLo[0]; hi = b.ciHi[0];
    }
    out.push({ ...b.key, value: mean, sd, n, lo, hi, missing: b.missing });
  }
  return aq.from(out);
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
 * encoder, per `by` group → columns ...by, model, p, label ('p ≤ 1e-5' style; '' for the reference itself).
 */
export function pValuesVsReference(table: ColumnTable, opts: PValueOptions): ColumnTable {
  const mcol = opts.model ?? 'model';
  const rows = (table.objects() as Record<string, unknown>[]).filter((r) =>
    r.metric === opts.metric && (opts.group === undefined || r.group === opts.group) && (opts.split === undefined || r.split === opts.split)
    && Number.isFinite(r.value as number));
  const groups = new Map<string, { key: Record<string, unknown>; byModel: Map<string, number[]> }>();
  for (const r of rows) {
    const key = Object.fromEntries(opts.by.map((b) => [b, r[b]]));
    const k = JSON.stringify(key);
    if (!groups.has(k)) groups.set(k, { key, byModel: new Map() });
    const g = groups.get(k)!;
    const m = String(r[mcol]);
    if (!g.byModel.has(m)) g.byModel.set(m, []);
    g.byModel.get(m)!.push(r.value as number);
  }
  const out: Record<string, unknown>[] = [];
  for (const { key, byModel } of groups.values()) {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ref = opts.reference ?? [...byModel.entries()].sort((a, b) => mean(b[1]) - mean(a[1]))[0][0];
    const refVals = byModel.get(ref);
    for (const [m, vals] of byModel) {
      let p = NaN;
      if (m !== ref && refVals && vals.length > 1 && refVals.length > 1) {
        const r = tTest(refVals, vals, { equalVar: true });
        p = r.p;
      }
      out.push({ ...key, [mcol]: m, reference: ref, p, label: Number.isFinite(p) ? formatP(p) : '' });
    }
  }
  return aq.from(out);
}
