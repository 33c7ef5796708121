/**
 * Gradients for the tfjs kernels the ViT (and common losses) use. The CommonJS build of @tensorflow/tfjs-core
 * (dist/tf-core.node.js) registers NO gradients — its register_all_gradients module ships only as ES modules, which
 * Node 20's CommonJS loader cannot require — so `tf.grad` fails with "gradient function not found for Add" unless
 * they are registered. These follow tfjs-core's own gradient configs (src/gradients/*_grad.ts, Apache-2.0).
 * A kernel that already has a gradient (registered by someone else) is left untouched.
 */
import * as tf from '@tensorflow/tfjs-core';

type Grads = Record<string, () => tf.Tensor> | Array<() => tf.Tensor>;
type GradFn = (dy: tf.Tensor, saved: tf.Tensor[], attrs: Record<string, unknown>) => Grads;

function reduceTo(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(shape, dy.shape);
  const axes = tf.backend_util.getReductionAxes(shape, outShape);
  return axes.length > 0 ? tf.reshape(tf.sum(dy, axes), shape) : tf.reshape(dy, shape);
}

function axesOf(axis: unknown, shape: number[]): number[] {
  const list = axis === null || axis === undefined ? shape.map((_, i) => i) : Array.isArray(axis) ? axis as number[] : [axis as number];
  return list.map((a) => (a < 0 ? a + shape.length : a));
}

function expandReduced(dy: tf.Tensor, xShape: number[], axis: unknown): tf.Tensor {
  const expanded = xShape.slice();
  for (const a of axesOf(axis, xShape)) expanded[a] = 1;
  return tf.mul(tf.reshape(dy, expanded), tf.ones(xShape, 'float32'));
}

const configs: Array<{ kernelName: string; inputsToSave?: string[]; outputsToSave?: boolean[]; saveAllInputs?: boolean; gradFunc: GradFn }> = [
  { kernelName: 'Add', inputsToSave: ['a', 'b'], gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(dy, a.shape), b: () => reduceTo(dy, b.shape) }) },
  { kernelName: 'Sub', inputsToSave: ['a', 'b'], gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(dy, a.shape), b: () => tf.neg(reduceTo(dy, b.shape)) }) },
  {
    kernelName: 'Multiply', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(tf.mul(dy, tf.cast(b, 'float32')), a.shape), b: () => reduceTo(tf.mul(dy, tf.cast(a, 'float32')), b.shape) }),
  },
  {
    kernelName: 'RealDiv', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => reduceTo(tf.div(dy, tf.cast(b, 'float32')), a.shape),
      b: () => reduceTo(tf.neg(tf.div(tf.mul(dy, tf.cast(a, 'float32')), tf.square(tf.cast(b, 'float32')))), b.shape),
    }),
  },
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy) }) },
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => tf.cast(dy, 'float32') }) },
  { kernelName: 'Cast', gradFunc: (dy) => ({ x: () => dy.clone() }) },
  { kernelName: 'Square', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(tf.cast(x, 'float32'), 2)) }) },
  { kernelName: 'Sqrt', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy, tf.mul(tf.sqrt(tf.cast(x, 'float32')), 2)) }) },
  { kernelName: 'Rsqrt', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy, tf.mul(tf.pow(x, 1.5), -2)) }) },
  { kernelName: 'Exp', outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy, y) }) },
  { kernelName: 'Log', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy, tf.cast(x, 'float32')) }) },
  {
    kernelName: 'Erf', inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI))) }),
  },
  { kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy, x.shape) }) },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _s, attrs) => {
      const perm = attrs.perm as number[];
      const undo = perm.map((_, i) => perm.indexOf(i));
      return { x: () => tf.transpose(dy, undo) };
    },
  },
  {
    kernelName: 'Slice', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
      return { x: () => tf.pad(dy, x.shape.map((n, i) => [begin[i], n - begin[i] - size[i]] as [number, number])) };
    },
  },
  {
    kernelName: 'Concat', saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = axesOf(attrs.axis, saved[0].shape)[0];
      const parts = tf.split(dy, saved.map((t) => t.shape[axis]), axis);
      return parts.map((t) => () => t);
    },
  },
  {
    kernelName: 'BroadcastTo',
    gradFunc: (dy, _s, attrs) => {
      const inShape = attrs.inputShape as number[];
      const outShape = attrs.shape as number[];
      const off = outShape.length - inShape.length;
      const axes = outShape.map((n, i) => (i < off || inShape[i - off] !== n ? i : -1)).filter((i) => i >= 0);
      return { x: () => tf.reshape(axes.length ? tf.sum(dy, axes, true) : dy, inShape) };
    },
  },
  { kernelName: 'Sum', inputsToSave: ['x'], gradFunc: (dy, [x], attrs) => ({ x: () => expandReduced(dy, x.shape, attrs.axis) }) },
  {
    kernelName: 'Mean', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const n = axesOf(attrs.axis, x.shape).reduce((a, ax) => a * x.shape[ax], 1);
      return { x: () => tf.div(expandReduced(dy, x.shape, attrs.axis), n) };
    },
  },
  {
    kernelName: 'Softmax', outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => {
      const dyy = tf.mul(dy, y);
      return { logits: () => tf.sub(dyy, tf.mul(tf.sum(dyy, [attrs.dim as number], true), y)) };
    },
  },
  {
    kernelName: 'PadV2', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const pads = attrs.paddings as Array<[number, number]>;
      return { x: () => tf.slice(dy, pads.map((p) => p[0]), x.shape) };
    },
  },
];

let done = false;

/** Registers the gradients above for kernels that have none (idempotent). */
export function registerGradients(): void {
  if (done) return;
  done = true;
  for (const c of configs) {
    if (!tf.getGradient(c.kernelName)) tf.registerGradient(c as unknown as tf.GradConfig);
  }
}

registerGradients();
