/** The ad-hoc bias exploration (lib/analysis sliceColumns) as bars: one panel per sliced attribute. */
import type { ColumnTable } from 'arquero';
import type { Spec } from './common';
import { concatSpecs } from './concat';
import { metricBars } from './metric-bars';

/**
 * The ad-hoc exploration as a figure: one metricBars panel per attribute (groups on x, bars coloured by dataset,
 * bootstrap CI whiskers) from stacked sliceColumns tables (rows need `dataset`). Groups that could not be scored (a
 * `reason`) are left out of the figure (they stay in the table).
 */
export function sliceBars(table: ColumnTable, opts: { title?: string; yTitle?: string } = {}): Spec {
  const scored = (table.objects() as Record<string, unknown>[]).filter((r) => r.reason === '' || r.reason === undefined);
  if (scored.length === 0) throw new Error('sliceBars: no scored group');
  const attributes = [...new Set(scored.map((r) => String(r.attribute)))];
  return concatSpecs(attributes.map((at) => metricBars(scored.filter((r) => r.attribute === at), {
    x: 'group', color: 'dataset', yTitle: opts.yTitle ?? 'macro AUROC (test)', yDomain: [0, 1], width: 40 * new Set(scored.filter((r) => r.attribute === at).map((r) => r.group)).size + 40, height: 220, title: at,
  })), { title: opts.title });
}
