import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { Predictions } from '../../lib/eval/protocol';
import { populationMix, transferLabels } from '../../lib/eval/grid/generalization';

const ref = require('../fixtures/study/generalization.json');
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** A tiny SampleTable with masks given per id. */
function fakeTable(dataset: string, rows: Record<string, unknown>[], maskClasses: string[], masks: Record<string, (Uint8Array | null)[]>, extra: Partial<SampleTable> = {}): SampleTable {
  return {
    dataset, table: aq.from(rows), labelNames: [], maskClasses, problems: [],
    loadImage: async (id) => {
      const r = rows.find((x) => x.id === id)!;
      return { width: r.width as number, height: r.height as number, data: new Float32Array((r.width as number) * (r.height as number)).fill(0.5) };
    },
    loadMasks: async (id) => masks[id],
    ...extra,
  };
}

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
