import { strict as assert } from 'assert';
import * as aq from 'arquero';

const ref = require('../fixtures/study/bias-explainability.json');

describe('sliceBars', () => {
  it('one panel per attribute, drops unscored groups, compiles with vega-lite', () => {
    const { sliceBars } = require('../../lib/figures/slice-bars');
    const vl = require('vega-lite');
    const t = aq.from([
      { dataset: 'a', attribute: 'sex', group: 'F', value: 0.6, lo: 0.5, hi: 0.7, reason: '' },
      { dataset: 'a', attribute: 'sex', group: 'M', value: 0.7, lo: 0.6, hi: 0.8, reason: '' },
      { dataset: 'a', attribute: 'view', group: 'AP', value: NaN, lo: NaN, hi: NaN, reason: 'n=3 < minPerGroup=10' },
      { dataset: 'a', attribute: 'view', group: 'PA', value: 0.65, lo: 0.6, hi: 0.7, reason: '' },
    ]);
    const spec = sliceBars(t, { title: 't' });
    assert.equal(spec.hconcat.length, 2);
    assert.deepEqual(spec.hconcat.map((c: any) => c.data.values.map((r: any) => r.group)), [['F', 'M'], ['PA']]);
    assert.ok(spec.hconcat.every((c: any) => c.config === undefined && c.$schema === undefined));
    assert.ok(vl.compile(spec).spec);
    assert.throws(() => sliceBars(t.filter((d: any) => d.reason !== '')), /no scored group/);
  });
});

describe('sexBiasFigure', () => {
  it('one panel per model, each with only its own p annotations; compiles with vega-lite', () => {
    const { sexBiasFigure } = require('../../lib/figures/sex-bias');
    const vl = require('vega-lite');
    const two = aq.from([...ref.bias.rows, ...ref.bias.rows.map((r: any) => ({ ...r, model: 'enc2' }))]);
    const spec = sexBiasFigure(two, { title: 'Fig 4c' });
    assert.equal(spec.hconcat.length, 2);
    for (const c of spec.hconcat) {
      const ann = c.layer[c.layer.length - 1].data.values;
      assert.equal(ann.length, 2); // one p per test sex (same- vs other-sex-trained)
      assert.ok(ann.every((r: any) => r.model === c.title));
    }
    assert.ok(vl.compile(spec).spec);
  });
});
