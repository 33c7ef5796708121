import { strict as assert } from 'assert';
import { readable } from '../../lib/figures/readable';

describe('readable', () => {
  it('keeps the data order on x and un-truncates labels, without mutating the input', () => {
    const spec = { config: { axis: { grid: true } }, layer: [{ encoding: { x: { field: 'group' }, xOffset: { field: 'model' }, color: { field: 'model' } } }, { encoding: { x: { field: 'group', sort: ['b'] } } }] };
    const out = readable(spec) as any;
    assert.equal(out.layer[0].encoding.x.sort, null);
    assert.equal(out.layer[0].encoding.xOffset.sort, null);
    assert.equal(out.layer[0].encoding.color.sort, null);
    assert.deepEqual(out.layer[1].encoding.x.sort, ['b']);
    assert.equal(out.config.axis.labelLimit, 400);
    assert.equal(out.config.axis.grid, true);
    assert.equal((spec.layer[0].encoding.x as any).sort, undefined);
  });
});

describe('readable text labels', () => {
  it('draws p labels vertically', () => {
    const out = readable({ layer: [{ mark: { type: 'text', dy: -6, fontSize: 9 }, encoding: { text: { field: 'label' } } }] }) as any;
    assert.deepEqual([out.layer[0].mark.angle, out.layer[0].mark.align, out.layer[0].mark.dy, out.layer[0].mark.fontSize], [270, 'left', 0, 9]);
  });
});
