import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { Predictions } from '../../lib/eval/protocol';
import { orderedSpec } from '../../lib/figures/readable';

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

describe('orderedSpec', () => {
  it('sorts nominal x / facet fields and widens legends without mutating the input', () => {
    const spec = {
      config: { font: 'x' },
      facet: { column: { field: 'target', type: 'nominal' } },
      spec: { layer: [{ encoding: { x: { field: 'group', type: 'nominal' }, color: { field: 'group' } } }] },
    };
    const o = orderedSpec(spec, 'group', ['PT', 'MT', 'TL']) as any;
    assert.deepEqual(o.spec.layer[0].encoding.x.sort, ['PT', 'MT', 'TL']);
    assert.equal(o.spec.layer[0].encoding.color.sort, undefined);
    assert.equal(o.facet.column.sort, undefined);
    assert.equal(o.config.legend.labelLimit, 360);
    assert.equal(o.config.axisX.labelLimit, 360);
    assert.equal(o.config.font, 'x');
    assert.equal((spec.spec.layer[0].encoding.x as any).sort, undefined);
    assert.deepEqual((orderedSpec(spec, 'target', ['b', 'a']) as any).facet.column.sort, ['b', 'a']);
    assert.equal((orderedSpec(spec, 'group', []) as any).spec.layer[0].encoding.x.sort, undefined);
  });
});
