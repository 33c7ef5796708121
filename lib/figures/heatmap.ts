/** Annotated matrix: the confusion matrix of Fig S2 and the age train→test 3×3 matrix of Fig 4d. */
import { baseConfig, requireColumns, rowsOf, schemaUrl, Spec, Tidy } from './common';

export interface HeatmapOptions {
  x: string;
  y: string;
  value?: string;
  text?: string;          // column with the label to print (defaults to value, formatted)
  format?: string;        // d3 format for value labels
  column?: string;        // facet (e.g. one matrix per encoder)
  xOrder?: string[];
  yOrder?: string[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  scheme?: string;
  size?: number;
}

export const heatmapDefaults = { value: 'value', format: '.2f', scheme: 'blues', size: 180 };

export function heatmap(table: Tidy, opts: HeatmapOptions): Spec {
  const o = { ...heatmapDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.x, o.y, o.value, o.text, o.column], 'heatmap');
  const enc = {
    x: { field: o.x, type: 'nominal', title: o.xTitle ?? o.x, sort: o.xOrder ?? null, axis: { labelAngle: 0 } },
    y: { field: o.y, type: 'nominal', title: o.yTitle ?? o.y, sort: o.yOrder ?? null },
  };
  const inner = {
    width: o.size,
    height: o.size,
    layer: [
      { mark: 'rect', encoding: { ...enc, color: { field: o.value, type: 'quantitative', scale: { scheme: o.scheme }, title: o.value } } },
      {
        mark: { type: 'text', fontSize: 11 },
        // light text on the darkest cells keeps the numbers readable
        transform: [{ joinaggregate: [{ op: 'max', field: o.value, as: '__max' }], ...(o.column ? { groupby: [o.column] } : {}) }],
        encoding: {
          ...enc,
          text: o.text ? { field: o.text } : { field: o.value, type: 'quantitative', format: o.format },
          color: { condition: { test: `datum['${o.value}'] > 0.6 * datum['__max']`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
  const body = o.column
    ? { data: { values }, facet: { column: { field: o.column, type: 'nominal', title: null } }, spec: inner }
    : { data: { values }, ...inner };
  return { $schema: schemaUrl, ...(o.title ? { title: o.title } : {}), config: baseConfig(), ...body } as Spec;
}
