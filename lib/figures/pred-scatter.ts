/** Fig S3: predicted vs true value (e.g. Cobb angle) with the identity line, one panel per target. Rows: target, truth, prediction. */
import { topLevel, nominalColor, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface PredScatterOptions {
  truth?: string;
  prediction?: string;
  column?: string;
  color?: string;
  title?: string;
  unit?: string;
  size?: number;
}

export const predScatterDefaults = { truth: 'truth', prediction: 'prediction', column: 'target', size: 200, unit: '' };

export function predScatter(table: Tidy, opts: PredScatterOptions = {}): Spec {
  const o = { ...predScatterDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.truth, o.prediction, o.column, o.color], 'predScatter');
  const u = o.unit ? ` (${o.unit})` : '';
  const inner = {
    width: o.size,
    height: o.size,
    layer: [
      {
        mark: { type: 'point', filled: true, opacity: 0.6, size: 16 },
        encoding: {
          x: { field: o.truth, type: 'quantitative', title: `truth${u}` },
          y: { field: o.prediction, type: 'quantitative', title: `prediction${u}` },
          ...(o.color ? { color: nominalColor(o.color, values) } : {}),
        },
      },
      {
        // identity line spanning the data: y = x
        transform: [{ calculate: `datum['${o.truth}']`, as: '__id' }],
        mark: { type: 'line', color: 'grey', strokeDash: [4, 4] },
        encoding: { x: { field: o.truth, type: 'quantitative' }, y: { field: '__id', type: 'quantitative' } },
      },
    ],
  };
  return {
    ...topLevel(o.title),
    data: { values },
    facet: { column: { field: o.column, type: 'nominal', title: null } },
    spec: inner,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as Spec;
}
