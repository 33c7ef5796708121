import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { segSetTable } from '../../lib/analysis/seg-sets';

describe('segSetTable', () => {
  it('averages the set classes per model and seed', () => {
    const rows = [
      ['m', 0, 'lungs', 0.9], ['m', 0, 'heart', 0.7], ['m', 0, 'P', 0.2], ['m', 1, 'lungs', 0.8], ['m', 1, 'heart', 0.6], ['m', 1, 'P', NaN],
    ].map(([model, seed, group, value]) => ({ model, task: 'segmentation', dataset: 'd', split: 'test', seed, fold: 0, group, metric: 'dice', value, config: '' }));
    const out = segSetTable(aq.from(rows), [{ name: 'organs', dataset: 'd', classes: ['lungs', 'heart'] }, { name: 'ptx', dataset: 'd', classes: ['P'] }]).objects() as any[];
    assert.deepEqual(out.map((r) => [r.dataset, r.seed, +r.value.toFixed(12)]), [['organs', 0, 0.8], ['organs', 1, 0.7], ['ptx', 0, 0.2]]);
    assert.ok(out.every((r) => r.metric === 'mDice' && r.group === 'all'));
    assert.throws(() => segSetTable(aq.from(rows), [{ name: 'x', dataset: 'other', classes: ['lungs'] }]), /dataset other/);
  });
});
