import { strict as assert } from 'assert';
import * as aq from 'arquero';

const ref = require('../fixtures/study/bias-explainability.json');

describe('sliceBars', () => {
  const row = (dataset: string, attribute: string, group: string, value = 0.6, reason = '') => ({ dataset, attribute, group, metric: 'auroc', value, lo: value - 0.1, hi: value + 0.1, reason });
  it('one panel per attribute, drops unscored groups, compiles with vega-lite', () => {
    const { sliceBars } = require('../../lib/figures/slice-bars');
    const vl = require('vega-lite');
    const t = aq.from([
      row('a', 'sex', 'F'), row('a', 'sex', 'M', 0.7),
      row('a', 'view', 'AP', NaN, 'n=3 < minPerGroup=10'), row('a', 'view', 'PA', 0.65), row('a', 'view', 'LL', 0.62),
    ]);
    const spec = sliceBars(t, { title: 't' });
    assert.equal(spec.hconcat.length, 2);
    const bars = (c: any) => c.data.values.filter((r: any) => !String(r.dataset).startsWith('floor: ')).map((r: any) => r.group);
    assert.deepEqual(spec.hconcat.map(bars), [['F', 'M'], ['PA', 'LL']]);
    assert.ok(spec.hconcat.every((c: any) => c.config === undefined && c.$schema === undefined));
    assert.ok(vl.compile(spec).spec);
    assert.throws(() => sliceBars(t.filter((d: any) => d.reason !== '')), /no scored group/);
  });

  it('age bins young → old, the AUROC chance floor in every panel, a one-group attribute named in the title, not drawn', () => {
    const { sliceBars, sliceGroupOrder, SLICE_CHANCE_FLOOR } = require('../../lib/figures/slice-bars');
    const vl = require('vega-lite');
    assert.deepEqual(sliceGroupOrder(['>=60', '[0, 40)', '[40, 60)']), ['[0, 40)', '[40, 60)', '>=60']);
    assert.deepEqual(sliceGroupOrder(['[18, 40)', '<18', '>=60']), ['<18', '[18, 40)', '>=60']);
    assert.deepEqual(sliceGroupOrder(['M', 'F']), ['M', 'F']);
    const t = aq.from([
      row('a', 'age', '>=60'), row('a', 'age', '[0, 40)'), row('a', 'age', '[40, 60)'), row('b', 'age', '[0, 40)'),
      row('a', 'population', 'popA'), row('a', 'sex', 'F'), row('a', 'sex', 'M'),
    ]);
    const spec = sliceBars(t, { title: 'slices' });
    assert.deepEqual(spec.hconcat.map((c: any) => c.title), ['age', 'sex']);
    assert.match(spec.title, /^slices · not drawn, population: one group \(popA\)$/);
    const age = spec.hconcat[0];
    for (const l of age.layer) if (l.encoding?.x?.field === 'group' && !l.encoding.x2) assert.deepEqual(l.encoding.x.sort, ['[0, 40)', '[40, 60)', '>=60']);
    const floors = age.data.values.filter((r: any) => r.dataset === `floor: ${SLICE_CHANCE_FLOOR}`);
    assert.deepEqual(floors.map((r: any) => [r.group, r.value]), [['[0, 40)', 0.5], ['[40, 60)', 0.5], ['>=60', 0.5]]);
    assert.ok(vl.compile(spec).spec);
    // the datasets are categories, not encoders: the house category palette, no encoder colour scale
    assert.equal(age.layer[0].encoding.color.scale, undefined);
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
