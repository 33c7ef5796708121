import { strict as assert } from 'assert';
import type { FeatureSet } from '../../lib/features/feature-set';
import { concatFeatures } from '../../lib/eval/dense/pyramid-features';

describe('concatFeatures', () => {
  const mk = (dataset: string, ids: string[], v: number, blocks = true): FeatureSet => ({
    key: 'k', encoder: 'e', dataset, split: 'test', ids, n: ids.length, dim: 1, gridH: 1, gridW: 1,
    cls: new Float32Array(ids.length).fill(v), patches: new Float32Array(ids.length).fill(v + 1),
    blocks: blocks ? new Map([[3, new Float32Array(ids.length).fill(v + 2)]]) : undefined,
  });
  it('stacks rows of cls, patches and shared blocks', () => {
    const c = concatFeatures([mk('a', ['x'], 1), mk('b', ['y', 'z'], 10)], 'test');
    assert.deepEqual(c.ids, ['x', 'y', 'z']);
    assert.equal(c.n, 3);
    assert.equal(c.dataset, 'a+b');
    assert.deepEqual(Array.from(c.cls), [1, 10, 10]);
    assert.deepEqual(Array.from(c.patches!), [2, 11, 11]);
    assert.deepEqual(Array.from(c.blocks!.get(3)!), [3, 12, 12]);
    assert.equal(concatFeatures([mk('a', ['x'], 1), mk('b', ['y'], 2, false)], 'test').blocks, undefined);
  });
  it('refuses different grids', () => {
    assert.throws(() => concatFeatures([mk('a', ['x'], 1), { ...mk('b', ['y'], 1), dim: 2 }], 't'), /b\/test is 1×1×2, a\/test 1×1×1/);
  });
});
