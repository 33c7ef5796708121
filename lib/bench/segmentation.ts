/**
 * Benchmark of the segmentation and Cobb-regression adapters on frozen tokens (for `raydino bench`, wired by the lead).
 * Sizes: quick = the quick profile's ViT-Ti/16 at 112 px (grid 7×7, D 192), full = ViT-S/16 at 224 px (grid 14×14,
 * D 384); 4 token levels, 29 classes (the phantom anatomy), batch 8, C 64. Random tokens and targets (speed only).
 * Keys (timings on shared 2-core machines are noisy):
 *   seg.backend              tfjs backend
 *   seg.grid                 patch grid, e.g. '7x7'
 *   seg.out                  head output size, e.g. '28x28'
 *   seg.params               trainable parameters of the head
 *   seg.train_steps_per_s    train steps (forward + Dice + backward + AdamW) per second, batch 8, after 2 warm-up steps
 *   seg.train_img_per_s      the same in images per second
 *   seg.predict_img_per_s    inference images per second (logits at the output size)
 *   reg.train_steps_per_s    Cobb head (4 attentive heads) train steps per second, batch 32
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../engine/backend';
import { createRng } from '../engine/rng';
import { buildSegTargets, SampleMasks, SegTokens } from '../adapters/segmentation/seg-data';
import { predictSegLogits, trainSegHead } from '../adapters/segmentation/seg-trainer';
import { trainCobbHead } from '../adapters/regression/reg-trainer';
import { pyramidGeometry } from '../adapters/segmentation/feature-pyramid';

export async function benchSegmentation(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const info = await initBackend();
  const tensorsBefore = tf.memory().numTensors;
  const grid = opts.quick ? 7 : 14;
  const dim = opts.quick ? 192 : 384;
  const classes = 29;
  const batch = 8;
  const n = batch * (opts.quick ? 6 : 10);
  const steps = n / batch;
  const rng = createRng(0);
  const t = grid * grid;
  const level = () => Float32Array.from({ length: n * t * dim }, () => rng.normal());
  const tokens: SegTokens = { n, gridH: grid, gridW: grid, dim, levels: [level(), level(), level(), level()] };
  const size = grid * 16;
  const samples: SampleMasks[] = Array.from({ length: n }, () => ({
    width: size, height: size,
    masks: Array.from({ length: classes }, () => Uint8Array.from({ length: size * size }, () => (rng.uniform() < 0.3 ? 1 : 0))),
  }));
  const out = pyramidGeometry(grid, grid, [4, 2, 1, 0.5]).sizes[0];
  const targets = buildSegTargets(samples, out, [grid, grid]);
  const common = { lr: 1e-3, batchSize: batch, channels: 64, seed: 0 };
  // warm-up run (kernel set-up, heap growth), then a timed run of `steps` steps
  const w = 2 * batch;
  const [oh, ow] = out;
  const warmTokens = { ...tokens, n: w, levels: tokens.levels.map((l) => l.subarray(0, w * t * dim)) };
  const warmTargets = {
    ...targets, target: targets.target.subarray(0, w * oh * ow * classes), auxTarget: targets.auxTarget.subarray(0, w * t * classes),
    weight: targets.weight.subarray(0, w * classes),
  };
  trainSegHead(warmTokens, warmTargets, { ...common, epochs: 1 }).head.dispose();
  const timed = trainSegHead(tokens, targets, { ...common, epochs: 1 });
  const t0 = performance.now();
  predictSegLogits(timed.head, tokens, batch);
  const predictS = (performance.now() - t0) / 1000;
  const params = timed.head.numParams;
  timed.head.dispose();

  const regN = 64;
  const patches = Float32Array.from({ length: regN * t * dim }, () => rng.normal());
  const y = Float32Array.from({ length: regN * 3 }, () => 20 + 10 * rng.uniform());
  const reg = trainCobbHead({ n: regN, dim, gridH: grid, gridW: grid, patches }, y, 3, { lr: 1e-3, epochs: 2, batchSize: 32 });
  reg.head.dispose();
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`benchSegmentation: ${leaked} tensors leaked`);
  return {
    'seg.backend': info.name,
    'seg.grid': `${grid}x${grid}`,
    'seg.out': `${out[0]}x${out[1]}`,
    'seg.params': params,
    'seg.train_steps_per_s': +(steps / timed.seconds).toFixed(3),
    'seg.train_img_per_s': +((steps * batch) / timed.seconds).toFixed(2),
    'seg.predict_img_per_s': +(n / predictS).toFixed(2),
    'reg.train_steps_per_s': +(4 / reg.seconds).toFixed(3),
  };
}
