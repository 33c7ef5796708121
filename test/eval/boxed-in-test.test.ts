import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { boxedInTest } from '../../lib/eval/explainability/pinpointing';

describe('boxedInTest', () => {
  it('moves exactly the boxed images to the test split', () => {
    const table = aq.from([{ id: 'a', split: 'train' }, { id: 'b', split: 'val' }, { id: 'c', split: 'train' }, { id: 'd', split: 'test' }]);
    const s: SampleTable = { dataset: 'toy', table, labelNames: [], problems: [], boxes: [{ id: 'b', label: 'Mass', x: 0, y: 0, w: 1, h: 1 }, { id: 'c', label: 'Nodule', x: 0, y: 0, w: 1, h: 1 }], loadImage: () => Promise.reject(new Error('none')) };
    assert.deepEqual(boxedInTest(s).table.array('split'), ['train', 'test', 'test', 'test']);
    assert.deepEqual(table.array('split'), ['train', 'val', 'train', 'test'], 'input untouched');
    assert.throws(() => boxedInTest({ ...s, boxes: [] }), /has no boxes/);
  });
});
