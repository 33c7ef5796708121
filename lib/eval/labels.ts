/** Label arrays aligned with a FeatureSet's ids, read from the SampleTable (1 / 0 / NaN; class indices). */
import type { SampleTable } from '../data/types';

/** Row index of every sample id in the table. */
export function rowIndex(samples: SampleTable): Map<string, number> {
  const ids = samples.table.array('id') as ArrayLike<string>;
  const m = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) m.set(String(ids[i]), i);
  return m;
}

function rowsOf(samples: SampleTable, ids: readonly string[]): number[] {
  const index = rowIndex(samples);
  return ids.map((id) => {
    const r = index.get(id);
    if (r === undefined) throw new Error(`labels: sample ${id} (from the features) is not in dataset ${samples.dataset}`);
    return r;
  });
}

/** [N, C] labels (NaN = unknown) for `labelNames` (default all of the table's labels). */
export function labelMatrix(samples: SampleTable, ids: readonly string[], labelNames: readonly string[] = samples.labelNames): Float32Array {
  const rows = rowsOf(samples, ids);
  const c = labelNames.length;
  const out = new Float32Array(ids.length * c);
  labelNames.forEach((name, k) => {
    if (!samples.table.columnNames().includes(name)) throw new Error(`labels: dataset ${samples.dataset} has no label column '${name}' (labels: ${samples.labelNames.join(', ')})`);
    const col = samples.table.array(name) as ArrayLike<number | null>;
    rows.forEach((r, i) => {
      const v = col[r];
      out[i * c + k] = v === null || v === undefined ? NaN : Number(v);
    });
  });
  return out;
}

/** Class indices [N] from the `class` column (multi-class tasks). */
export function classIndices(samples: SampleTable, ids: readonly string[]): Int32Array {
  if (!samples.classNames || !samples.table.columnNames().includes('class')) throw new Error(`labels: dataset ${samples.dataset} has no 'class' column (not a multi-class dataset)`);
  const col = samples.table.array('class') as ArrayLike<number | null>;
  const nc = samples.classNames.length;
  return Int32Array.from(rowsOf(samples, ids), (r, i) => {
    const v = col[r];
    if (v === null || !(Number(v) >= 0 && Number(v) < nc)) throw new Error(`labels: dataset ${samples.dataset}, sample ${ids[i]}: class ${v} is not in 0..${nc - 1}`);
    return Number(v);
  });
}

/** Any metadata column for the given ids (sex, age_bin, population, …). */
export function columnOf<T = unknown>(samples: SampleTable, ids: readonly string[], column: string): T[] {
  if (!samples.table.columnNames().includes(column)) throw new Error(`labels: dataset ${samples.dataset} has no column '${column}'`);
  const col = samples.table.array(column) as ArrayLike<T>;
  return rowsOf(samples, ids).map((r) => col[r]);
}

/** Fraction of positives per class among known labels ([N, C] with NaN). */
export function prevalence(labels: Float32Array, n: number, c: number): number[] {
  return Array.from({ length: c }, (_, k) => {
    let pos = 0, known = 0;
    for (let i = 0; i < n; i++) {
      const v = labels[i * c + k];
      if (Number.isNaN(v)) continue;
      known++; pos += v;
    }
    return known > 0 ? pos / known : 0;
  });
}

/** The ids whose `class` is a known class index (e.g. drops the 'other' rows whose class is NaN/null). */
export function idsWithClass(samples: SampleTable, ids: readonly string[]): string[] {
  const nc = samples.classNames?.length ?? 0;
  if (!samples.table.columnNames().includes('class')) throw new Error(`labels: dataset ${samples.dataset} has no 'class' column (not a multi-class dataset)`);
  const col = samples.table.array('class') as ArrayLike<number | null>;
  const index = rowIndex(samples);
  return ids.filter((id) => {
    const v = col[index.get(id) ?? -1];
    return v !== null && v !== undefined && Number(v) >= 0 && Number(v) < nc;
  });
}
