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

/**
 * The colour of each embedded encoder (and its floors) in every figure: a figure's own category order would give
 * vit-nano-synthetic blue in one figure and orange in the next. Encoders not listed here (a user's own) take the
 * remaining palette colours in order of first appearance in a figure, after the listed ones.
 */
export const ENCODER_COLORS: Readonly<Record<string, string>> = {
  'vit-nano-synthetic': '#0072B2',
  'vit-micro-synthetic': '#56B4E9',
  'vit-nano-popA': '#009E73',
  'supervised-vit_nano-popA': '#D55E00',
  'random-vit_nano': '#999999',
  'random-vit_micro': '#BBBBBB',
  'raw pixels': '#000000',
};

/**
 * A floor — what a trivial predictor scores (chance / prevalence AUPRC, whole-image Dice) — is a row of the figure's
 * tidy table whose colour value starts with FLOOR_PREFIX ('floor: prevalence'); builders draw it as a rule across its x
 * category, named in a legend of its own, never as a bar.
 */
export const FLOOR_PREFIX = 'floor: ';

/** The raw-pixel floor's name in every legend: a ridge probe on the pixels at the encoders' input size (lib/pretrain probePixels). */
export const PIXEL_FLOOR = 'raw pixels (ridge probe)';

export function isFloor(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(FLOOR_PREFIX);
}

/**
 * The floor rows for a figure: one per x category of `values` ({ common: 0.21, rare: 0.004 }), colour = 'floor: <name>',
 * no CI. Throws on a non-finite value (a floor that could not be computed is left out, not drawn at 0).
 * @example metricBars([...bars.objects(), ...floorRows('prevalence', floor3a, { x: 'group', color: 'model' })], opts)
 */
export function floorRows(name: string, values: Readonly<Record<string, number>>, fields: { x: string; color: string; y?: string }): Row[] {
  const entries = Object.entries(values);
  if (entries.length === 0) throw new Error(`floorRows: no values for floor '${name}'`);
  return entries.map(([x, v]) => {
    if (!Number.isFinite(v)) throw new Error(`floorRows: floor '${name}' is ${v} for ${fields.x} '${x}'`);
    return { [fields.x]: x, [fields.color]: `${FLOOR_PREFIX}${name}`, [fields.y ?? 'value']: v };
  });
}

/** A figure's rows with its floor rows appended (the table may be an arquero table or rows). */
export function withFloors(table: Tidy, floors: readonly Row[]): Row[] {
  return [...(Array.isArray(table) ? table : (table.objects() as Row[])), ...floors];
}

/**
 * A table that carries its trivial predictor as one more colour category (Fig S7's 'uniform (box area)') with those rows
 * turned into the floor `name` (floorRows): drawn as a dashed rule named in the floor legend, not as a bar.
 */
export function categoryAsFloor(table: Tidy, category: string, name: string, fields: { x: string; color: string; y?: string }): Row[] {
  const rows = Array.isArray(table) ? table : (table.objects() as Row[]);
  const y = fields.y ?? 'value';
  const floor = rows.filter((r) => r[fields.color] === category);
  if (floor.length === 0) throw new Error(`categoryAsFloor: no row with ${fields.color} '${category}'`);
  return withFloors(rows.filter((r) => r[fields.color] !== category), floorRows(name, Object.fromEntries(floor.map((r) => [String(r[fields.x]), r[y] as number])), fields));
}

/** The vega expression true for a floor row of `field` (for a layer's filter transform). */
export function floorTest(field: string): string {
  return `indexof(datum[${JSON.stringify(field)}], ${JSON.stringify(FLOOR_PREFIX)}) === 0`;
}

/**
 * The colours of categories that are not encoders (frequency bins, training groups, datasets, the arms of an
 * experiment): Paul Tol's muted scheme, colour-blind safe, without a colour of ENCODER_COLORS or `palette` — a blue
 * "common" bin or an orange "F" group would read as an encoder. It is the house config's category range, so every
 * nominal colour without an explicit scale (nominalColor gives encoder fields theirs) takes it.
 */
export const CATEGORY_PALETTE: readonly string[] = ['#882255', '#999933', '#332288', '#CC6677', '#DDCC77', '#44AA99', '#AA4499', '#117733'];

/** A line through fewer points draws a trend that is not there (two points always make a straight line): points only. */
export const MIN_POINTS_FOR_LINE = 3;

/** Fields whose values name encoders: their colour comes from ENCODER_COLORS. */
export const ENCODER_FIELDS: readonly string[] = ['model', 'encoder'];

/** A vega-lite colour scale fixing each encoder's colour (ENCODER_COLORS), or undefined for other fields. */
export function encoderColorScale(field: string, rows: Row[]): { domain: string[]; range: string[] } | undefined {
  if (!ENCODER_FIELDS.includes(field)) return undefined;
  const seen: string[] = [];
  for (const r of rows) { const v = String(r[field]); if (!seen.includes(v)) seen.push(v); }
  const free = palette.filter((c) => !Object.values(ENCODER_COLORS).includes(c));
  let next = 0;
  const range = seen.map((v) => ENCODER_COLORS[v] ?? free[next++ % free.length]);
  return { domain: seen, range };
}

/** A nominal colour channel on `field`, with the fixed encoder colours when the field names encoders. */
export function nominalColor(field: string, rows: Row[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const scale = encoderColorScale(field, rows);
  return { field, type: 'nominal', ...(scale ? { scale } : {}), ...extra };
}

export function baseConfig(): Record<string, unknown> {
  return {
    font: 'DejaVu Sans',
    view: { stroke: null },
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.4 },
    legend: { labelFontSize: 11, titleFontSize: 12 },
    title: { fontSize: 14, anchor: 'start' },
    range: { category: [...CATEGORY_PALETTE] },
  };
}

/** The top of every figure spec: the vega-lite schema, the title when there is one, and the house config. */
export function topLevel(title?: string | string[]): { $schema: string; title?: string | string[]; config: Record<string, unknown> } {
  return { $schema: schemaUrl, ...(title ? { title } : {}), config: baseConfig() };
}
