/**
 * Groups of a metadata column for slicing: categorical values as they are (sex, age_bin, population, view, …), numeric
 * columns cut into bins (age with custom edges). Unknown values (null, NaN, '') form the group '(missing)' and numbers
 * outside the bins '(out of range)', so no sample disappears silently.
 */
import type { SampleTable } from '../data/types';

export const MISSING_GROUP = '(missing)';
export const OUT_OF_RANGE_GROUP = '(out of range)';
/** Numeric columns with at most this many distinct values are sliced as categories without bins. */
const MAX_NUMERIC_CATEGORIES = 12;
const KNOWN_ORDER: Record<string, string[]> = { sex: ['F', 'M'], age_bin: ['Young', 'Middle', 'Elder'], split: ['train', 'val', 'test'] };

export interface GroupOptions {
  /**
   * Bin edges for a numeric column, increasing: bin k is [e_k, e_{k+1}), the last bin closed when its upper edge is finite
   * (numpy.histogram's rule). ±Infinity open the ends: [0, 35, 60, Infinity] → '[0, 35)', '[35, 60)', '>=60'.
   */
  bins?: readonly number[];
  /** Groups to keep, in this order (default: every group — known order for sex / age_bin / split, else sorted). */
  groups?: readonly string[];
}

const fmt = (x: number) => String(Number(x.toPrecision(12)));

/** Names of the bins of `edges` ('[a, b)', the last '[a, b]'; '<b' / '>=a' for infinite ends). */
export function binNames(edges: readonly number[]): string[] {
  if (edges.length < 2) throw new Error(`bins: give at least 2 edges, got [${edges.join(', ')}]`);
  for (let k = 1; k < edges.length; k++) {
    if (!(edges[k] > edges[k - 1]) || Number.isNaN(edges[k])) throw new Error(`bins: edges must increase, got [${edges.join(', ')}]`);
  }
  return edges.slice(0, -1).map((lo, k) => {
    const hi = edges[k + 1];
    const last = k === edges.length - 2;
    if (lo === -Infinity && hi === Infinity) return 'all';
    if (lo === -Infinity) return `<${fmt(hi)}`;
    if (hi === Infinity) return `>=${fmt(lo)}`;
    return `[${fmt(lo)}, ${fmt(hi)}${last ? ']' : ')'}`;
  });
}

function binOf(v: number, edges: readonly number[], names: string[]): string {
  for (let k = 0; k < names.length; k++) {
    const last = k === names.length - 1;
    if (v >= edges[k] && (v < edges[k + 1] || (last && v <= edges[k + 1]))) return names[k];
  }
  return OUT_OF_RANGE_GROUP;
}

const isMissing = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** Group name of every table row, and the groups in display order. */
export function groupLabels(fn: string, samples: SampleTable, column: string, opts: GroupOptions = {}): { labels: string[]; order: string[] } {
  const t = samples.table;
  if (!t.columnNames().includes(column)) throw new Error(`${fn}: dataset ${samples.dataset} has no column '${column}' (columns: ${t.columnNames().join(', ')})`);
  const values = t.array(column) as ArrayLike<unknown>;
  let labels: string[];
  let order: string[];
  if (opts.bins) {
    const names = binNames(opts.bins);
    labels = Array.from(values, (v, r) => {
      if (isMissing(v)) return MISSING_GROUP;
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x)) throw new Error(`${fn}: column '${column}', row ${r} (id ${t.get('id', r)}) is '${String(v)}', not a number (bins need numbers)`);
      return binOf(x, opts.bins as number[], names);
    });
    order = names;
  } else {
    const distinct = new Set<unknown>();
    for (const v of Array.from(values)) if (!isMissing(v)) distinct.add(v);
    const numeric = [...distinct].every((v) => typeof v === 'number');
    if (numeric && distinct.size > MAX_NUMERIC_CATEGORIES) {
      throw new Error(`${fn}: column '${column}' is numeric with ${distinct.size} distinct values; pass bins (e.g. bins: [0, 35, 60, Infinity])`);
    }
    labels = Array.from(values, (v) => (isMissing(v) ? MISSING_GROUP : String(v)));
    const names = [...new Set(labels.filter((l) => l !== MISSING_GROUP))];
    const known = KNOWN_ORDER[column];
    order = known && names.every((g) => known.includes(g))
      ? known.filter((g) => names.includes(g))
      : names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }
  if (opts.groups) {
    const present = new Set(labels);
    for (const g of opts.groups) if (!present.has(g) && !order.includes(g)) throw new Error(`${fn}: no group '${g}' in column '${column}' (groups: ${[...present].join(', ')})`);
    order = [...opts.groups];
  } else {
    for (const extra of [OUT_OF_RANGE_GROUP, MISSING_GROUP]) if (labels.includes(extra)) order.push(extra);
  }
  return { labels, order };
}
