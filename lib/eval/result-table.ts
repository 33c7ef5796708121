/**
 * The tidy ResultTable every protocol returns — the one seam between protocols and figures: one row per (model, task, dataset, split, seed, fold,
 * group, metric) with its value, plus the grid config that produced it. Figures and statistics read only this table.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';

export interface ResultRow {
  model: string;
  task: string;
  dataset: string;
  split: string;
  seed: number;
  /** Fold index (bias protocol); 0 elsewhere. */
  fold: number;
  /** What the value is about: 'macro', a class name, a frequency bin, a population, 'train=F|test=M', … */
  group: string;
  metric: string;
  value: number;
  /** Name of the grid config the value comes from ('' for values not tied to one config). */
  config: string;
}

export const RESULT_COLUMNS = ['model', 'task', 'dataset', 'split', 'seed', 'fold', 'group', 'metric', 'value', 'config'] as const;

/** Rows → arquero table with the fixed column order (an empty table still has every column). */
export function toResultTable(rows: readonly ResultRow[]): ColumnTable {
  const cols: Record<string, unknown[]> = Object.fromEntries(RESULT_COLUMNS.map((c) => [c, rows.map((r) => r[c])]));
  return aq.table(cols);
}

/** A row builder with the fixed parts bound. */
export function rowMaker(base: Pick<ResultRow, 'model' | 'task' | 'dataset'>) {
  return (r: Partial<ResultRow> & Pick<ResultRow, 'split' | 'seed' | 'group' | 'metric' | 'value'>): ResultRow =>
    ({ fold: 0, config: '', ...base, ...r });
}
