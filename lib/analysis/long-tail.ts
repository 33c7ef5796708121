/**
 * The long-tail and catheter analyses of RayDINO Fig. 3a–c: the finding label set, the class frequencies with their bins
 * (Fig. 3b; bins of the TRAINING prevalence — common > 10 %, uncommon 1–10 %, rare < 1 %, as MIMIC-CXR-LT), the bars per
 * frequency bin / position category with 95 % CIs and p labels (Fig. 3a, 3c), and the chance AUPRC floor of each group.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { deviceLabels } from '../eval/grid/catheter';
import { frequencyBin } from '../stats/macro';
import { floorRows } from '../figures/common';
import type { Row } from '../figures/common';
import { barsWithP } from './seed-bars';

/** The dataset's finding labels: every label except device-position ones ('<device> - Normal|Borderline|Abnormal|…'). */
export function findingLabels(samples: SampleTable): string[] {
  const devices = new Set(deviceLabels(samples.labelNames));
  // 'NGT - Incompletely Imaged' is a position label too, though not one of the three categories
  return samples.labelNames.filter((n) => !devices.has(n) && !/^[A-Z]+ - /.test(n));
}

/**
 * Fig. 3b rows from evalLongTail's 'train_prevalence' rows (one model and seed suffice: prevalence is a property of the
 * data): { class, frequency, bin }, plus `absent` = classes with no training positive (a log scale cannot show 0).
 */
export function frequencyRows(table: ColumnTable, edges: readonly [number, number] = [0.01, 0.1]): { rows: { class: string; frequency: number; bin: string }[]; absent: string[] } {
  const all = (table.objects() as Record<string, unknown>[]).filter((r) => r.metric === 'train_prevalence');
  if (all.length === 0) throw new Error("frequencyRows: no 'train_prevalence' rows (is this an evalLongTail table?)");
  const first = all[0];
  const mine = all.filter((r) => r.model === first.model && r.seed === first.seed && r.dataset === first.dataset);
  const rows: { class: string; frequency: number; bin: string }[] = [];
  const absent: string[] = [];
  for (const r of mine) {
    const f = r.value as number;
    if (f > 0) rows.push({ class: String(r.group), frequency: f, bin: frequencyBin(f, edges) });
    else absent.push(String(r.group));
  }
  return { rows, absent };
}

/** How many classes each bin holds, e.g. { common: 4, uncommon: 8, rare: 3 } (from frequencyRows' rows). */
export function binSizes(rows: readonly { bin: string }[]): Record<string, number> {
  const out: Record<string, number> = { common: 0, uncommon: 0, rare: 0 };
  for (const r of rows) out[r.bin] = (out[r.bin] ?? 0) + 1;
  return out;
}

/**
 * Bars per (group, model) for the given groups (frequency bins or position categories), mean over seeds ± 95 % t-CI,
 * p vs the best encoder within each group; `group` is relabelled with `names` (e.g. 'rare (3 classes)').
 */
export function groupBars(table: ColumnTable, o: { metric: string; groups: readonly string[]; names?: Record<string, string>; split?: string }): ColumnTable {
  const kept = table.filter(aq.escape((d: Record<string, unknown>) => o.groups.includes(String(d.group))));
  const bars = barsWithP(kept, { metric: o.metric, split: o.split ?? 'test', by: ['group'] });
  const order = (g: string) => o.groups.indexOf(g);
  const rows = (bars.objects() as Record<string, unknown>[])
    .sort((a, b) => order(String(a.group)) - order(String(b.group)))
    .map((r) => ({ ...r, group: o.names?.[String(r.group)] ?? r.group }));
  return aq.from(rows);
}

/**
 * AUPRC of an uninformative score per group of classes: a class's chance AUPRC is its prevalence among the known labels
 * of `split` (average precision of a random ranking), macro-averaged over the group's classes that have a positive —
 * the floor each Fig. 3a / 3c bar should be read against.
 * @example chanceAuprc(cxr, { rare: ['Fracture', 'Hernia'] }) // { rare: 0.004 }
 */
export function chanceAuprc(samples: SampleTable, groups: Readonly<Record<string, readonly string[]>>, split = 'test'): Record<string, number> {
  const splits = samples.table.array('split') as ArrayLike<string>;
  const out: Record<string, number> = {};
  for (const [g, labels] of Object.entries(groups)) {
    const prev: number[] = [];
    for (const l of labels) {
      if (!samples.table.columnNames().includes(l)) throw new Error(`chanceAuprc: dataset ${samples.dataset} has no label '${l}'`);
      const col = samples.table.array(l) as ArrayLike<number | null>;
      let pos = 0, known = 0;
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (splits[i] !== split || v === null || v === undefined || Number.isNaN(v)) continue;
        known++; pos += Number(v);
      }
      if (pos > 0) prev.push(pos / known);
    }
    out[g] = prev.length ? prev.reduce((a, b) => a + b, 0) / prev.length : NaN;
  }
  return out;
}

/**
 * chanceAuprc as the Fig 3a / 3c floor rows (model 'floor: prevalence', common.ts floorRows) on the bars' x labels:
 * `names` maps a group to its label on the figure ('rare' → 'rare (4)'); a group whose chance level could not be
 * computed (no test positive: NaN) has no floor rather than a floor at 0.
 * @example metricBars([...bins.objects(), ...prevalenceFloor(chanceAuprc(cxr, groups), names)], { x: 'group', color: 'model' })
 */
export function prevalenceFloor(chance: Readonly<Record<string, number>>, names: Readonly<Record<string, string>> = {}): Row[] {
  const kept = Object.entries(chance).filter(([, v]) => Number.isFinite(v));
  if (kept.length === 0) throw new Error(`prevalenceFloor: no group with a finite chance AUPRC (${Object.keys(chance).join(', ')})`);
  return floorRows('prevalence', Object.fromEntries(kept.map(([g, v]) => [names[g] ?? g, v])), { x: 'group', color: 'model' });
}
