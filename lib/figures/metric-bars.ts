/**
 * Grouped bars of a metric with 95% CI whiskers and optional p-value labels — the shape of the paper's Fig 2a / 2b / 3a /
 * 3c / 4a / 4e / 3d: one group per x category (dataset, bin, task), one bar per colour (encoder). Floor rows (colour
 * 'floor: …', common.ts floorRows) are drawn as dashed rules across their group, named in a 'floor' legend.
 */
import { topLevel, floorTest, isFloor, nominalColor, requireColumns, rowsOf, Row, Spec, Tidy } from './common';

export interface MetricBarsOptions {
  x: string;             // category axis, e.g. 'dataset'
  color: string;         // bar within group, e.g. 'model'
  y?: string;            // metric value column
  lo?: string;           // CI lower column
  hi?: string;           // CI upper column
  /** One panel per value of this column, each with its own y scale; `column` = `x` gives each x group a panel of its
   * own (groups whose values differ by orders of magnitude, e.g. Fig 3a's rare bin next to the common one), named by
   * its header, in the table's order. */
  column?: string;
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

/** A bar within this fraction of the axis span from its foot gets its value written above it. */
const NEAR_ZERO = 0.015;

export const metricBarsDefaults = { y: 'value', lo: 'lo', hi: 'hi', width: 360, height: 240 };

export function metricBars(table: Tidy, opts: MetricBarsOptions): Spec {
  const o = { ...metricBarsDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.x, o.color, o.y, o.column, o.label], 'metricBars');
  const bars = values.filter((r) => !isFloor(r[o.color]));
  if (bars.length === 0) throw new Error('metricBars: only floor rows, no bar');
  if (!o.label) markTiny(bars, o);
  const hasFloor = bars.length < values.length;
  const hasCI = o.lo !== '' && o.hi !== '' && o.lo in bars[0] && o.hi in bars[0];
  const yScale = o.yDomain ? { domain: o.yDomain, zero: false } : { zero: false };
  // a panel per x group: its header names it, an x label under its one group would say it twice
  const xAxis = o.column !== undefined && o.column === o.x ? { axis: { labels: false, ticks: false } } : { axis: { labelAngle: 0, ...(o.xLabelLines ? { labelExpr: TWO_LINE_LABEL } : {}) } };
  const enc = {
    x: { field: o.x, type: 'nominal', title: null, ...xAxis },
    xOffset: { field: o.color, type: 'nominal' },
    color: nominalColor(o.color, bars, { title: o.color, legend: { labelLimit: 400 } }),
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
  if (!o.label && values.some((r) => r.__tiny)) {
    layers.push({
      transform: [{ filter: 'datum.__tiny === true' }],
      mark: { type: 'text', dy: -4, fontSize: 9, baseline: 'bottom' },
      encoding: { x: enc.x, xOffset: enc.xOffset, y: { field: o.y, type: 'quantitative' }, text: { field: o.y, type: 'quantitative', format: '.2f' } },
    });
  }
  if (hasFloor) {
    const floorData = values.filter((r) => isFloor(r[o.color]));
    const floors = [...new Set(floorData.map((r) => String(r[o.color])))];
    // a floor at the foot of the axis (all background: Dice 0) would hide under the axis line: drawn just above it and
    // its value said in the legend
    const foot = o.yDomain?.[0] ?? 0;
    const onAxis = floors.filter((f) => floorData.filter((r) => r[o.color] === f).every((r) => r[o.y] === foot));
    const dashes = [[6, 3], [2, 2], [8, 3, 2, 3], [1, 0]];
    const rule = (test: string, yOffset: number) => ({
      transform: [{ filter: test }],
      mark: { type: 'rule', color: '#444444', strokeWidth: 2, ...(yOffset ? { yOffset } : {}) },
      encoding: {
        // from the start to the end of the x band: the rule spans the whole group of bars
        x: { field: o.x, type: 'nominal', bandPosition: 0 }, x2: { field: o.x, bandPosition: 1 },
        y: { field: o.y, type: 'quantitative' },
        strokeDash: {
          field: o.color, type: 'nominal', title: 'floor', scale: { domain: floors, range: floors.map((_, i) => dashes[i % dashes.length]) },
          legend: {
            labelLimit: 400,
            ...(onAxis.length ? { labelExpr: `indexof(${JSON.stringify(onAxis)}, datum.label) >= 0 ? datum.label + ' (= ${foot}, on the axis)' : datum.label` } : {}),
          },
        },
        tooltip: [{ field: o.x }, { field: o.color }, { field: o.y, format: '.3f' }],
      },
    });
    const axisTest = onAxis.map((f) => `datum[${JSON.stringify(o.color)}] === ${JSON.stringify(f)}`).join(' || ');
    if (onAxis.length < floors.length) layers.push(rule(onAxis.length ? `${floorTest(o.color)} && !(${axisTest})` : floorTest(o.color), 0));
    if (onAxis.length) layers.push(rule(axisTest, -2));
  }
  const inner = { width: o.width, height: o.height, layer: layers };
  const own = o.column !== undefined && o.column === o.x;
  const spec = o.column
    ? {
        data: { values },
        facet: { column: { field: o.column, type: 'nominal', title: null, ...(own ? { sort: [...new Set(bars.map((r) => String(r[o.x])))], header: { labelFontSize: 12 } } : {}) } },
        spec: inner, resolve: { scale: { y: 'independent', ...(own ? { x: 'independent', xOffset: 'independent' } : {}) } },
      }
    : { data: { values }, ...inner };
  return { ...topLevel(o.title), ...spec } as Spec;
}

/**
 * Marks (`__tiny`) each bar within NEAR_ZERO of its panel's axis span from the axis foot: a bar of (almost) no height
 * looks like a missing bar, so its value is written where it stands. The span is yDomain's, or the panel's 0 → largest
 * value or CI end (each facet panel has its own y scale).
 */
function markTiny(bars: Row[], o: MetricBarsOptions & { y: string; lo: string; hi: string }): void {
  const foot = o.yDomain?.[0] ?? 0;
  const panel = (r: Row) => (o.column ? String(r[o.column]) : '');
  const top = new Map<string, number>();
  for (const r of bars) for (const v of [r[o.y], r[o.hi]]) if (typeof v === 'number') top.set(panel(r), Math.max(top.get(panel(r)) ?? -Infinity, Math.abs(v - foot)));
  for (const r of bars) {
    const v = r[o.y];
    const span = o.yDomain ? o.yDomain[1] - o.yDomain[0] : top.get(panel(r)) ?? 0;
    if (typeof v === 'number' && span > 0 && Math.abs(v - foot) <= NEAR_ZERO * span) r.__tiny = true;
  }
}
