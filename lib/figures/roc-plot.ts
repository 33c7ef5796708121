/** ROC curves of one class per encoder (Fig 3d right), with the chance diagonal. Input rows: model, fpr, tpr. */
import { topLevel, nominalColor, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface RocPlotOptions {
  color?: string;
  fpr?: string;
  tpr?: string;
  title?: string;
  size?: number;
}

export const rocPlotDefaults = { color: 'model', fpr: 'fpr', tpr: 'tpr', size: 240 };

export function rocPlot(table: Tidy, opts: RocPlotOptions = {}): Spec {
  const o = { ...rocPlotDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.color, o.fpr, o.tpr], 'rocPlot');
  return {
    ...topLevel(o.title),
    width: o.size,
    height: o.size,
    layer: [
      {
        // the chance diagonal, named in a legend of its own
        data: { values: [{ a: 0, b: 0, line: 'chance' }, { a: 1, b: 1, line: 'chance' }] },
        mark: { type: 'line', color: 'grey' },
        encoding: {
          x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' },
          strokeDash: { field: 'line', type: 'nominal', title: null, scale: { range: [[4, 4]] } },
        },
      },
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: o.fpr, type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
          y: { field: o.tpr, type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
          color: nominalColor(o.color, values),
          order: { field: o.fpr, type: 'quantitative' },
        },
      },
    ],
  } as Spec;
}
