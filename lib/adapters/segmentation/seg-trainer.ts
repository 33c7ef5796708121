/**
 * Training and inference of a SegHead on cached tokens: AdamW, linear warm-up then linear decay, multi-label soft Dice
 * on the main output plus 0.4 × Dice on the FCN auxiliary output (UperNet's recipe, mmseg `loss_weight=0.4`).
 * One step = gather a batch of token rows → forward → analytic Dice gradient → explicit backward → AdamW, in one
 * tf.tidy; the only tensors alive between steps are parameters and optimizer moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { AdamW } from '../../engine/adamw';
import { createRng } from '../../engine/rng';
import { diceLossWithGrad } from './dice-loss';
import { runEpochs } from '../head/lr-schedule';
import { checkGrads, matrixDecay } from '../head/params';
import { gatherRows } from '../../engine/rows';
import { checkSegTokens, gatherCoverage, SegTargets, SegTokens } from './seg-data';
import { SegHead, SegHeadConfigInput } from './seg-head';

export const SegTrainOptionsSchema = z.object({
  lr: z.number().positive(),
  epochs: z.number().int().min(1),
  batchSize: z.number().int().min(1).default(8),
  seed: z.number().int().default(0),
  weightDecay: z.number().min(0).default(0.01),
  /** Fraction of all steps spent in linear warm-up. */
  warmupFrac: z.number().min(0).max(1).default(0.1),
  auxWeight: z.number().min(0).default(0.4),
  channels: z.number().int().min(1).default(64),
  scales: z.array(z.number().positive()).min(1).default([4, 2, 1, 0.5]),
}).strict();
export type SegTrainOptions = z.input<typeof SegTrainOptionsSchema>;

export interface SegTrainResult {
  head: SegHead;
  /** Mean total loss per epoch. */
  lossHistory: number[];
  steps: number;
  seconds: number;
}

function batchTensors(x: SegTokens, idx: ArrayLike<number>): tf.Tensor2D[] {
  const t = x.gridH * x.gridW;
  return x.levels.map((l) => tf.tensor2d(gatherRows(l, t * x.dim, idx), [idx.length * t, x.dim]));
}

/**
 * Trains one head (one lr, one seed). The returned head owns tensors: call `head.dispose()`.
 * @example
 * const { head } = trainSegHead(tokens, targets, { lr: 1e-3, epochs: 20 });
 */
export function trainSegHead(x: SegTokens, y: SegTargets, options: SegTrainOptions): SegTrainResult {
  const o = SegTrainOptionsSchema.parse(options);
  checkSegTokens(x, 'trainSegHead tokens');
  if (y.target.length !== x.n * y.outH * y.outW * y.classes) throw new Error('trainSegHead: targets do not match token rows');
  const headConfig: SegHeadConfigInput = {
    gridH: x.gridH, gridW: x.gridW, dim: x.dim, classes: y.classes, scales: o.scales, channels: o.channels,
    auxLevel: o.auxWeight > 0 ? undefined : -1,
  };
  if (x.levels.length !== o.scales.length) {
    throw new Error(`trainSegHead: ${x.levels.length} token levels but ${o.scales.length} pyramid scales`);
  }
  const head = new SegHead(headConfig, o.seed);
  const [oh, ow] = head.outSize;
  if (oh !== y.outH || ow !== y.outW) throw new Error(`trainSegHead: targets are ${y.outH}×${y.outW}, head outputs ${oh}×${ow}`);
  const opt = new AdamW(head.params);
  const decay = matrixDecay(o.weightDecay);
  const k = y.classes;
  const t = x.gridH * x.gridW;
  const t0 = Date.now();
  const { lossHistory, steps } = runEpochs({ n: x.n, batchSize: o.batchSize, epochs: o.epochs, lr: o.lr, warmupFrac: o.warmupFrac },
    createRng(o.seed).fork('seg-batches'), (idx, lr) => tf.tidy(() => {
      const tokens = batchTensors(x, idx);
      const b = idx.length;
      const target = tf.tensor3d(gatherCoverage(y.target, oh * ow * k, idx), [b, oh * ow, k]);
      const weight = tf.tensor2d(gatherRows(y.weight, k, idx), [b, k]);
      const fwd = head.forward(tokens, o.auxWeight > 0);
      const main = diceLossWithGrad(fwd.logits, target, weight);
      let lossT: tf.Scalar = main.loss;
      let dAux: tf.Tensor3D | undefined;
      if (fwd.auxLogits) {
        const auxTarget = tf.tensor3d(gatherCoverage(y.auxTarget, t * k, idx), [b, t, k]);
        const aux = diceLossWithGrad(fwd.auxLogits, auxTarget, weight);
        lossT = tf.add(lossT, tf.mul(aux.loss, o.auxWeight));
        dAux = tf.mul(aux.grad, o.auxWeight) as tf.Tensor3D;
      }
      const grads = head.backward(fwd.cache, main.grad, dAux);
      checkGrads(head.params, grads, 'trainSegHead');
      opt.apply(grads, () => lr, decay);
      return lossT;
    }));
  opt.dispose();
  return { head, lossHistory, steps, seconds: (Date.now() - t0) / 1000 };
}

/**
 * Logits of every sample [N, P0, K] (row-major), predicted in batches.
 * @example
 * const logits = predictSegLogits(head, testTokens);
 */
export function predictSegLogits(head: SegHead, x: SegTokens, batchSize = 16): Float32Array {
  checkSegTokens(x, 'predictSegLogits tokens');
  const [oh, ow] = head.outSize;
  const k = head.config.classes;
  const out = new Float32Array(x.n * oh * ow * k);
  for (let s = 0; s < x.n; s += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, x.n - s) }, (_, i) => s + i);
    const logits = tf.tidy(() => head.predict(batchTensors(x, idx)));
    out.set(logits.dataSync() as Float32Array, s * oh * ow * k);
    logits.dispose();
  }
  return out;
}
