/**
 * Notebook 03 (paper Fig. 3a–c): the label sets of the long-tail and catheter tasks, the class frequencies with their
 * bins (Fig. 3b), and the per-bin / per-position bars with 95 % CIs and p labels (Fig. 3a, 3c).
 *
 * RayDINO (Moutakanni et al. 2024), Fig. 3: macro AUPRC by frequency bin of the TRAINING prevalence — common > 10 %,
 * uncommon 1–10 %, rare < 1 % (MIMIC-CXR-LT) — and catheter position AUPRC (RANZCR CLiP) per Normal / Borderline /
 * Abnormal.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { deviceLabels } from '../eval/grid/catheter';
import { frequencyBars, FrequencyBarsOptions } from '../figures/frequency-bars';
import { floorRows } from '../figures/common';
import type { Row, Spec } from '../figures/common';
import { barsWithP } from '../analysis/seed-bars';

/** The dataset's finding labels: every label except device-position ones ('<device> - Normal|Borderline|Abnormal|…'). */
export function findingLabels(samples: SampleTable): string[] {
  const devices = new Set(deviceLabels(samples.labelNames));
  // 'NGT - Incompletely Imaged' is a position label too, though not one of the three categories
  return samples.labelNames.filter((n) => !devices.has(n) && !/^[A-Z]+ - /.test(n));
}

/** Frequency bin of a training prevalence, with binnedMacroAuprc's rule: rare p < 1 %, uncommon 1 % ≤ p ≤ 10 %, common p > 10 %. */
export function frequencyBin(p: number, edges: readonly [number, number] = [0.01, 0.1]): 'rare' | 'uncommon' | 'common' {
  if (!(p >= 0 && p <= 1)) throw new Error(`frequencyBin: invalid prevalence: ${p}`);
  return p < edges[0] ? 'rare' : p <= edges[1] ? 'uncommon' : 'common';
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
 * Fig. 3b spec: lib/figures frequencyBars with its bars unstacked. Workaround: vega-lite stacks bars by default, which
 * puts 0 into the y domain, and a log scale with 0 in its domain draws nothing (domain [0, 1], no bars, no ticks) —
 * reported to the figures owner; remove once frequencyBars sets `stack: null` itself.
 */
export function frequencyFigure(rows: readonly { class: string; frequency: number; bin: string }[], opts: FrequencyBarsOptions = {}): Spec {
  const spec = frequencyBars([...rows], opts) as unknown as { layer: { encoding?: { y?: Record<string, unknown> } }[] };
  for (const l of spec.layer) if (l.encoding?.y && l.encoding.y.scale && (l.encoding.y.scale as { type?: string }).type === 'log') l.encoding.y.stack = null;
  return spec as unknown as Spec;
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
