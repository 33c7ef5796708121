import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { bestModel } from '../../lib/analysis/best-model';

describe('bestModel', () => {
  it('picks the highest mean value, optionally among filtered rows', () => {
    const rows = [
      { model: 'a', x: 'in', value: 0.9 }, { model: 'a', x: 'out', value: 0.5 },
      { model: 'b', x: 'in', value: 0.6 }, { model: 'b', x: 'out', value: 0.7 }, { model: 'c', x: 'out', value: NaN },
    ];
    assert.equal(bestModel(rows), 'a');                                   // 0.70 vs 0.65
    assert.equal(bestModel(aq.from(rows), (r) => r.x === 'out'), 'b');
    assert.throws(() => bestModel([{ model: 'c', value: NaN }]), /no row with a finite value/);
  });
});
