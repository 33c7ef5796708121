import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { SYNTHETIC_ORGAN_GROUPS, groupedMaskSource, positiveIds, positivesFirst, withPositivesFirst } from '../../lib/eval/dense/organ-segmentation';

/** A 4-sample, 4×4-pixel SampleTable with three mask classes (a, b annotated; c null on s2) and a label 'P'. */
function tinyTable(): SampleTable {
  const masks: Record<string, (Uint8Array | null)[]> = {};
  ['s0', 's1', 's2', 's3'].forEach((id, i) => {
    const a = new Uint8Array(16), b = new Uint8Array(16), c = new Uint8Array(16);
    a[i] = 1; b[i + 4] = 1; b[i] = 1; c[15 - i] = 1;
    masks[id] = [a, b, id === 's2' ? null : c];
  });
  return {
    dataset: 'tiny',
    table: aq.table({ id: ['s0', 's1', 's2', 's3'], split: ['test', 'test', 'test', 'test'], width: [4, 4, 4, 4], height: [4, 4, 4, 4], P: [0, 1, 0, 1] }),
    labelNames: ['P'],
    maskClasses: ['a', 'b', 'c'],
    problems: [],
    loadImage: async () => ({ width: 4, height: 4, data: new Float32Array(16).fill(0.5) }),
    loadMasks: async (id) => masks[id],
  };
}

describe('groupedMaskSource', () => {
  it('unions member masks per group and keeps null only when every member is null', async () => {
    const src = groupedMaskSource(tinyTable(), { ab: ['a', 'b'], c: ['c'] });
    assert.deepEqual(src.classes, ['ab', 'c']);
    const s1 = await src.load('s1');
    assert.equal(s1.width, 4);
    assert.deepEqual([...s1.masks[0]!].map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [1, 5]);
    assert.deepEqual([...s1.masks[1]!].map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [14]);
    const s2 = await src.load('s2');
    assert.equal(s2.masks[1], null);
  });
  it('rejects an unknown member class, naming it', () => {
    assert.throws(() => groupedMaskSource(tinyTable(), { x: ['nope'] }), /nope/);
  });
  it('the synthetic organ groups cover 20 ribs', () => {
    assert.equal(SYNTHETIC_ORGAN_GROUPS.ribs.length, 20);
  });
});

describe('positivesFirst / withPositivesFirst', () => {
  it('puts the positive test ids first, order otherwise kept', () => {
    assert.deepEqual(positivesFirst(tinyTable(), ['s0', 's1', 's2', 's3'], 'P'), ['s1', 's3', 's0', 's2']);
    assert.throws(() => positivesFirst(tinyTable(), ['s0'], 'Q'), /no label 'Q'/);
    assert.deepEqual(positiveIds(tinyTable(), ['s3', 's2', 's1'], 'P'), ['s3', 's1']);
  });
  it('reorders the test FeatureSet rows with their features', () => {
    const fs = (split: string) => ({ key: '', encoder: 'e', dataset: 'tiny', split, ids: ['s0', 's1', 's2', 's3'], n: 4, dim: 1, gridH: 1, gridW: 1,
      cls: Float32Array.from([0, 1, 2, 3]), patches: Float32Array.from([10, 11, 12, 13]) });
    const out = withPositivesFirst({ train: fs('train'), val: fs('val'), test: fs('test') }, tinyTable(), 'P');
    assert.deepEqual(out.test.ids, ['s1', 's3', 's0', 's2']);
    assert.deepEqual([...out.test.cls], [1, 3, 0, 2]);
    assert.deepEqual([...out.test.patches!], [11, 13, 10, 12]);
    assert.deepEqual(out.train.ids, ['s0', 's1', 's2', 's3']);
  });
});
