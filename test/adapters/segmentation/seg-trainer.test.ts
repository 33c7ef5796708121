import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { meanDice } from '../../../lib/stats';
import { buildSegTargets } from '../../../lib/adapters/segmentation/seg-data';
import { predictedMasks } from '../../../lib/adapters/segmentation/predicted-masks';
import { predictSegLogits, trainSegHead } from '../../../lib/adapters/segmentation/seg-trainer';
import { SegHead } from '../../../lib/adapters/segmentation/seg-head';
import { warmupLinearLr } from '../../../lib/adapters/head/lr-schedule';
import { useBackend } from './helpers';
import { makeToy } from './toy';

describe('trainSegHead', () => {
  before(useBackend);

  it('learns a toy problem whose tokens encode the mask (test mDice > 0.9 within seconds)', () => {
    const train = makeToy(48, 1);
    const test = makeToy(16, 2);
    const t0 = Date.now();
    const targets = buildSegTargets(train.samples, [32, 32], [8, 8]);
    const { head, lossHistory } = trainSegHead(train.tokens, targets, { lr: 1e-2, epochs: 25, batchSize: 8, channels: 16, seed: 0 });
    const logits = predictSegLogits(head, test.tokens);
    const [oh, ow] = head.outSize;
    const per: number[] = [];
    test.samples.forEach((s, i) => {
      const pred = predictedMasks(logits, oh, ow, 3, s.width, s.height, i * oh * ow * 3);
      per.push(meanDice(pred, s.masks as Uint8Array[]).mean);
    });
    const mDice = per.reduce((a, b) => a + b, 0) / per.length;
    const secs = (Date.now() - t0) / 1000;
    head.dispose();
    assert.ok(lossHistory[lossHistory.length - 1] < lossHistory[0], `loss did not fall: ${lossHistory}`);
    assert.ok(mDice > 0.9, `toy test mDice ${mDice.toFixed(3)} (loss ${lossHistory.map((v) => v.toFixed(3)).join(' ')})`);
    assert.ok(secs < 60, `took ${secs}s`); // ≈ 4 s on wasm; generous for loaded CI machines
  });

  it('is deterministic from a seed and does not leak tensors', () => {
    const toy = makeToy(8, 3);
    const targets = buildSegTargets(toy.samples, [32, 32], [8, 8]);
    const before = tf.memory().numTensors;
    const run = (seed: number) => {
      const r = trainSegHead(toy.tokens, targets, { lr: 1e-2, epochs: 2, batchSize: 4, channels: 8, seed });
      const w = Array.from(r.head.params.get('uper.cls.w')!.dataSync());
      const live = tf.memory().numTensors;
      r.head.dispose();
      return { w, loss: r.lossHistory, live };
    };
    const a = run(4);
    const b = run(4);
    const c = run(5);
    assert.deepStrictEqual(a.w, b.w);
    assert.deepStrictEqual(a.loss, b.loss);
    assert.notDeepStrictEqual(a.w, c.w);
    // after training only what a fresh head holds remains (no per-step leak), and nothing after dispose
    const fresh = new SegHead({ gridH: 8, gridW: 8, dim: 8, classes: 3, channels: 8 }, 0);
    const headTensors = tf.memory().numTensors - before;
    fresh.dispose();
    assert.strictEqual(a.live - before, headTensors);
    assert.strictEqual(tf.memory().numTensors, before);
  });
});

describe('warmupLinearLr', () => {
  it('rises linearly over the warm-up then decays linearly to ~0', () => {
    const lrs = Array.from({ length: 10 }, (_, s) => warmupLinearLr(s, 10, 2, 1));
    assert.deepStrictEqual(lrs.map((v) => +v.toFixed(4)), [0.5, 1, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125]);
  });
});
