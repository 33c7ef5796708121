/**
 * Row gathers on flat row-major arrays: a batch of rows picked by index, the one copy loop behind the pretraining
 * shards (lib/pretrain/shard), the dense heads' batches (lib/adapters/segmentation, lib/adapters/regression) and the
 * segmentation protocol's row subsets.
 */

/** Rows `rows` (each `rowSize` values) of a row-major `src`, in the order given, as a new array of src's type. */
export function gatherRows<T extends Float32Array | Uint8Array>(src: T, rowSize: number, rows: ArrayLike<number>): T {
  const out = new (src.constructor as { new(n: number): T })(rows.length * rowSize);
  for (let i = 0; i < rows.length; i++) out.set(src.subarray(rows[i] * rowSize, (rows[i] + 1) * rowSize), i * rowSize);
  return out;
}
