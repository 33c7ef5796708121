/**
 * Fig S4: in-domain (x) vs out-of-domain (y) score per seed per encoder, 95% CI ellipses per encoder, and a linear fit
 * over all points (the paper's "generalisation follows in-domain performance" line).
 * Input rows: model, x, y (one per seed).
 */
import { topLevel, nominalColor, requireColumns, rowsOf, Spec, Tidy } from './common';
import { confidenceEllipse } from './ellipse';

export interface DomainScatterOptions {
  color?: string;
  x?: string;
  y?: string;
  level?: number;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  size?: number;
}

export const domainScatterDefaults = { color: 'model', x: 'in_domain', y: 'out_of_domain', level: 0.95, size: 280 };

export function domainScatter(table: Tidy, opts: DomainScatterOptions = {}): Spec {
  const o = { ...domainScatterDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.color, o.x, o.y], 'domainScatter');
  const groups = new Map<string, { xs: number[]; ys: number[] }>();
  for (const r of values) {
    const g = String(r[o.color]);
    if (!groups.has(g)) groups.set(g, { xs: [], ys: [] });
    if (typeof r[o.x] === 'number' && typeof r[o.y] === 'number') {
      groups.get(g)!.xs.push(r[o.x] as number);
      groups.get(g)!.ys.push(r[o.y] as number);
    }
  }
  const ellipses: Record<string, unknown>[] = [];
  for (const [g, { xs, ys }] of groups) {
    if (xs.length < 3) continue; // an ellipse from < 3 points is degenerate: points only
    for (const p of confidenceEllipse(xs, ys, o.level)) ellipses.push({ [o.color]: g, ex: p.x, ey: p.y, order: p.order });
  }
  const xEnc = { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x, scale: { zero: false } };
  const yEnc = { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: { zero: false } };
  return {
    ...topLevel(o.title),
    width: o.size,
    height: o.size,
    layer: [
      ...(ellipses.length ? [{
        data: { values: ellipses },
        mark: { type: 'line', opacity: 0.6 },
        encoding: {
          x: { field: 'ex', type: 'quantitative' }, y: { field: 'ey', type: 'quantitative' },
          color: nominalColor(o.color, values), order: { field: 'order', type: 'quantitative' },
        },
      }] : []),
      { data: { values }, mark: { type: 'point', filled: true }, encoding: { x: xEnc, y: yEnc, color: nominalColor(o.color, values) } },
      {
        data: { values },
        // named in a legend of its own: it is a least-squares fit over every point of every encoder, not y = x
        transform: [{ regression: o.y, on: o.x }, { calculate: "'linear fit, all points'", as: '__line' }],
        mark: { type: 'line', color: 'black' },
        encoding: {
          x: { field: o.x, type: 'quantitative' }, y: { field: o.y, type: 'quantitative' },
          strokeDash: { field: '__line', type: 'nominal', title: null, scale: { range: [[6, 3]] } },
        },
      },
    ],
  } as Spec;
}
