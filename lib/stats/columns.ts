/**
 * Multi-label layout used by the macro metrics: COLUMN-MAJOR, one array per class.
 * Y[c][i] = label of sample i for class c (1, 0, or NaN = unknown), S[c][i] = its score.
 * toColumns() converts the other common layout (one row per sample) into this one.
 */
import { assertSameLength, assertVector, Vector } from './validate';

/** Per-sample rows [n][C] → per-class columns [C][n] (Float64Array each). */
export function toColumns(rows: ReadonlyArray<Vector>): Float64Array[] {
  if (rows.length === 0) return [];
  const nClasses = rows[0].length;
  const cols = Array.from({ length: nClasses }, () => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    if (row.length !== nClasses) throw new Error(`toColumns: row ${i} has ${row.length} entries, row 0 has ${nClasses}`);
    for (let c = 0; c < nClasses; c++) cols[c][i] = row[c];
  });
  return cols;
}

/**
 * Class c's (labels, scores) with NaN labels dropped (policy: NaN = unknown label, e.g. CheXpert "uncertain"
 * mapped to NaN; such samples do not count for that class, but still count for the other classes).
 * A NaN *score* is bad input and throws.
 */
export function classColumn(fn: string, Y: ReadonlyArray<Vector>, S: ReadonlyArray<Vector>, c: number): { labels: Float64Array; scores: Float64Array } {
  const y = Y[c];
  const s = S[c];
  assertVector(fn, `Y[${c}]`, y);
  assertVector(fn, `S[${c}]`, s);
  assertSameLength(fn, `Y[${c}]`, y, `S[${c}]`, s);
  let known = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) known++;
  const labels = new Float64Array(known);
  const scores = new Float64Array(known);
  for (let i = 0, k = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) continue;
    labels[k] = y[i];
    scores[k] = s[i];
    if (!Number.isFinite(s[i])) throw new Error(`${fn}: S[${c}][${i}] is ${s[i]}; expected a finite number`);
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`${fn}: Y[${c}][${i}] is ${y[i]}; labels must be 0, 1 or NaN (unknown)`);
    k++;
  }
  return { labels, scores };
}

export function checkMultiLabel(fn: string, Y: ReadonlyArray<Vector>, S: ReadonlyArray<Vector>): void {
  if (!Array.isArray(Y) || !Array.isArray(S)) throw new Error(`${fn}: Y and S must be arrays of per-class columns`);
  if (Y.length !== S.length) throw new Error(`${fn}: length mismatch: Y has ${Y.length} classes, S has ${S.length}`);
  if (Y.length === 0) throw new Error(`${fn}: Y is empty (no classes)`);
}

/**
 * Train-set standardisation of rows of width `d` (population sd; constant columns keep sd 1) → float64 rows: the
 * input scaling of the ridge probe (lib/pretrain/probe) and of the report adapter's patch tokens (lib/text, where the
 * rows are tokens, so each channel is standardised over every token of every training image).
 */
export function standardiseColumns(trainX: Float32Array, xs: Float32Array[], d: number): Float64Array[] {
  const nTr = trainX.length / d;
  const mu = new Float64Array(d), sd = new Float64Array(d);
  for (let i = 0; i < nTr; i++) for (let j = 0; j < d; j++) mu[j] += trainX[i * d + j] / nTr;
  for (let i = 0; i < nTr; i++) for (let j = 0; j < d; j++) sd[j] += (trainX[i * d + j] - mu[j]) ** 2 / nTr;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  return xs.map((x) => {
    const z = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) z[i] = (x[i] - mu[i % d]) / sd[i % d];
    return z;
  });
}
