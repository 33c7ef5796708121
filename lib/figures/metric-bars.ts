/**
 * Grouped bars of a metric with 95% CI whiskers and optional p-value labels — the shape of the paper's Fig 2a / 2b / 3a /
 * 3c / 4a / 4e / 3d: one group per x category (dataset, bin, task), one bar per colour (encoder). Floor rows (colour
 * 'floor: …', common.ts floorRows) are drawn as dashed rules across their group, named in a 'floor' legend.
 */
import { topLevel, floorTest, isFloor, nominalColor, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface MetricBarsOptions {
  x: string;             // category axis, e.g. 'dataset'
  color: string;         // bar within group, e.g. 'model'
  y?: string;            // metric value column
  lo?: string;           // CI lower column
  hi?: string;           // CI upper column
  column?: string;       // optional facet
  label?: string;        // optional text column drawn above bars (e.g. formatted p-values)
  title?: string;
  yTitle?: string;
  yDomain?: [number, number];
  width?: number;
  height?: number;
  /** Draw an x label 'name (detail)' on two lines, name above (detail), so long group names do not run into each other. */
  xLabelLines?: boolean;
}

/** vega expression: 'name (detail)' → ['name', '(detail)'], other labels unchanged. */
const TWO_LINE_LABEL = "indexof(datum.label, ' (') > 0 ? [slice(datum.label, 0, indexof(datum.label, ' (')), slice(datum.label, indexof(datum.label, ' (') + 1)] : datum.label";

export const metricBarsDefaults = { y: 'value', lo: 'lo', hi: 'hi', width: 360, height: 240 };

export function metricBars(table: Tidy, opts: MetricBarsOptions): Spec {
  const o = { ...metricBarsDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.x, o.color, o.y, o.column, o.label], 'metricBars');
  const bars = values.filter((r) => !isFloor(r[o.color]));
  if (bars.length === 0) throw new Error('metricBars: only floor rows, no bar');
  const hasFloor = bars.length < values.length;
  const hasCI = o.lo !== '' && o.hi !== '' && o.lo in bars[0] && o.hi in bars[0];
  const yScale = o.yDomain ? { domain: o.yDomain, zero: false } : { zero: false };
  const enc = {
    x: { field: o.x, type: 'nominal', title: null, axis: { labelAngle: 0, ...(o.xLabelLines ? { labelExpr: TWO_LINE_LABEL } : {}) } },
    xOffset: { field: o.color, type: 'nominal' },
    color: nominalColor(o.color, bars, { title: o.color }),
  };
  // floor rows share the table (and a facet's data), so each layer filters its own rows
  const only = hasFloor ? { transform: [{ filter: `!(${floorTest(o.color)})` }] } : {};
  const layers: unknown[] = [
    {
      ...only,
      mark: { type: 'bar' },
      encoding: {
        ...enc,
        y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: yScale },
        tooltip: [{ field: o.x }, { field: o.color }, { field: o.y, format: '.3f' }, ...(hasCI ? [{ field: o.lo, format: '.3f' }, { field: o.hi, format: '.3f' }] : [])],
      },
    },
  ];
  if (hasCI) {
    layers.push({
      ...only,
      mark: { type: 'rule', color: 'black' },
      encoding: { ...enc, color: { value: 'black' }, y: { field: o.lo, type: 'quantitative' }, y2: { field: o.hi } },
    });
  }
  if (o.label) {
    layers.push({
      ...only,
      mark: { type: 'text', dy: -6, fontSize: 9, baseline: 'bottom' },
      encoding: { ...enc, color: { value: 'black' }, y: { field: hasCI ? o.hi : o.y, type: 'quantitative' }, text: { field: o.label } },
    });
  }
  if (hasFloor) {
    const floors = [...new Set(values.filter((r) => isFloor(r[o.color])).map((r) => String(r[o.color])))];
    const dashes = [[6, 3], [2, 2], [8, 3, 2, 3], [1, 0]];
    layers.push({
      transform: [{ filter: floorTest(o.color) }],
      mark: { type: 'rule', color: '#444444', strokeWidth: 2 },
      encoding: {
        // from the start to the end of the x band: the rule spans the whole group of bars
        x: { field: o.x, type: 'nominal', bandPosition: 0 }, x2: { field: o.x, bandPosition: 1 },
        y: { field: o.y, type: 'quantitative' },
        strokeDash: { field: o.color, type: 'nominal', title: 'floor', scale: { domain: floors, range: floors.map((_, i) => dashes[i % dashes.length]) } },
        tooltip: [{ field: o.x }, { field: o.color }, { field: o.y, format: '.3f' }],
      },
    });
  }
  const inner = { width: o.width, height: o.height, layer: layers };
  const spec = o.column
    ? { data: { values }, facet: { column: { field: o.column, type: 'nominal', title: null } }, spec: inner, resolve: { scale: { y: 'independent' } } }
    : { data: { values }, ...inner };
  return { ...topLevel(o.title), ...spec } as Spec;
}
