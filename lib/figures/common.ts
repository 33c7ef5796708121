/** Shared pieces of the paper's figure builders: a figure is `(table, opts) => VegaLiteSpec`; saving is separate. */
import type { TopLevelSpec } from 'vega-lite';

export type Spec = TopLevelSpec;
export type Row = Record<string, unknown>;

/** Anything tidy: an arquero table (has `objects()`) or an array of row objects. */
export type Tidy = Row[] | { objects(): object[] };

export function rowsOf(table: Tidy): Row[] {
  const rows = (Array.isArray(table) ? table : table.objects()) as Row[];
  // vega cannot serialise NaN/Infinity in JSON: they become null (a missing mark), never a silent 0.
  return rows.map((r) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    return out;
  });
}

export function requireColumns(rows: Row[], cols: (string | undefined)[], figure: string): void {
  if (rows.length === 0) throw new Error(`${figure}: empty table`);
  const have = new Set(Object.keys(rows[0]));
  for (const c of cols) if (c !== undefined && !have.has(c)) throw new Error(`${figure}: invalid column: ${c} (have ${[...have].join(', ')})`);
}

export function requirePositive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`invalid ${name}: ${value}`);
  return value;
}

export const schemaUrl = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Colour-blind-safe categorical palette (Okabe–Ito), stable across figures so an encoder keeps its colour. */
export const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function baseConfig(): Record<string, unknown> {
  return {
    font: 'DejaVu Sans',
    view: { stroke: null },
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.4 },
    legend: { labelFontSize: 11, titleFontSize: 12 },
    title: { fontSize: 14, anchor: 'start' },
    range: { category: palette },
  };
}
