/** Lines over a step axis: loss curves and schedules (01-pretraining), probe accuracy vs step, metric vs model size (S1). */
import { topLevel, nominalColor, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface LineChartOptions {
  x: string;
  y?: string;
  color?: string;
  row?: string;            // facet rows (e.g. one panel per loss term)
  column?: string;
  /** One panel per value of this column, wrapped into `columns` per row with the value as the panel title: many panels
   * (e.g. the seven health series) stay readable where row facets would squeeze their labels into the y-axis. */
  wrap?: string;
  columns?: number;
  strokeDash?: string;     // column whose value 'dashed' draws dashed (e.g. best other encoder in S1)
  logX?: boolean;
  logY?: boolean;
  points?: boolean;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  independentY?: boolean;
}

export const lineChartDefaults = { y: 'value', width: 360, height: 200 };

export function lineChart(table: Tidy, opts: LineChartOptions): Spec {
  const o = { ...lineChartDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.x, o.y, o.color, o.row, o.column, o.wrap, o.strokeDash], 'lineChart');
  if (o.wrap && (o.row || o.column)) throw new Error('lineChart: wrap cannot be combined with row or column facets');
  const encoding: Record<string, unknown> = {
    x: { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x, scale: o.logX ? { type: 'log' } : {} },
    y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: o.logY ? { type: 'log' } : { zero: false } },
  };
  if (o.color) encoding.color = nominalColor(o.color, values, { legend: { labelLimit: 400 } });
  if (o.strokeDash) encoding.strokeDash = { field: o.strokeDash, type: 'nominal' };
  const inner = { width: o.width, height: o.height, mark: { type: 'line', point: !!o.points }, encoding };
  const facet: Record<string, unknown> = {};
  if (o.row) facet.row = { field: o.row, type: 'nominal', title: null };
  if (o.column) facet.column = { field: o.column, type: 'nominal', title: null };
  const resolve = { scale: { y: o.independentY === false ? 'shared' : 'independent' } };
  const body = o.wrap
    ? { data: { values }, facet: { field: o.wrap, type: 'nominal', title: null, header: { labelFontSize: 12, labelFontWeight: 'bold' } },
        columns: o.columns ?? 2, spec: inner, resolve }
    : Object.keys(facet).length
    ? { data: { values }, facet, spec: inner, resolve }
    : { data: { values }, ...inner };
  return { ...topLevel(o.title), ...body } as Spec;
}
