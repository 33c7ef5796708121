/** Lines over a step axis: loss curves and schedules (01-pretraining), probe accuracy vs step, metric vs model size (S1). */
import { topLevel, MIN_POINTS_FOR_LINE, nominalColor, requireColumns, rowsOf, Row, Spec, Tidy } from './common';

/** A named horizontal reference line: a target or a threshold drawn across a panel (e.g. DINO loss ≤ 0.8·log K). */
export interface RefLine {
  name: string;
  value: number;
  /** The facet field's value of the one panel it belongs to (e.g. { series: 'DINO loss / log K' }); absent: every panel. */
  [facet: string]: unknown;
}

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
  /** Column naming a second grouping of the series (e.g. SSL vs random init): line dash where a line is drawn, point shape otherwise. */
  strokeDash?: string;
  /** Legend title of the strokeDash groups (default: the column's name). */
  strokeDashTitle?: string;
  logX?: boolean;
  logY?: boolean;
  /** Points on every series (a series with fewer than MIN_POINTS_FOR_LINE points is drawn as points whatever this says). */
  points?: boolean;
  /** Dashed grey reference lines, named in the dash legend (title `refTitle`, default none: the names say what they are). */
  refs?: readonly RefLine[];
  refTitle?: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  independentY?: boolean;
}

export const lineChartDefaults = { y: 'value', width: 360, height: 200 };

/** Series groups: the first solid; reference lines: dashed, in an order of their own. */
const SERIES_DASHES = [[1, 0], [2, 2], [8, 3, 2, 3]];
const REF_DASHES = [[6, 3], [12, 3, 3, 3], [12, 6]];

export function lineChart(table: Tidy, opts: LineChartOptions): Spec {
  const o = { ...lineChartDefaults, ...opts };
  const rows = rowsOf(table);
  requireColumns(rows, [o.x, o.y, o.color, o.row, o.column, o.wrap, o.strokeDash], 'lineChart');
  if (o.wrap && (o.row || o.column)) throw new Error('lineChart: wrap cannot be combined with row or column facets');
  const facets = [o.wrap, o.row, o.column].filter((f): f is string => f !== undefined);
  // a series is one line: its colour, its dash and its panel
  const keys = [o.color, o.strokeDash, ...facets].filter((f): f is string => f !== undefined);
  const keyOf = (r: Row): string => JSON.stringify(keys.map((k) => r[k]));
  const count = new Map<string, number>();
  for (const r of rows) if (typeof r[o.y] === 'number') count.set(keyOf(r), (count.get(keyOf(r)) ?? 0) + 1);
  const series: Row[] = rows.map((r) => ({ ...r, __line: (count.get(keyOf(r)) ?? 0) >= MIN_POINTS_FOR_LINE }));
  const refs = refRows(o.refs ?? [], facets, rows, o.y);
  const anyLine = series.some((r) => r.__line);
  const pointOnly = series.some((r) => !r.__line);
  // one dash scale for the series' lines and the reference lines: `__dash` holds the series' group or the reference's name
  const groups = o.strokeDash && anyLine ? [...new Set(series.filter((r) => r.__line).map((r) => String(r[o.strokeDash!])))] : [];
  const names = [...new Set(refs.map((r) => String(r.__ref)))];
  const dashDomain = [...groups, ...names];
  const dashRange = [...groups.map((_, i) => SERIES_DASHES[i % SERIES_DASHES.length]), ...names.map((_, i) => REF_DASHES[i % REF_DASHES.length])];
  const values = [...series.map((r) => (groups.length ? { ...r, __dash: String(r[o.strokeDash!]) } : r)), ...refs.map((r) => ({ ...r, __dash: r.__ref }))];

  const columns = o.columns ?? 2;
  const panels = o.wrap ? [...new Set(rows.map((r) => r[o.wrap!]))] : [];
  // a wrapped grid whose last row has free cells: the legends go into the first of them (no half-empty canvas)
  const keyCell = panels.length > columns && panels.length % columns !== 0 && (!!o.color || dashDomain.length > 0 || (pointOnly && !!o.strokeDash));
  const legend = (l: Record<string, unknown>) => (keyCell ? { legend: null } : { legend: l });
  const notRef = '!isValid(datum.__ref)';
  const y = { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: o.logY ? { type: 'log' } : { zero: false } };
  const xOf = (bottom: boolean) => ({
    field: o.x, type: 'quantitative', title: bottom ? (o.xTitle ?? o.x) : null, scale: o.logX ? { type: 'log' } : {},
    ...(bottom ? {} : { axis: { labels: false } }),
  });
  // every scale with a legend has an explicit domain: the key cell's legend then names what each panel draws
  const color: Record<string, Record<string, unknown>> = {};
  if (o.color) {
    color.color = nominalColor(o.color, rows, legend({ labelLimit: 400 }));
    color.color.scale ??= { domain: [...new Set(rows.map((r) => String(r[o.color!])))] };
  }
  const dash = {
    strokeDash: {
      field: '__dash', type: 'nominal', title: groups.length ? (o.strokeDashTitle ?? o.strokeDash) : (o.refTitle ?? null),
      scale: { domain: dashDomain, range: dashRange }, ...legend({ symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300, labelLimit: 400 }),
    },
  };
  const shapeDomain = o.strokeDash ? [...new Set(rows.map((r) => String(r[o.strokeDash!])))] : [];
  // a point without a line cannot show its group by a dash: its shape does (named in a legend only where such points are)
  const shape = o.strokeDash
    ? { shape: { field: o.strokeDash, type: 'nominal', title: o.strokeDashTitle ?? o.strokeDash, scale: { domain: shapeDomain }, ...(pointOnly ? legend({}) : { legend: null }) } }
    : {};
  const layersFor = (x: Record<string, unknown>): unknown[] => [
    ...(anyLine ? [{ transform: [{ filter: `${notRef} && datum.__line` }], mark: { type: 'line' }, encoding: { x, y, ...color, ...(groups.length ? dash : {}) } }] : []),
    ...(o.points || pointOnly ? [{
      transform: [{ filter: o.points ? notRef : `${notRef} && !datum.__line` }],
      mark: { type: 'point', filled: true, size: 50, opacity: 1 },
      encoding: { x, y, ...color, ...shape },
    }] : []),
    ...(refs.length ? [{ transform: [{ filter: `!(${notRef})` }], mark: { type: 'rule', color: '#444444', strokeWidth: 1.5 }, encoding: { y: { field: o.y, type: 'quantitative' }, ...dash } }] : []),
  ];
  const yResolve = o.independentY === false ? 'shared' : 'independent';
  const top = topLevel(o.title);
  if (o.wrap) {
    const cells: unknown[] = panels.map((v, i) => ({
      title: { text: String(v), fontSize: 12, fontWeight: 'bold', anchor: 'middle' },
      transform: [{ filter: { field: o.wrap!, equal: v } }],
      width: o.width, height: o.height,
      // x labels and title under the last panel of each column only, as a facet grid has them
      layer: layersFor(xOf(i + columns >= panels.length)),
    }));
    if (keyCell) cells.push(keyCellSpec({ color, dash, shape, hasDash: dashDomain.length > 0, hasShape: pointOnly && !!o.strokeDash, hasLine: anyLine, height: o.height }));
    const own = keyCell ? 'independent' : 'shared';
    return {
      ...top, data: { values }, columns, concat: cells,
      resolve: { scale: { x: 'shared', y: yResolve, color: own, strokeDash: own, shape: own }, legend: { color: own, strokeDash: own, shape: own } },
    } as Spec;
  }
  const inner = { width: o.width, height: o.height, layer: layersFor(xOf(true)) };
  const facet: Record<string, unknown> = {};
  if (o.row) facet.row = { field: o.row, type: 'nominal', title: null };
  if (o.column) facet.column = { field: o.column, type: 'nominal', title: null };
  const body = Object.keys(facet).length
    ? { data: { values }, facet, spec: inner, resolve: { scale: { y: yResolve } } }
    : { data: { values }, ...inner };
  return { ...top, ...body } as Spec;
}

/**
 * The free cell of a wrapped grid as the figure's key: no mark drawn (its data filtered away), only the legends of the
 * scales the panels use — same explicit domains, so the same colours, dashes and shapes.
 */
function keyCellSpec(o: { color: Record<string, any>; dash: Record<string, any>; shape: Record<string, any>; hasDash: boolean; hasShape: boolean; hasLine: boolean; height: number }): unknown {
  // legends inside the cell's corners (legends sharing a corner would sit side by side): the cell has the panels' width
  // (their shared x scale sizes it); unfilled point marks, so a 'stroke' symbol takes the colour
  const on = (enc: Record<string, any>, orient: string, l: Record<string, unknown>) => Object.fromEntries(Object.entries(enc).map(([k, v]) => [k, { ...v, legend: { orient, ...l } }]));
  const stroke = { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300, labelLimit: 400 };
  return {
    height: o.height, transform: [{ filter: 'false' }],
    layer: [
      ...(o.color.color ? [{ mark: { type: 'point', filled: false }, encoding: on(o.color, 'top-left', o.hasLine ? stroke : { labelLimit: 400 }) }] : []),
      ...(o.hasDash ? [{ mark: { type: 'point', filled: false, color: '#444444' }, encoding: on(o.dash, 'bottom-left', stroke) }] : []),
      ...(o.hasShape ? [{ mark: { type: 'point', filled: true, color: '#444444' }, encoding: on(o.shape, 'top-right', {}) }] : []),
    ],
  };
}

/** The rows of the reference lines, one per panel they are drawn in (a reference without a facet value: every panel). */
function refRows(refs: readonly RefLine[], facets: readonly string[], rows: readonly Row[], y: string): Row[] {
  const out: Row[] = [];
  for (const ref of refs) {
    if (!Number.isFinite(ref.value)) throw new Error(`lineChart: reference '${ref.name}' is ${ref.value}`);
    let placed: Row[] = [{ [y]: ref.value, __ref: ref.name }];
    for (const f of facets) {
      const mine = ref[f];
      if (mine !== undefined && !rows.some((r) => r[f] === mine)) throw new Error(`lineChart: reference '${ref.name}' is for ${f} '${String(mine)}', which has no data`);
      const at = mine !== undefined ? [mine] : [...new Set(rows.map((r) => r[f]))];
      placed = placed.flatMap((p) => at.map((v) => ({ ...p, [f]: v })));
    }
    out.push(...placed);
  }
  return out;
}
