import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { allReduceGrads, assignFlat, packGrads, packParams } from '../../lib/pretrain/flat-params';
import { gatherRows } from '../../lib/engine/rows';
import { checkShards, scatterRows, shardData, shardMaskedRows, shardRows } from '../../lib/pretrain/shard';
import { useCpu } from './helpers';

describe('checkShards', () => {
  it('returns the shard size and names batchSize and workers when they do not divide', () => {
    assert.strictEqual(checkShards(16, 2, true), 8);
    assert.throws(() => checkShards(10, 3, false), /optim\.batchSize 10 is not divisible by train\.workers 3/);
    assert.throws(() => checkShards(4, 4, true), /KoLeo needs ≥ 2/);
    assert.strictEqual(checkShards(4, 4, false), 1);
  });
});

describe('shardRows / gatherRows / shardData', () => {
  it('takes images k·b … k·b+b−1 of every crop, crop by crop', () => {
    assert.deepStrictEqual(shardRows(6, 3, 1, 2), [2, 3, 8, 9]);
    assert.deepStrictEqual(Array.from(gatherRows(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 2, [3, 1])), [6, 7, 2, 3]);
    const back = new Float32Array(8);
    scatterRows(back, 2, [3, 1], Float32Array.from([6, 7, 2, 3]));
    assert.deepStrictEqual(Array.from(back), [0, 0, 2, 3, 0, 0, 6, 7]);
    assert.throws(() => scatterRows(back, 2, [0], new Float32Array(3)), /3 values for 1 rows of 2/);
  });

  it('gives each shard its images\' crops, masks and teacher rows (iBOT rows by masked patch)', () => {
    // B = 2 images, 2 shards, T = 2 tokens, K = 1 prototype (probabilities = row ids to follow them)
    const masks = Uint8Array.from([1, 0, /* img1 crop0 */ 1, 1, /* img0 crop1 */ 0, 0, /* img1 crop1 */ 0, 1]);
    const d = {
      global: Float32Array.from([10, 11, 12, 13]), local: Float32Array.from([20, 21]), masks,
      dinoProbs: Float32Array.from([0, 1, 2, 3]), ibotProbs: Float32Array.from([100, 101, 102, 103]), // masked flats 0, 2, 3, 7
    };
    const g = { batch: 2, shards: 2, nLocal: 1, globalSize: 1, localSize: 1, tokens: 2, prototypes: 1 };
    const s0 = shardData(d, g, 0), s1 = shardData(d, g, 1);
    assert.deepStrictEqual(Array.from(s0.global), [10, 12]);
    assert.deepStrictEqual(Array.from(s1.global), [11, 13]);
    assert.deepStrictEqual(Array.from(s1.local), [21]);
    assert.deepStrictEqual(Array.from(s0.masks), [1, 0, 0, 0]);
    assert.deepStrictEqual(Array.from(s1.dinoProbs), [1, 3]);
    assert.deepStrictEqual(Array.from(s0.ibotProbs), [100]);
    assert.deepStrictEqual(Array.from(s1.ibotProbs), [101, 102, 103]);
    assert.deepStrictEqual(shardMaskedRows(masks, g, 1), [1, 2, 3]);
  });
});

describe('flat parameters and allReduceGrads', () => {
  before(useCpu);

  it('packs, assigns, and averages with weights, keeping a key no shard has absent', () => {
    const before = tf.memory().numTensors;
    const v = (t: tf.Tensor): tf.Variable => { const x = tf.variable(t); t.dispose(); return x; };
    const params = new Map<string, tf.Variable>([['a', v(tf.tensor1d([1, 2]))], ['b', v(tf.tensor2d([[3], [4]]))], ['c', v(tf.scalar(5))]]);
    assert.deepStrictEqual(Array.from(packParams(params)), [1, 2, 3, 4, 5]);
    assignFlat(params, Float32Array.from([6, 7, 8, 9, 10]));
    assert.deepStrictEqual(Array.from(params.get('b')!.dataSync()), [8, 9]);
    assert.throws(() => assignFlat(params, new Float32Array(4)), /4 values for 5 parameters/);
    const g0 = new Map<string, tf.Tensor>([['a', tf.tensor1d([1, 1])], ['b', tf.tensor2d([[2], [2]])]]);
    const g1 = new Map<string, tf.Tensor>([['a', tf.tensor1d([3, 5])]]);
    const f0 = packGrads(params, g0), f1 = packGrads(params, g1);
    assert.deepStrictEqual(f1.present, [true, false, false]);
    const avg = allReduceGrads(params, [f0, f1], [0.5, 0.5]);
    assert.deepStrictEqual([...avg.keys()], ['a', 'b']);
    assert.deepStrictEqual(Array.from(avg.get('a')!.dataSync()), [2, 3]);
    assert.deepStrictEqual(Array.from(avg.get('b')!.dataSync()), [1, 1]);
    assert.deepStrictEqual(avg.get('b')!.shape, [2, 1]);
    tf.dispose([...params.values(), ...g0.values(), ...g1.values(), ...avg.values()]);
    assert.strictEqual(tf.memory().numTensors, before, 'tensor leak');
  });
});
