/** The ad-hoc bias exploration (lib/analysis sliceColumns) as bars: one panel per sliced attribute. */
import type { ColumnTable } from 'arquero';
import { floorRows, withFloors } from './common';
import type { Row, Spec } from './common';
import { concatSpecs } from './concat';
import { metricBars } from './metric-bars';

/** The chance floor of the slices' AUROC (an uninformative score), by the name drawn in the legend. */
export const SLICE_CHANCE_FLOOR = 'chance (AUROC 0.5)';

/**
 * Groups in reading order: numeric bins by their lower edge ('<18', '[18, 40)', '[40, 60)', '>=60' — young to old, not
 * alphabetical with '>=60' first), other groups in the order the table has them.
 */
export function sliceGroupOrder(groups: readonly string[]): string[] {
  const seen = [...new Set(groups)];
  const lower = (g: string): number => (/^\s*(<|≤|<=)/.test(g) ? -Infinity : Number(/-?\d+(\.\d+)?/.exec(g)?.[0] ?? NaN));
  if (!seen.every((g) => !Number.isNaN(lower(g)))) return seen;
  return [...seen].sort((a, b) => lower(a) - lower(b));
}

/**
 * The ad-hoc exploration as a figure: one metricBars panel per attribute (groups on x in sliceGroupOrder, bars coloured
 * by dataset, bootstrap CI whiskers, the chance level of AUROC as a floor) from stacked sliceColumns tables (rows need
 * `dataset`). Groups that could not be scored (a `reason`) are left out of the figure (they stay in the table); an
 * attribute with a single scored group compares nothing and is named in the title instead of drawn as a one-bar panel.
 */
export function sliceBars(table: ColumnTable, opts: { title?: string; yTitle?: string } = {}): Spec {
  const scored = (table.objects() as Row[]).filter((r) => r.reason === '' || r.reason === undefined);
  if (scored.length === 0) throw new Error('sliceBars: no scored group');
  const attributes = [...new Set(scored.map((r) => String(r.attribute)))];
  const groupsOf = (at: string) => sliceGroupOrder(scored.filter((r) => r.attribute === at).map((r) => String(r.group)));
  const drawn = attributes.filter((at) => groupsOf(at).length > 1);
  const single = attributes.filter((at) => groupsOf(at).length === 1).map((at) => `${at}: one group (${groupsOf(at)[0]})`);
  if (drawn.length === 0) throw new Error(`sliceBars: no attribute with two scored groups (${single.join('; ')})`);
  const auroc = scored.every((r) => r.metric === undefined || r.metric === 'auroc');
  const title = [opts.title, single.length ? `not drawn, ${single.join('; ')}` : ''].filter(Boolean).join(' · ');
  return concatSpecs(drawn.map((at) => {
    const groups = groupsOf(at);
    const rows = scored.filter((r) => r.attribute === at);
    const bars = auroc ? withFloors(rows, floorRows(SLICE_CHANCE_FLOOR, Object.fromEntries(groups.map((g) => [g, 0.5])), { x: 'group', color: 'dataset' })) : rows;
    const spec = metricBars(bars, {
      x: 'group', color: 'dataset', yTitle: opts.yTitle ?? 'macro AUROC (test)', yDomain: [0, 1], width: 40 * groups.length + 40, height: 220, title: at,
    }) as unknown as { layer: { encoding?: { x?: Record<string, unknown> } }[] };
    for (const l of spec.layer) if (l.encoding?.x) l.encoding.x.sort = groups;
    return spec as unknown as Spec;
  }), { title: title || undefined });
}
