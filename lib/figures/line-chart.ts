/** Lines over a step axis: loss curves and schedules (01-pretraining), probe accuracy vs step, metric vs model size (S1). */
import { baseConfig, nominalColor, requireColumns, rowsOf, schemaUrl, Spec, Tidy } from './common';

export interface LineChartOptions {
  x: string;
  y?: string;
  color?: string;
  row?: string;            // facet rows (e.g. one panel per loss term)
  column?: string;
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
  requireColumns(values, [o.x, o.y, o.color, o.row, o.column, o.strokeDash], 'lineChart');
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
  const body = Object.keys(facet).length
    ? { data: { values }, facet, spec: inner, resolve: { scale: { y: o.independentY === false ? 'shared' : 'independent' } } }
    : { data: { values }, ...inner };
  return { $schema: schemaUrl, ...(o.title ? { title: o.title } : {}), config: baseConfig(), ...body } as Spec;
}
