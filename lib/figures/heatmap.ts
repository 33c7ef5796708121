/** Annotated matrix: the confusion matrix of Fig S2 and the age train→test 3×3 matrix of Fig 4d. */
import { topLevel, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface HeatmapOptions {
  x: string;
  y: string;
  value?: string;
  text?: string;          // column with the label to print (defaults to value, formatted)
  format?: string;        // d3 format for value labels
  column?: string;        // facet (e.g. one matrix per encoder)
  columns?: number;       // panels per row of the facet grid (default 3: six confusion matrices in one row are unreadable)
  xOrder?: string[];
  yOrder?: string[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  scheme?: string;
  /** Colour scale domain, fixed (e.g. [0, 1] for row fractions, so that figures of one kind share one scale); default: the data's. */
  domain?: [number, number];
  /** What the colour legend names (default: the value column's name). */
  legendTitle?: string;
  size?: number;
}

export const heatmapDefaults = { value: 'value', format: '.2f', scheme: 'blues', size: 180 };

export function heatmap(table: Tidy, opts: HeatmapOptions): Spec {
  const o = { ...heatmapDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.x, o.y, o.value, o.text, o.column], 'heatmap');
  const finite = values.map((r) => r[o.value]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (o.domain && !(o.domain[0] < o.domain[1])) throw new Error(`heatmap: invalid domain: [${o.domain.join(', ')}]`);
  const [lo, hi] = o.domain ?? (finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1]);
  const dark = lo + 0.6 * (hi - lo);
  const enc = {
    // no grid: the shared config's grid lines would cut through the middle of every cell
    x: { field: o.x, type: 'nominal', title: o.xTitle ?? o.x, sort: o.xOrder ?? null, axis: { labelAngle: 0, grid: false } },
    y: { field: o.y, type: 'nominal', title: o.yTitle ?? o.y, sort: o.yOrder ?? null, axis: { grid: false } },
  };
  const inner = {
    width: o.size,
    height: o.size,
    layer: [
      {
        mark: 'rect',
        encoding: {
          ...enc,
          color: {
            field: o.value, type: 'quantitative', scale: { scheme: o.scheme, ...(o.domain ? { domain: o.domain, clamp: true } : {}) }, title: o.legendTitle ?? o.value,
            // the cells' number format at every tick: a data-spanned gradient labelled with its ends rounded to one decimal
            // read '0.5' for 0.539
            legend: { format: o.format, tickCount: 5 },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        // light text on the darkest cells keeps the numbers readable; the colour scale spans `domain` or the data's
        // [min, max] over every panel (facets share it), so "dark" is the top 40 % of that range, not 60 % of the maximum
        // (which made every cell of a 0.50–0.65 matrix white-on-pale)
        encoding: {
          ...enc,
          text: o.text ? { field: o.text } : { field: o.value, type: 'quantitative', format: o.format },
          color: { condition: { test: `datum[${JSON.stringify(o.value)}] > ${dark}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
  const body = o.column
    ? { data: { values }, facet: { field: o.column, type: 'nominal', title: null }, columns: o.columns ?? 3, spec: inner }
    : { data: { values }, ...inner };
  return { ...topLevel(o.title), ...body } as Spec;
}
