import { strict as assert } from 'assert';
import { orderedSpec } from '../../lib/figures/readable';

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
