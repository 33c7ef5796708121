/**
 * Fig 3b: training-set frequency of each class on a log scale, bars coloured by frequency bin
 * (common > 10%, uncommon 1–10%, rare < 1%; colours of the category palette, not an encoder's) with the bin edges drawn
 * as dashed rules named in a legend.
 * Input rows: class, frequency (fraction in [0,1]), bin.
 */
import { topLevel, requireColumns, rowsOf, Spec, Tidy } from './common';

export interface FrequencyBarsOptions {
  label?: string;
  frequency?: string;
  bin?: string;
  edges?: number[];
  title?: string;
  width?: number;
  height?: number;
}

export const frequencyBarsDefaults = { label: 'class', frequency: 'frequency', bin: 'bin', edges: [0.01, 0.1], width: 420, height: 220 };

export function frequencyBars(table: Tidy, opts: FrequencyBarsOptions = {}): Spec {
  const o = { ...frequencyBarsDefaults, ...opts };
  const values = rowsOf(table);
  requireColumns(values, [o.label, o.frequency, o.bin], 'frequencyBars');
  for (const r of values) {
    const f = r[o.frequency];
    if (!(typeof f === 'number' && f > 0 && f <= 1)) throw new Error(`invalid frequency: ${String(f)} for ${String(r[o.label])} (log scale needs 0 < f ≤ 1)`);
  }
  const edgeName = `bin edge${o.edges.length > 1 ? 's' : ''} (${o.edges.map((e) => `${+(e * 100).toPrecision(6)} %`).join(', ')})`;
  return {
    ...topLevel(o.title),
    width: o.width,
    height: o.height,
    layer: [
      {
        data: { values },
        mark: 'bar',
        encoding: {
          x: { field: o.label, type: 'nominal', sort: { field: o.frequency, order: 'descending' }, title: null, axis: { labelAngle: -40 } },
          y: { field: o.frequency, type: 'quantitative', scale: { type: 'log' }, stack: null, title: 'frequency in training set', axis: { format: '%' } },
          color: { field: o.bin, type: 'nominal', sort: ['common', 'uncommon', 'rare'], title: 'bin' },
        },
      },
      {
        // the cut-offs named in a legend of their own: a dashed line on a log axis is otherwise read as a floor
        data: { values: o.edges.map((e) => ({ edge: e, line: edgeName })) },
        mark: { type: 'rule', color: 'grey' },
        encoding: {
          y: { field: 'edge', type: 'quantitative' },
          strokeDash: { field: 'line', type: 'nominal', title: null, scale: { domain: [edgeName], range: [[4, 4]] }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2, labelLimit: 400 } },
        },
      },
    ],
  } as Spec;
}

/**
 * Fig. 3b spec: lib/figures frequencyBars with its bars unstacked. Workaround: vega-lite stacks bars by default, which
 * puts 0 into the y domain, and a log scale with 0 in its domain draws nothing (domain [0, 1], no bars, no ticks) —
 * kept apart from frequencyBars, whose unstacked-by-default spec other callers and its tests rely on.
 */
export function frequencyFigure(rows: readonly { class: string; frequency: number; bin: string }[], opts: FrequencyBarsOptions = {}): Spec {
  const spec = frequencyBars([...rows], opts) as unknown as { layer: { encoding?: { y?: Record<string, unknown> } }[] };
  for (const l of spec.layer) if (l.encoding?.y && l.encoding.y.scale && (l.encoding.y.scale as { type?: string }).type === 'log') l.encoding.y.stack = null;
  return spec as unknown as Spec;
}
