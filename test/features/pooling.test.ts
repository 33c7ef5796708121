import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { avgPoolFeatures, clsMeanPatchTensor, poolFeatureSet } from '../../lib/features/pooling';
import type { FeatureSet } from '../../lib/features/feature-set';

// 2 samples, T = 2 patches, D = 2: CLS [1, 2], [3, 4]; patches [[0, 2], [4, 6]], [[1, 1], [3, -1]]
const cls = Float32Array.from([1, 2, 3, 4]);
const patches = Float32Array.from([0, 2, 4, 6, 1, 1, 3, -1]);
const fs: FeatureSet = { key: '', encoder: 'e', dataset: 'd', split: 'x', ids: ['a', 'b'], n: 2, dim: 2, gridH: 1, gridW: 2, cls, patches };

describe('features/pooling (CLS ⊕ mean patch)', () => {
  it('concatenates CLS and the patch mean, in both float orders', () => {
    assert.deepStrictEqual([...avgPoolFeatures(cls, 2, 2, patches, 2)], [1, 2, 2, 4, 3, 4, 2, 0]);
    assert.deepStrictEqual([...poolFeatureSet(fs, { sum: 'float32' })], [1, 2, 2, 4, 3, 4, 2, 0]);
  });

  it('float64 sums then divides once; float32 adds patch / T into the float32 output patch by patch', () => {
    const p = Float32Array.from([0.1, 0.1, 0.1]);
    const f64 = avgPoolFeatures(Float32Array.from([0]), 1, 1, p, 3)[1];
    const f32 = avgPoolFeatures(Float32Array.from([0]), 1, 1, p, 3, { sum: 'float32' })[1];
    assert.strictEqual(f64, Math.fround(0.1));
    let acc = 0;
    for (let k = 0; k < 3; k++) acc = Math.fround(acc + Math.fround(0.1) / 3);
    assert.strictEqual(f32, acc);
  });

  it('without patches: CLS alone, or a zero mean half', () => {
    assert.deepStrictEqual([...avgPoolFeatures(cls, 2, 2)], [1, 2, 3, 4]);
    assert.deepStrictEqual([...poolFeatureSet({ ...fs, patches: undefined }, { withoutPatches: 'zeros' })], [1, 2, 0, 0, 3, 4, 0, 0]);
  });

  it('names the bad shape', () => {
    assert.throws(() => avgPoolFeatures(cls, 3, 2), /cls has 4 values, expected 3×2/);
    assert.throws(() => avgPoolFeatures(cls, 2, 2, patches, 3), /patches have 8 values, expected 2×3×2/);
  });

  it('clsMeanPatchTensor is the same pooling on tensors', async () => {
    await tf.setBackend('cpu');
    const out = clsMeanPatchTensor(tf.tensor2d(cls, [2, 2]), tf.tensor3d(patches, [2, 2, 2]));
    assert.deepStrictEqual([...out.dataSync()], [1, 2, 2, 4, 3, 4, 2, 0]);
    out.dispose();
  });
});
