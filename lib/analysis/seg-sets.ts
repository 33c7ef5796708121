/** Segmentation "sets" of Fig 2b: the mean Dice over a set's classes per model and seed, as ResultTable rows. */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';

export interface SegSet {
  /** Name on the figure's x axis, e.g. 'synthetic organs'. */
  name: string;
  /** ResultTable dataset, task (optional) and classes (groups) averaged into this set's mDice (per model and seed). */
  dataset: string;
  task?: string;
  classes: readonly string[];
}

/**
 * Fig. 2b: mDice per segmentation "set" — the mean Dice over `classes` of one dataset per (model, seed) — as ResultTable
 * rows (dataset = set name, group 'all', metric 'mDice'), so barsWithP draws them.
 */
export function segSetTable(table: ColumnTable, sets: readonly SegSet[]): ColumnTable {
  const rows = table.objects() as Record<string, unknown>[];
  const out: Record<string, unknown>[] = [];
  for (const s of sets) {
    const acc = new Map<string, { model: unknown; seed: unknown; task: unknown; sum: number; n: number }>();
    for (const r of rows) {
      if (r.dataset !== s.dataset || (s.task !== undefined && r.task !== s.task) || r.metric !== 'dice' || !s.classes.includes(String(r.group)) || !Number.isFinite(r.value as number)) continue;
      const k = JSON.stringify([r.model, r.seed]);
      const a = acc.get(k) ?? { model: r.model, seed: r.seed, task: r.task, sum: 0, n: 0 };
      a.sum += r.value as number; a.n++;
      acc.set(k, a);
    }
    if (acc.size === 0) throw new Error(`segSetTable: no 'dice' rows of dataset ${s.dataset} for classes ${s.classes.join(', ')}`);
    for (const a of acc.values()) {
      out.push({ model: a.model, task: a.task, dataset: s.name, split: 'test', seed: a.seed, fold: 0, group: 'all', metric: 'mDice', value: a.sum / a.n, config: '' });
    }
  }
  return aq.from(out);
}
