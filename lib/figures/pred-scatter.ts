/** Fig S3: predicted vs true value (e.g. Cobb angle) with the identity line, one panel per target. Rows: target, truth, prediction. */
import { topLevel, nominalColor, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface PredScatterOptions {
  truth?: string;
  prediction?: string;
  column?: string;
  color?: string;
  /** The one encoder whose predictions these are: the points take its colour (ENCODER_COLORS) and name it in a legend. */
  model?: string;
  title?: string;
  unit?: string;
  size?: number;
}

export const predScatterDefaults = { truth: 'truth', prediction: 'prediction', column: 'target', size: 200, unit: '' };

export function predScatter(table: Tidy, opts: PredScatterOptions = {}): Spec {
  const o = { ...predScatterDefaults, ...opts };
  const values = o.model ? rowsOf(table).map((r) => ({ ...r, model: o.model })) : rowsOf(table);
  const color = o.color ?? (o.model ? 'model' : undefined);
  requireColumns(values, [o.truth, o.prediction, o.column, color], 'predScatter');
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
          ...(color ? { color: nominalColor(color, values) } : {}),
        },
      },
      {
        // identity line spanning the data: y = x, named in a legend of its own
        transform: [{ calculate: `datum['${o.truth}']`, as: '__id' }, { calculate: "'identity (y = x)'", as: '__line' }],
        mark: { type: 'line', color: 'grey', strokeDash: [4, 4] },
        encoding: {
          x: { field: o.truth, type: 'quantitative' }, y: { field: '__id', type: 'quantitative' },
          strokeDash: { field: '__line', type: 'nominal', title: null, scale: { range: [[4, 4]] } },
        },
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
