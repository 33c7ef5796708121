/**
 * Parameters and gradients as one flat Float32Array (keys in a fixed order), the form they travel in between the main
 * thread and data-parallel workers, and the all-reduce: a weighted sum of the workers' flat gradients
 * (torch DDP averages gradients across ranks; with shard weights bₖ/B the average is the full-batch gradient).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Offsets of each key in the flat layout of `params` (in the map's order). */
export function flatLayout(params: Map<string, tf.Tensor>): { keys: string[]; sizes: number[]; total: number } {
  const keys = [...params.keys()];
  const sizes = keys.map((k) => params.get(k)!.size);
  return { keys, sizes, total: sizes.reduce((a, b) => a + b, 0) };
}

/** All values of `params` concatenated in the map's order (into `out` when given, e.g. a buffer shared with workers). */
export function packParams(params: Map<string, tf.Tensor>, out: Float32Array = new Float32Array(flatLayout(params).total)): Float32Array {
  if (out.length !== flatLayout(params).total) throw new Error(`packParams: a buffer of ${out.length} values for ${flatLayout(params).total} parameters`);
  let o = 0;
  for (const p of params.values()) {
    out.set(p.dataSync() as Float32Array, o);
    o += p.size;
  }
  return out;
}

/** Assigns a flat buffer (from `packParams` of a replica with the same keys and shapes) into `params`. */
export function assignFlat(params: Map<string, tf.Variable>, flat: Float32Array): void {
  const { total } = flatLayout(params);
  if (flat.length !== total) throw new Error(`assignFlat: ${flat.length} values for ${total} parameters`);
  let o = 0;
  for (const p of params.values()) {
    const t = tf.tensor(flat.subarray(o, o + p.size), p.shape, 'float32');
    p.assign(t);
    t.dispose();
    o += p.size;
  }
}

/** A replica's gradients: flat values (zeros where absent) and which keys have one. */
export interface FlatGrads {
  values: Float32Array;
  present: boolean[];
}

/** Gradients by key → flat form in the layout of `params` (a key without gradient: zeros, present false); into `values` when given. */
export function packGrads(params: Map<string, tf.Tensor>, grads: Map<string, tf.Tensor>, values: Float32Array = new Float32Array(flatLayout(params).total)): FlatGrads {
  if (values.length !== flatLayout(params).total) throw new Error(`packGrads: a buffer of ${values.length} values for ${flatLayout(params).total} parameters`);
  const present: boolean[] = [];
  let o = 0;
  for (const [k, p] of params) {
    const g = grads.get(k);
    present.push(!!g);
    if (g) values.set(g.dataSync() as Float32Array, o);
    else values.fill(0, o, o + p.size);
    o += p.size;
  }
  return { values, present };
}

/**
 * Σₖ weights[k]·gradₖ for every key some replica has a gradient for (a key none has stays absent: AdamW then leaves
 * it untouched, as torch with grad None). Summed in shard order, so the result does not depend on timing.
 * Returns new tensors by key, shaped as `params`.
 */
export function allReduceGrads(params: Map<string, tf.Tensor>, shards: readonly FlatGrads[], weights: readonly number[]): Map<string, tf.Tensor> {
  if (shards.length !== weights.length) throw new Error(`allReduceGrads: ${shards.length} shards, ${weights.length} weights`);
  const { total } = flatLayout(params);
  // One tight loop over the flat buffers (absent gradients are zeros there), then a tensor per key that has one.
  const sum = new Float32Array(total);
  shards.forEach((s, j) => {
    if (s.values.length !== total) throw new Error(`allReduceGrads: shard ${j} has ${s.values.length} values for ${total} parameters`);
    const w = weights[j];
    const v = s.values;
    for (let e = 0; e < total; e++) sum[e] += w * v[e];
  });
  const out = new Map<string, tf.Tensor>();
  let o = 0;
  let i = 0;
  for (const [k, p] of params) {
    if (shards.some((s) => s.present[i])) out.set(k, tf.tensor(sum.slice(o, o + p.size), p.shape, 'float32'));
    o += p.size;
    i += 1;
  }
  return out;
}
