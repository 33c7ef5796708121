import * as assert from 'assert';
import { FeatureSet, selectIds, selectRows } from '../../lib/features/feature-set';

describe('selectRows / selectIds', () => {
  const fs: FeatureSet = {
    key: 'k', encoder: 'e', dataset: 'd', split: 'train', ids: ['a', 'b', 'c'], n: 3, dim: 2, gridH: 1, gridW: 2,
    cls: Float32Array.from([1, 2, 3, 4, 5, 6]), patches: Float32Array.from({ length: 12 }, (_, i) => i),
  };
  it('copies the chosen rows of cls and patches, in the order given', () => {
    const s = selectIds(fs, ['c', 'a'], 'val');
    assert.deepStrictEqual(s.ids, ['c', 'a']);
    assert.deepStrictEqual(Array.from(s.cls), [5, 6, 1, 2]);
    assert.deepStrictEqual(Array.from(s.patches!), [8, 9, 10, 11, 0, 1, 2, 3]);
    assert.strictEqual(s.split, 'val');
    assert.strictEqual(s.key, '', 'a subset is not a cache entry');
  });
  it('keeps the chosen rows of every intermediate block', () => {
    const withBlocks: FeatureSet = { ...fs, blocks: new Map([[2, Float32Array.from({ length: 12 }, (_, i) => 100 + i)]]) };
    const s = selectIds(withBlocks, ['b', 'c']);
    assert.deepStrictEqual([...s.blocks!.keys()], [2]);
    assert.deepStrictEqual(Array.from(s.blocks!.get(2)!), [104, 105, 106, 107, 108, 109, 110, 111]);
    assert.strictEqual(selectIds(fs, ['a']).blocks, undefined);
  });
  it('names a missing id or row', () => {
    assert.throws(() => selectIds(fs, ['z']), /sample z is not in the d\/train features/);
    assert.throws(() => selectRows(fs, [3]), /row 3 outside 0..2/);
  });
});
