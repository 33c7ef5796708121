/**
 * Fig 4c: per-fold scores as box plots with the fold points on top, grouped by training group (x) and coloured by test
 * group; optional p-value annotations (Mann-Whitney between groups) as a text layer from a second table.
 * Input rows: train_group, test_group, value (one per fold) [, model facet].
 */
import { topLevel, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface GroupStripOptions {
  x?: string;
  color?: string;
  y?: string;
  column?: string;
  annotations?: Tidy;      // rows: x value, label (e.g. 'p ≤ 1e-5'), y position column 'y'
  title?: string;
  yTitle?: string;
  /** Axis / legend titles (default: x is the training group, colour the test group). */
  xTitle?: string;
  colorTitle?: string;
  width?: number;
  height?: number;
}

export const groupStripDefaults = { x: 'train_group', color: 'test_group', y: 'value', width: 240, height: 220 };

export function groupStrip(table: Tidy, opts: GroupStripOptions = {}): Spec {
  const o = { ...groupStripDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.x, o.color, o.y, o.column], 'groupStrip');
  const enc = {
    x: { field: o.x, type: 'nominal', title: o.xTitle ?? 'trained on', axis: { labelAngle: 0 } },
    xOffset: { field: o.color, type: 'nominal' },
    color: { field: o.color, type: 'nominal', title: o.colorTitle ?? 'tested on' },
  };
  const layers: unknown[] = [
    { mark: { type: 'boxplot', extent: 'min-max', opacity: 0.5, size: 14 }, encoding: { ...enc, y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: { zero: false } } } },
    { mark: { type: 'point', filled: true, size: 14, color: 'black', opacity: 0.7 }, encoding: { ...enc, color: { value: 'black' }, y: { field: o.y, type: 'quantitative' } } },
  ];
  if (o.annotations) {
    const ann = rowsOf(o.annotations);
    requireColumns(ann, [o.x, 'label', 'y'], 'groupStrip annotations');
    layers.push({
      data: { values: ann },
      mark: { type: 'text', fontSize: 10, dy: -4 },
      encoding: { x: { field: o.x, type: 'nominal' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  const inner = { width: o.width, height: o.height, layer: layers };
  const body = o.column
    ? { data: { values }, facet: { column: { field: o.column, type: 'nominal', title: null } }, spec: inner }
    : { data: { values }, ...inner };
  return { ...topLevel(o.title), ...body } as Spec;
}
