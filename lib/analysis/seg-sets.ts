/**
 * Segmentation "sets" of Fig 2b: the mean Dice over a set's classes per model and seed, as ResultTable rows; and the
 * floors of Fig 2b / 2e (what a constant mask scores).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { constantMaskDice, maskSourceFromSampleTable } from '../eval/dense/segmentation';
import { SegTask, segTaskTestIds } from '../eval/dense/organ-segmentation';
import { FLOOR_PREFIX } from '../figures/common';

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

/** The floors of Fig 2b / 2e, by the name drawn in their legends. */
export const SEG_FLOORS = { wholeImage: 'whole image as the structure', background: 'all background' } as const;

/**
 * The segmentation floors: per task and mask class, the test Dice of predicting every pixel as the class and of
 * predicting all background (lib/eval constantMaskDice, scored as the heads are) on the test images segmentTasks scores
 * (segTaskTestIds), as ResultTable rows (model 'floor: …', seed 0, metric 'dice') — so segSetTable averages them into
 * a set's mDice exactly as it averages a head's. Throws when a task has no test image.
 */
export async function segmentFloors(samples: SampleTable, tasks: readonly Pick<SegTask, 'task' | 'masks' | 'onlyPositives'>[]): Promise<ColumnTable> {
  const rows: Record<string, unknown>[] = [];
  for (const t of tasks) {
    const ids = segTaskTestIds(samples, t);
    if (!ids.length) throw new Error(`segmentFloors: task ${t.task} has no test image in ${samples.dataset}`);
    const masks = t.masks ?? maskSourceFromSampleTable(samples);
    for (const [name, fill] of [[SEG_FLOORS.wholeImage, 1], [SEG_FLOORS.background, 0]] as const) {
      const perClass = await constantMaskDice(masks, ids, fill);
      masks.classes.forEach((group, c) => rows.push({
        model: `${FLOOR_PREFIX}${name}`, task: t.task, dataset: samples.dataset, split: 'test', seed: 0, fold: 0,
        group, metric: 'dice', value: perClass[c], config: '',
      }));
    }
  }
  return aq.from(rows);
}
