import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { alignClasses } from '../../lib/eval/grid/out-of-domain';

describe('alignClasses', () => {
  const real: SampleTable = {
    dataset: 'covid-chestxray', labelNames: ['covid', 'pneumonia', 'normal'], classNames: ['covid', 'pneumonia', 'normal'], problems: [],
    table: aq.from([
      { id: 'a', covid: 1, pneumonia: 0, normal: 0, class: 0 },
      { id: 'b', covid: 0, pneumonia: 1, normal: 0, class: 1 },
      { id: 'c', covid: 0, pneumonia: 0, normal: 1, class: 2 },
      { id: 'd', covid: 0, pneumonia: 0, normal: 0, class: NaN },
    ]),
    loadImage: async () => ({ width: 1, height: 1, data: new Float32Array(1) }),
  };
  it('re-indexes the class column and renames one-hot columns to the synthetic names', () => {
    const a = alignClasses(real, ['Normal', 'Pneumonia', 'COVID-19']);
    assert.deepEqual(a.classNames, ['Normal', 'Pneumonia', 'COVID-19']);
    const cls = Array.from(a.table.array('class') as ArrayLike<number>);
    assert.deepEqual(cls.slice(0, 3), [2, 1, 0]);
    assert.ok(Number.isNaN(cls[3]));
    assert.deepEqual(Array.from(a.table.array('COVID-19') as ArrayLike<number>), [1, 0, 0, 0]);
    assert.equal(a.dataset, 'covid-chestxray'); // same cache identity as the original
    assert.deepEqual(Array.from(real.table.array('class') as ArrayLike<number>).slice(0, 3), [0, 1, 2]); // not mutated
  });
  it('throws naming a class it cannot match', () => {
    assert.throws(() => alignClasses(real, ['Normal', 'Pneumonia', 'TB']), /class 'covid' matches none of Normal, Pneumonia, TB/);
  });
});
