import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from '../../../lib/engine/adamw';
import { checkGrads, disposeParams, matrixDecay, ParamStore, addParam } from '../../../lib/adapters/head/params';
import { useBackend } from '../segmentation/helpers';

describe('head parameter groups (matrixDecay, checkGrads)', () => {
  before(useBackend);

  it('decays matrices (names ending .w) only: one AdamW step from 1 with g = 0.5, lr 0.1, wd 0.5', () => {
    const store: ParamStore = new Map();
    addParam(store, 'fc.w', tf.ones([2]));
    addParam(store, 'fc.b', tf.ones([2]));
    addParam(store, 'query', tf.ones([2]));
    const opt = new AdamW(store);
    const g = new Map([...store.keys()].map((k) => [k, tf.fill([2], 0.5)] as const));
    checkGrads(store, g, 'test');
    opt.apply(g, () => 0.1, matrixDecay(0.5));
    // torch AdamW step 1: p·(1 − lr·wd) − lr·m̂/(√v̂ + ε) with m̂ = g, v̂ = g²: 0.95 − step for .w, 1 − step for the others
    const step = 0.1 * 0.5 / (0.5 + 1e-8);
    assert.ok(Math.abs(store.get('fc.w')!.dataSync()[0] - (0.95 - step)) < 1e-6);
    assert.ok(Math.abs(store.get('fc.b')!.dataSync()[0] - (1 - step)) < 1e-6);
    assert.ok(Math.abs(store.get('query')!.dataSync()[0] - (1 - step)) < 1e-6);
    tf.dispose([...g.values()]);
    opt.dispose();
    disposeParams(store);
  });

  it('checkGrads names a missing or mis-shaped gradient', () => {
    const store: ParamStore = new Map();
    addParam(store, 'fc.w', tf.ones([2, 3]));
    const bad = tf.ones([3, 2]);
    assert.throws(() => checkGrads(store, new Map(), 'trainX'), /trainX: no gradient for parameter fc\.w/);
    assert.throws(() => checkGrads(store, new Map([['fc.w', bad]]), 'trainX'), /trainX: gradient fc\.w 3,2 ≠ param 2,3/);
    bad.dispose();
    disposeParams(store);
  });
});
