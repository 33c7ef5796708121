/**
 * Gradients for the tfjs kernels the library differentiates through (ViT, pretraining losses, baselines, adapters) — the
 * one registry of the project.
 * Why: the CommonJS build of @tensorflow/tfjs-core (dist/tf-core.node.js) registers NO gradients — they ship only as
 * ES modules (dist/register_all_gradients.js) that Node 20's require cannot load — so `tf.grad` fails with
 * "gradient function not found for Sum". The formulas below are those of tfjs-core's src/gradients/*_grad.ts, rewritten
 * with the public API. Registration is idempotent and only fills kernels that have no gradient yet.
 */
import * as tf from '@tensorflow/tfjs-core';

type GradMap = Record<string, () => tf.Tensor>;

/** Sums a broadcast gradient back to the input's shape (tfjs broadcast_util.getReductionAxes). */
function unbroadcast(g: tf.Tensor, shape: number[]): tf.Tensor {
  const extra = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < extra || (shape[i - extra] === 1 && g.shape[i] !== 1)) axes.push(i);
  const r = axes.length ? tf.sum(g, axes) : g;
  return tf.reshape(r, shape);
}

function axesOf(axis: number | number[] | null | undefined, rank: number): number[] {
  if (axis === null || axis === undefined) return [...Array(rank).keys()];
  return (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
}

/** dy of a reduction, reshaped with the reduced axes as size 1 so it broadcasts back to x. */
function expandReduced(dy: tf.Tensor, xShape: number[], axes: number[]): tf.Tensor {
  const shape = xShape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.reshape(dy, shape);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Attrs = any;

const configs: tf.GradConfig[] = [
  { kernelName: 'Add', inputsToSave: ['a', 'b'], gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => unbroadcast(dy as tf.Tensor, b.shape) }) },
  { kernelName: 'Sub', inputsToSave: ['a', 'b'], gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => tf.neg(unbroadcast(dy as tf.Tensor, b.shape)) }) },
  {
    kernelName: 'Multiply', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.cast(b, 'float32')), a.shape), b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.cast(a, 'float32')), b.shape) }),
  },
  {
    kernelName: 'RealDiv', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.div(dy as tf.Tensor, b), a.shape),
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy as tf.Tensor, a), tf.square(b))), b.shape),
    }),
  },
  { kernelName: 'Abs', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sign(x)) }) },
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  { kernelName: 'Cast', gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  { kernelName: 'Square', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(x, 2)) }) },
  { kernelName: 'Sqrt', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as tf.Tensor, tf.mul(tf.sqrt(x), 2)) }) },
  { kernelName: 'Rsqrt', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as tf.Tensor, tf.mul(tf.pow(x, 1.5), -2)) }) },
  { kernelName: 'Exp', outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as tf.Tensor, y) }) },
  { kernelName: 'Log', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as tf.Tensor, x) }) },
  {
    kernelName: 'Erf', inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI))) }),
  },
  {
    kernelName: 'Maximum', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.cast(tf.greaterEqual(a, b), 'float32')), a.shape),
      b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.cast(tf.less(a, b), 'float32')), b.shape),
    }),
  },
  {
    kernelName: 'Sum', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs: Attrs) => ({ x: () => tf.mul(expandReduced(dy as tf.Tensor, x.shape, axesOf(attrs.axis, x.rank)), tf.onesLike(x)) }),
  },
  {
    kernelName: 'Mean', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs: Attrs) => {
      const axes = axesOf(attrs.axis, x.rank);
      const n = axes.reduce((p, a) => p * x.shape[a], 1);
      return { x: () => tf.div(tf.mul(expandReduced(dy as tf.Tensor, x.shape, axes), tf.onesLike(x)), n) };
    },
  },
  { kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as tf.Tensor, x.shape) }) },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _s, attrs: Attrs) => {
      const perm: number[] = attrs.perm;
      const inv = perm.map((_, i) => perm.indexOf(i));
      return { x: () => tf.transpose(dy as tf.Tensor, inv) };
    },
  },
  {
    kernelName: 'Slice', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs: Attrs) => {
      const begin: number[] = typeof attrs.begin === 'number' ? [attrs.begin] : attrs.begin;
      const d = dy as tf.Tensor;
      const pads = x.shape.map((s, i) => [begin[i] ?? 0, s - (begin[i] ?? 0) - d.shape[i]] as [number, number]);
      return { x: () => tf.pad(d, pads) };
    },
  },
  {
    kernelName: 'Concat', saveAllInputs: true,
    gradFunc: (dy, saved, attrs: Attrs) => {
      const axis = axesOf(attrs.axis, saved[0].rank)[0];
      const parts = tf.split(dy as tf.Tensor, saved.map((t) => t.shape[axis]), axis);
      return parts.map((p) => () => p) as unknown as GradMap;
    },
  },
  {
    kernelName: 'BroadcastTo', inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => unbroadcast(dy as tf.Tensor, x.shape) }),
  },
  {
    kernelName: 'Tile', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs: Attrs) => {
      const reps: number[] = attrs.reps;
      const d = dy as tf.Tensor;
      // split each tiled axis into [reps, size] and sum the reps axes
      const shape: number[] = [];
      x.shape.forEach((s, i) => shape.push(reps[i], s));
      const axes = x.shape.map((_, i) => 2 * i);
      return { x: () => tf.reshape(tf.sum(tf.reshape(d, shape), axes), x.shape) };
    },
  },
  {
    kernelName: 'GatherV2', inputsToSave: ['x', 'indices'],
    gradFunc: (dy, [x, indices], attrs: Attrs) => {
      const axis = axesOf(attrs.axis ?? 0, x.rank)[0];
      if (axis !== 0 || (attrs.batchDims ?? 0) !== 0 || indices.rank !== 1) throw new Error('gather gradient: only axis 0, 1-D indices');
      // scatterND sums duplicate indices like UnsortedSegmentSum, and (unlike it) has a wasm kernel
      return { x: () => tf.scatterND(tf.reshape(indices, [indices.shape[0], 1]), dy as tf.Tensor, x.shape), indices: () => tf.zeros(indices.shape) };
    },
  },
  {
    kernelName: 'Softmax', outputsToSave: [true],
    gradFunc: (dy, [y], attrs: Attrs) => {
      const dim = axesOf(attrs.dim ?? -1, y.rank);
      return { logits: () => tf.mul(y, tf.sub(dy as tf.Tensor, tf.sum(tf.mul(dy as tf.Tensor, y), dim, true))) };
    },
  },
  {
    kernelName: 'Pack', saveAllInputs: true,
    gradFunc: (dy, saved, attrs: Attrs) => tf.unstack(dy as tf.Tensor, attrs.axis).map((t) => () => t) as unknown as GradMap,
  },
  { kernelName: 'AddN', saveAllInputs: true, gradFunc: (dy, saved) => saved.map(() => () => tf.clone(dy as tf.Tensor)) as unknown as GradMap },
  { kernelName: 'ArgMax', inputsToSave: ['x'], gradFunc: (_dy, [x]) => ({ x: () => tf.zeros(x.shape) }) },
  {
    kernelName: 'BatchMatMul', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs: Attrs) => {
      const d = dy as tf.Tensor3D;
      const ta: boolean = attrs.transposeA, tb: boolean = attrs.transposeB;
      const A = a as tf.Tensor3D, B = b as tf.Tensor3D;
      if (!ta && !tb) return { a: () => tf.matMul(d, B, false, true), b: () => tf.matMul(A, d, true, false) };
      if (!ta && tb) return { a: () => tf.matMul(d, B, false, false), b: () => tf.matMul(d, A, true, false) };
      if (ta && !tb) return { a: () => tf.matMul(B, d, false, true), b: () => tf.matMul(A, d, false, false) };
      return { a: () => tf.matMul(B, d, true, true), b: () => tf.matMul(d, A, true, true) };
    },
  },
  { kernelName: 'PadV2', inputsToSave: ['x'], gradFunc: (dy, [x], attrs: Attrs) => ({ x: () => tf.slice(dy as tf.Tensor, attrs.paddings.map((p: number[]) => p[0]), x.shape) }) },
];

const stopGradientOp = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** Identity whose gradient is zero (torch's .detach()): tfjs-core has no stopGradient op. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}

/** tf.variable that does not leave its initial tensor behind (tf.variable keeps a reference and does not consume it). */
export function ownedVariable(initial: tf.Tensor, trainable = true, name?: string): tf.Variable {
  const v = tf.variable(initial, trainable, name);
  initial.dispose();
  return v;
}

let registered = false;

/** Registers the gradients above for kernels that have none (idempotent; safe next to a full tfjs install). */
export function registerTrainingGradients(): void {
  if (registered) return;
  registered = true;
  for (const c of configs) {
    if (!tf.getGradient(c.kernelName)) tf.registerGradient(c);
  }
}

registerTrainingGradients();
