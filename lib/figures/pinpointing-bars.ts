/** Fig 4e: pinpointing accuracy bars with the chance level as a floor. */
import type { ColumnTable } from 'arquero';
import { metricBars } from './metric-bars';
import { floorRows, withFloors } from './common';
import type { Spec } from './common';

/** Fig 4e's floor, by the name drawn in its legend. */
export const PINPOINTING_FLOOR = 'chance (random patch)';

/**
 * Fig 4e: metricBars of pinpointingSummary (x dataset, colour model, 95 % CI whiskers) with the chance level drawn as a
 * floor named in the legend ('floor: chance (random patch)', a dashed rule across the dataset's bars) where every
 * encoder of a dataset has the same chance level (the same patch grid); otherwise each bar gets its own red tick and the
 * title says so. Legend labels are never truncated (encoder names are long).
 */
export function pinpointingBars(summary: ColumnTable, opts: { title?: string } = {}): Spec {
  const rows = summary.objects() as { dataset: string; chance: number }[];
  const chance = new Map<string, number[]>();
  for (const r of rows) chance.set(r.dataset, [...(chance.get(r.dataset) ?? []), r.chance]);
  const shared = [...chance.values()].every((v) => v.every((x) => Number.isFinite(x) && Math.abs(x - v[0]) < 1e-12));
  if (shared) {
    const floors = floorRows(PINPOINTING_FLOOR, Object.fromEntries([...chance].map(([d, v]) => [d, v[0]])), { x: 'dataset', color: 'model' });
    const spec = metricBars(withFloors(summary, floors), { x: 'dataset', color: 'model', yTitle: 'pinpointing macro accuracy', yDomain: [0, 1], title: opts.title }) as Record<string, any>;
    spec.config = { ...spec.config, legend: { ...spec.config?.legend, labelLimit: 0 } };
    return spec as Spec;
  }
  const title = `${opts.title ? `${opts.title} · ` : ''}red tick: each encoder's chance level (random patch)`;
  const spec = metricBars(summary, { x: 'dataset', color: 'model', yTitle: 'pinpointing macro accuracy', yDomain: [0, 1], title }) as Record<string, any>;
  if (!Array.isArray(spec.layer)) throw new Error('pinpointingBars: expected a layered metricBars spec');
  spec.layer = [...spec.layer, {
    mark: { type: 'tick', color: '#d62728', thickness: 2 },
    encoding: { x: { field: 'dataset', type: 'nominal' }, xOffset: { field: 'model', type: 'nominal' }, y: { field: 'chance', type: 'quantitative' } },
  }];
  spec.config = { ...spec.config, legend: { ...spec.config?.legend, labelLimit: 0 } };
  return spec as Spec;
}
