import { strict as assert } from 'assert';
import { populationMix, transferLabels } from '../../lib/eval/grid/generalization';
import { fakeTable } from './fake-masks';

describe('populationMix', () => {
  it('gives an equal mix of the two source populations by default', () => {
    assert.deepEqual(populationMix(), { populations: ['popA', 'popB'] });
  });
  it('refuses a single population', () => {
    assert.throws(() => populationMix(['popA']), /two or more populations/);
  });
});

describe('transferLabels', () => {
  it('keeps labels with enough positives in every population and split', () => {
    const rows: Record<string, unknown>[] = [];
    for (const pop of ['popA', 'popB']) for (const split of ['train', 'val', 'test']) for (let i = 0; i < 6; i++) {
      rows.push({ id: `${pop}-${split}-${i}`, population: pop, split, a: i < 3 ? 1 : 0, b: pop === 'popB' && i < 1 ? 1 : 0, c: i < 2 ? 1 : NaN });
    }
    const st = { ...fakeTable('d', rows, [], {}), labelNames: ['a', 'b', 'c'] };
    assert.deepEqual(transferLabels(st, ['popA', 'popB'], 2), ['a', 'c']);
    assert.deepEqual(transferLabels(st, ['popA', 'popB'], 3), ['a']);
    assert.throws(() => transferLabels(st, ['popA', 'popB'], 4), /no label has 4 positives/);
  });
});
