/**
 * Named trainable parameters of a head and their seeded initialisation. Heads keep their weights as tf.Variables in a
 * `ParamStore` (name → variable); gradients come back as a `Grads` map with the same names.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../engine/rng';
import type { DenseParams } from './dense';

export type ParamStore = Map<string, tf.Variable>;
export type Grads = Map<string, tf.Tensor>;

/**
 * Adds a dense layer `name.w` [in, out], `name.b` [out] to the store. Weights ~ N(0, std²) with std = √(2/in) (He et
 * al. 2015, for layers followed by ReLU) unless `std` is given; biases 0.
 */
export function addDense(store: ParamStore, name: string, rng: Rng, inDim: number, outDim: number,
  std = Math.sqrt(2 / inDim)): DenseParams {
  const r = rng.fork(name);
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = r.normal() * std;
  const wv = addParam(store, `${name}.w`, tf.tensor2d(w, [inDim, outDim]));
  const bv = addParam(store, `${name}.b`, tf.zeros([outDim]));
  return { w: wv as unknown as tf.Tensor2D, b: bv as unknown as tf.Tensor1D };
}

/** Adds a raw parameter tensor (e.g. attention queries) under `name`; takes ownership of `value`. */
export function addParam(store: ParamStore, name: string, value: tf.Tensor): tf.Variable {
  const v = tf.variable(value, true, `${name}.${uid()}`);
  value.dispose(); // the variable holds its own reference to the data
  store.set(name, v);
  return v;
}

/** Total scalar count of a store. */
export function paramCount(store: ParamStore): number {
  let n = 0;
  for (const v of store.values()) n += v.size;
  return n;
}

/** Copies every parameter to plain arrays (for saving or comparing runs). */
export function snapshotParams(store: ParamStore): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, v] of store) out[k] = { shape: v.shape.slice(), data: v.dataSync() as Float32Array };
  return out;
}

/**
 * The AdamW parameter groups of the segmentation and regression heads, for lib/engine/adamw's `apply`: `weightDecay`
 * on matrices (names ending `.w`), none on biases and queries, as in timm / mmseg's `paramwise_cfg` defaults.
 */
export function matrixDecay(weightDecay: number): (name: string) => number {
  return (name) => (name.endsWith('.w') ? weightDecay : 0);
}

/**
 * Checks that `grads` holds a gradient of the right shape for every parameter of `store` before an optimiser step
 * (lib/engine/adamw leaves a parameter without gradient untouched, which here would hide a broken backward).
 */
export function checkGrads(store: ParamStore, grads: Grads, where: string): void {
  for (const [k, p] of store) {
    const g = grads.get(k);
    if (!g) throw new Error(`${where}: no gradient for parameter ${k}`);
    if (g.shape.join() !== p.shape.join()) throw new Error(`${where}: gradient ${k} ${g.shape} ≠ param ${p.shape}`);
  }
}

export function disposeParams(store: ParamStore): void {
  for (const v of store.values()) v.dispose();
  store.clear();
}

// tf.variable names must be unique per engine; several heads of the same shape live side by side in a grid.
let counter = 0;
function uid(): number {
  return counter++;
}
