import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { Predictions } from '../../lib/eval/protocol';
import { bestModel } from '../../lib/analysis/best-model';

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
