/** Fig. S1 top: task-group scores of SSL encoders against their parameter count, the best other encoder dashed. */
import type { ScalingRow } from '../analysis/scaling';
import { topLevel, MIN_POINTS_FOR_LINE, rowsOf } from './common';
import type { Spec } from './common';

/** A trend line is drawn through a panel's SSL points only from this many model sizes on (two points make no trend). */
export const MIN_SIZES_FOR_TREND = MIN_POINTS_FOR_LINE;

/**
 * Fig. S1 top from scalingRows: one panel per task group sharing one y-axis, the SSL encoders as points with their 95 %
 * CI whiskers (where computed) against the parameter count (log x), joined by a line only in panels with
 * ≥ MIN_SIZES_FOR_TREND sizes, and the best other encoder and the panel's floors (scalingFloorRows, light grey) as dashed
 * lines labelled with their names.
 */
export function scalingFigure(rows: readonly ScalingRow[], opts: { title?: string; width?: number; height?: number } = {}): Spec {
  if (rows.length === 0) throw new Error('scalingFigure: no rows');
  const sizes = new Map<string, Set<number>>();
  for (const r of rows) if (r.series === 'SSL') sizes.set(r.task, (sizes.get(r.task) ?? new Set()).add(r.params));
  const values = rowsOf(rows.map((r) => ({ ...r, trend: (sizes.get(r.task)?.size ?? 0) >= MIN_SIZES_FOR_TREND })));
  // the log axis hugs the sizes (nice log domains left two thirds of each panel empty)
  const ps = rows.map((r) => r.params).filter((p) => p > 0);
  const x = { field: 'params', type: 'quantitative', title: 'encoder parameters (log)', scale: { type: 'log', nice: false, domain: [Math.min(...ps) / 1.5, Math.max(...ps) * 1.5] } };
  const y = { field: 'value', type: 'quantitative', title: 'score (test)', scale: { zero: false } };
  const series = ['SSL', 'best other', ...(rows.some((r) => r.series === 'floor') ? ['floor'] : [])];
  // the legend draws each series as the line it is in the panels: solid SSL, dashed best other and floors
  const dash = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: series.map((s) => (s === 'SSL' ? [1, 0] : [6, 3])) } };
  const color = {
    field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#0072B2', '#555555', '#aaaaaa'].slice(0, series.length) },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 300 },
  };
  const ssl = "datum.series === 'SSL'";
  const tooltip = [{ field: 'model' }, { field: 'params' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }];
  const layer = [
    { transform: [{ filter: `${ssl} && datum.trend` }], mark: { type: 'line' }, encoding: { x, y, color } },
    { transform: [{ filter: `${ssl} && isValid(datum.lo) && isValid(datum.hi)` }], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
    { transform: [{ filter: ssl }], mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y, color, tooltip } },
    { transform: [{ filter: `!(${ssl})` }], mark: { type: 'line' }, encoding: { x, y, color, strokeDash: dash, detail: { field: 'model' }, tooltip } },
    {
      transform: [{ filter: `!(${ssl})` }, { joinaggregate: [{ op: 'min', field: 'params', as: 'x0' }], groupby: ['task'] }, { filter: 'datum.params === datum.x0' }],
      mark: { type: 'text', align: 'left', baseline: 'top', dy: 4, fontSize: 10, color: '#555555' }, encoding: { x, y, text: { field: 'model' } },
    },
  ];
  return {
    ...topLevel(opts.title), data: { values },
    facet: { column: { field: 'label', type: 'nominal', title: null } },
    spec: { width: opts.width ?? 220, height: opts.height ?? 200, layer },
    resolve: { scale: { y: 'shared' } },
  } as unknown as Spec;
}
