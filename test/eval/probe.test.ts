import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { probeFeatureSets, probeInput, probeLine } from '../../lib/eval/probe';
import { probeFeatures } from '../../lib/pretrain/probe';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { SampleTable } from '../../lib/data/types';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function featureSet(ids: string[], cls: number[][], patches: number[][][]): FeatureSet {
  const d = cls[0].length, t = patches[0].length;
  return {
    key: '', encoder: 'e', dataset: 'd', split: 'x', ids, n: ids.length, dim: d, gridH: 1, gridW: t,
    cls: Float32Array.from(cls.flat()), patches: Float32Array.from(patches.flat(2)),
  };
}

describe('probeInput', () => {
  it('is CLS ‖ mean of the patch tokens', () => {
    const f = featureSet(['a', 'b'], [[1, 2], [3, 4]], [[[0, 2], [4, 6]], [[1, 1], [3, -1]]]);
    assert.deepEqual([...probeInput(f)], [1, 2, 2, 4, 3, 4, 2, 0]);
  });
});

describe('probeFeatureSets', () => {
  it('aligns features and labels by id (features in any order) and equals probeFeatures on aligned arrays', () => {
    // 12 samples, 2 labels; label 0 follows feature 0, label 1 follows feature 1
    const rows = Array.from({ length: 12 }, (_, i) => ({
      id: `s${i}`, split: i < 4 ? 'train' : i < 6 ? 'val' : 'test', Effusion: i % 2, Nodule: i % 3 === 0 ? 1 : 0,
    }));
    const feat = (i: number) => [(i % 2) + 0.1 * i, (i % 3 === 0 ? 1 : 0) - 0.05 * i];
    const samples = { dataset: 'd', table: aq.from(rows), labelNames: ['Effusion', 'Nodule'] } as unknown as SampleTable;
    const mk = (ids: number[]) => featureSet(ids.map((i) => `s${i}`), ids.map(feat), ids.map((i) => [feat(i)]));
    const train = mk([3, 1, 0, 2]), val = mk([5, 4]), test = mk([11, 10, 9, 8, 7, 6]);
    const r = probeFeatureSets(samples, [train, val], test, ['Effusion', 'Nodule'], 3);
    const X = (ids: number[]) => Float32Array.from(ids.flatMap((i) => [...feat(i), ...feat(i)]));
    const Y = (ids: number[]) => [ids.map((i) => i % 2), ids.map((i) => (i % 3 === 0 ? 1 : 0))];
    const trIds = [3, 1, 0, 2], vaIds = [5, 4], teIds = [6, 7, 8, 9, 10, 11];
    const e = probeFeatures(X(trIds), Y(trIds), X(teIds), Y(teIds), 4, ['Effusion', 'Nodule'], 3, { X: X(vaIds), Y: Y(vaIds) });
    close(r.knnMacroAuroc, e.knnMacroAuroc);
    close(r.linearMacroAuroc, e.linearMacroAuroc);
    assert.equal(r.linearLambda, e.linearLambda);
    assert.deepEqual([r.nTrain, r.nVal, r.nTest], [4, 2, 6]);
  });
});

describe('probeLine', () => {
  const res = (knn: number, lin: number) => ({ knnMacroAuroc: knn, linearMacroAuroc: lin, linearLambda: 0.01, classes: [], nTrain: 1, nVal: 0, nTest: 1 });
  it('draws the floor flat to the last step and the SSL line from the floor at step 0', () => {
    const rows = probeLine('vit', [{ step: 300, result: res(0.8, 0.7) }, { step: 100, result: res(0.6, 0.65) }], res(0.55, 0.52));
    const knn = rows.filter((r) => r.probe === 'k-NN');
    assert.deepEqual(knn.filter((r) => r.line !== 'SSL').map((r) => [r.step, r.value]), [[0, 0.55], [300, 0.55]]);
    assert.deepEqual(knn.filter((r) => r.line === 'SSL').map((r) => [r.step, r.value]), [[0, 0.55], [100, 0.6], [300, 0.8]]);
    assert.deepEqual(rows.filter((r) => r.probe === 'linear' && r.line === 'SSL').map((r) => r.value), [0.52, 0.65, 0.7]);
  });
});
