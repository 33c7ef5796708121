/**
 * Frozen-encoder features of one (encoder, dataset, split, preprocessing): CLS tokens [N, D] and patch tokens [N, T, D]
 * (T = gridH·gridW), rows aligned with `ids`. Produced by extractFeatures (through the on-disk cache) and consumed by the
 * adapters; adapters never see the encoder.
 */
export interface FeatureSet {
  /** Cache key (sha256 hex) this set was stored under; '' for in-memory sets. */
  key: string;
  /** Cache folder, when loaded from / written to disk. */
  dir?: string;
  encoder: string;
  dataset: string;
  split: string;
  ids: string[];
  n: number;
  dim: number;
  gridH: number;
  gridW: number;
  cls: Float32Array;
  /** [N, T, D]; absent when extracted without patches. */
  patches?: Float32Array;
  /** Intermediate blocks' patch tokens [N, T, D] by block index. */
  blocks?: Map<number, Float32Array>;
}

/** Rows of a FeatureSet by position (a new set; cls, patches and every intermediate block copied). */
export function selectRows(fs: FeatureSet, rows: ArrayLike<number>, split = fs.split): FeatureSet {
  const n = rows.length;
  const d = fs.dim;
  const td = fs.gridH * fs.gridW * d;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < fs.n)) throw new Error(`selectRows: row ${r} outside 0..${fs.n - 1}`);
    ids.push(fs.ids[r]);
  }
  // one row = `per` contiguous values of a row-major [N, …] array
  const gather = (a: Float32Array, per: number) => {
    const out = new Float32Array(n * per);
    for (let i = 0; i < n; i++) out.set(a.subarray(rows[i] * per, (rows[i] + 1) * per), i * per);
    return out;
  };
  return {
    ...fs, key: '', dir: undefined, split, ids, n,
    cls: gather(fs.cls, d),
    patches: fs.patches ? gather(fs.patches, td) : undefined,
    blocks: fs.blocks ? new Map([...fs.blocks].map(([b, a]) => [b, gather(a, td)])) : undefined,
  };
}

/** Rows by sample id, in the order given (blocks kept); throws naming the first id the set lacks. */
export function selectIds(fs: FeatureSet, ids: readonly string[], split = fs.split): FeatureSet {
  const index = new Map(fs.ids.map((id, i) => [id, i]));
  const rows = ids.map((id) => {
    const r = index.get(id);
    if (r === undefined) throw new Error(`selectIds: sample ${id} is not in the ${fs.dataset}/${fs.split} features`);
    return r;
  });
  return selectRows(fs, rows, split);
}
