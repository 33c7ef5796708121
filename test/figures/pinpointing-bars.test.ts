import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { pinpointingBars } from '../../lib/figures/pinpointing-bars';

describe('pinpointingBars', () => {
  const row = { value: 0.4, lo: 0.3, hi: 0.5, findings: 9, classes: 3 };
  it('one chance level per dataset: a floor row per dataset, named in the legend; compiles with vega-lite', () => {
    const vl = require('vega-lite');
    const t = aq.from([{ model: 'a-very-long-encoder-name', dataset: 'd', ...row, chance: 0.1 }, { model: 'b', dataset: 'd', ...row, chance: 0.1 }, { model: 'b', dataset: 'e', ...row, chance: 0.25 }]);
    const spec = pinpointingBars(t, { title: 'x' }) as any;
    const floors = spec.data.values.filter((r: any) => r.model === 'floor: chance (random patch)');
    assert.deepEqual(floors.map((r: any) => [r.dataset, r.value]), [['d', 0.1], ['e', 0.25]]);
    const rule = spec.layer[spec.layer.length - 1];
    assert.equal(rule.mark.type, 'rule');
    assert.equal(rule.encoding.strokeDash.title, 'floor');
    assert.equal(spec.title, 'x');
    assert.equal(spec.config.legend.labelLimit, 0);
    assert.ok(vl.compile(spec).spec, 'compiles');
  });
  it('chance levels that differ between encoders of a dataset: a red tick per bar, said in the title', () => {
    const t = aq.from([{ model: 'a', dataset: 'd', ...row, chance: 0.1 }, { model: 'b', dataset: 'd', ...row, chance: 0.2 }]);
    const spec = pinpointingBars(t, { title: 'x' }) as any;
    const tick = spec.layer[spec.layer.length - 1];
    assert.equal(tick.mark.type, 'tick');
    assert.equal(tick.encoding.y.field, 'chance');
    assert.match(spec.title, /red tick: each encoder's chance level/);
  });
});
