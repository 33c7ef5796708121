/**
 * Training and inference of a CobbHead on cached patch tokens: AdamW, linear warm-up then linear decay, AASCE SMAPE
 * loss (./smape-loss) with its analytic gradient, explicit backward; one tf.tidy per step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { AdamW } from '../../engine/adamw';
import { createRng } from '../../engine/rng';
import { runEpochs } from '../head/lr-schedule';
import { checkGrads, matrixDecay } from '../head/params';
import { gatherRows } from '../../engine/rows';
import { CobbHead, TargetScale } from './cobb-head';
import { smapeLossWithGrad } from './smape-loss';

/** Patch tokens [N, T, D] (a FeatureSet satisfies this). */
export interface RegTokens {
  n: number;
  dim: number;
  gridH: number;
  gridW: number;
  patches?: Float32Array;
}

export const RegTrainOptionsSchema = z.object({
  lr: z.number().positive(),
  epochs: z.number().int().min(1),
  batchSize: z.number().int().min(1).default(32),
  seed: z.number().int().default(0),
  weightDecay: z.number().min(0).default(0.01),
  warmupFrac: z.number().min(0).max(1).default(0.1),
  heads: z.number().int().min(1).default(4),
  valueDim: z.number().int().min(1).default(32),
}).strict();
export type RegTrainOptions = z.input<typeof RegTrainOptionsSchema>;

function patchesOf(x: RegTokens, where: string): Float32Array {
  const t = x.gridH * x.gridW;
  if (!x.patches) throw new Error(`${where}: features have no patch tokens (extract with patches)`);
  if (x.patches.length !== x.n * t * x.dim) throw new Error(`${where}: patches have ${x.patches.length} values, expected ${x.n}·${t}·${x.dim}`);
  return x.patches;
}

/** Per-output mean and (population) standard deviation of targets [N, J]. */
export function targetScale(y: Float32Array, outputs: number): TargetScale {
  const n = y.length / outputs;
  const mean = Array.from({ length: outputs }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += y[i * outputs + j]; return s / n; });
  const std = mean.map((m, j) => { let s = 0; for (let i = 0; i < n; i++) s += (y[i * outputs + j] - m) ** 2; return Math.sqrt(s / n); });
  return { mean, std };
}

/**
 * Trains one head; `y` row-major [N, outputs]. The head owns tensors: call `head.dispose()`.
 * @example
 * const { head } = trainCobbHead(trainFeatures, cobb, 3, { lr: 1e-3, epochs: 50 });
 */
export function trainCobbHead(x: RegTokens, y: Float32Array, outputs: number, options: RegTrainOptions):
  { head: CobbHead; lossHistory: number[]; seconds: number } {
  const o = RegTrainOptionsSchema.parse(options);
  const patches = patchesOf(x, 'trainCobbHead');
  if (y.length !== x.n * outputs) throw new Error(`trainCobbHead: ${y.length} targets for ${x.n} samples × ${outputs} outputs`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new Error(`trainCobbHead: target row ${Math.floor(i / outputs)} output ${i % outputs} is ${y[i]}`);
  }
  const t = x.gridH * x.gridW;
  const head = new CobbHead({ dim: x.dim, tokens: t, outputs, heads: o.heads, valueDim: o.valueDim }, targetScale(y, outputs), o.seed);
  const opt = new AdamW(head.params);
  const decay = matrixDecay(o.weightDecay);
  const t0 = Date.now();
  const { lossHistory } = runEpochs({ n: x.n, batchSize: o.batchSize, epochs: o.epochs, lr: o.lr, warmupFrac: o.warmupFrac },
    createRng(o.seed).fork('reg-batches'), (idx, lr) => tf.tidy(() => {
      const xb = tf.tensor2d(gatherRows(patches, t * x.dim, idx), [idx.length * t, x.dim]);
      const yb = tf.tensor2d(gatherRows(y, outputs, idx), [idx.length, outputs]);
      const f = head.forward(xb);
      const l = smapeLossWithGrad(f.pred, yb);
      const grads = head.backward(f.cache, l.grad);
      checkGrads(head.params, grads, 'trainCobbHead');
      opt.apply(grads, () => lr, decay);
      return l.loss;
    }));
  opt.dispose();
  return { head, lossHistory, seconds: (Date.now() - t0) / 1000 };
}

/** Predictions [N, J] and attention maps [N, heads, T] (row-major), in batches. */
export function predictCobb(head: CobbHead, x: RegTokens, batchSize = 64): { pred: Float32Array; attention: Float32Array } {
  const patches = patchesOf(x, 'predictCobb');
  const t = x.gridH * x.gridW;
  const { outputs, heads } = head.config;
  const pred = new Float32Array(x.n * outputs);
  const attention = new Float32Array(x.n * heads * t);
  for (let s = 0; s < x.n; s += batchSize) {
    const b = Math.min(batchSize, x.n - s);
    const out = tf.tidy(() => {
      const f = head.forward(tf.tensor2d(patches.subarray(s * t * x.dim, (s + b) * t * x.dim), [b * t, x.dim]));
      return [f.pred, f.attention];
    });
    pred.set(out[0].dataSync() as Float32Array, s * outputs);
    attention.set(out[1].dataSync() as Float32Array, s * heads * t);
    tf.dispose(out);
  }
  return { pred, attention };
}
