import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { biasFoldRows, biasFoldTable, biasMatrix, biasPAnnotations, describeAgeBias, describeSexBias, parsePair, pickEncoders, tableS2 } from '../../lib/study/bias';
import type { StudyEncoder } from '../../lib/study/encoders';

const ref = require('../fixtures/study/bias-explainability.json');
const table = aq.from(ref.bias.rows);

describe('parsePair', () => {
  it('reads train / test groups and ignores test rows', () => {
    assert.deepEqual(parsePair('train=F|test=All'), ['F', 'All']);
    assert.equal(parsePair('F vs M|test=F'), undefined);
  });
});

describe('biasFoldRows', () => {
  it('keeps one row per fold, limited to the test groups asked for', () => {
    const r = biasFoldRows(table, { testGroups: ['F', 'M'] }).objects() as any[];
    assert.equal(r.length, 3 * 2 * 6);
    assert.deepEqual([...new Set(r.map((x) => x.test_group))].sort(), ['F', 'M']);
    assert.ok(r.every((x) => x.fold >= 0 && x.model === 'enc'));
  });
  it('throws naming the metric when nothing matches', () => {
    assert.throws(() => biasFoldRows(table, { metric: 'auprc' }), /no 'auprc' fold rows/);
  });
});

describe('biasMatrix', () => {
  it('mean and SD over folds equal numpy (ddof = 1)', () => {
    const m = biasMatrix(table).objects() as any[];
    assert.equal(m.length, 9);
    for (const e of ref.bias.matrix) {
      const r = m.find((x) => x.train_group === e.train_group && x.test_group === e.test_group);
      assert.ok(Math.abs(r.value - e.value) < 1e-12 && Math.abs(r.sd - e.sd) < 1e-12 && r.n === e.n, JSON.stringify(r));
    }
  });
});

describe('biasPAnnotations', () => {
  it('places the scipy Mann-Whitney p of F vs M above each training group', () => {
    const a = biasPAnnotations(table).objects() as any[];
    assert.equal(a.length, 3);
    const f = a.find((x) => x.train_group === 'F');
    assert.ok(Math.abs(f.p - 0.04112554112554113) < 1e-15);
    assert.equal(f.label, 'p = 0.041');
    const top = Math.max(...(ref.bias.rows as any[]).filter((r) => r.group === 'train=F|test=F' || r.group === 'train=F|test=M').map((r) => r.value));
    assert.ok(Math.abs(f.y - (top + 0.01)) < 1e-12);
  });
});

describe('biasFoldTable', () => {
  it('gives every matrix row the p of its training group (the Fig 4c table, never header-only)', () => {
    const t = biasFoldTable(table).objects() as any[];
    assert.equal(t.length, biasMatrix(table).numRows());
    assert.deepEqual(Object.keys(t[0]).sort(), ['model', 'n', 'p', 'sd', 'test_group', 'train_group', 'value']);
    for (const r of t.filter((x) => x.train_group === 'F')) assert.ok(Math.abs(r.p - 0.04112554112554113) < 1e-15);
  });
});

describe('describeSexBias / describeAgeBias', () => {
  it('state the numbers and count significant gaps', () => {
    const [line] = describeSexBias(table);
    assert.match(line, /^enc: trained on F: F 0\.\d{3} vs M 0\.\d{3} \(p = 0\.041\)/);
    assert.match(line, /3 of 3 training groups show a F\/M gap at p ≤ 0\.05/);
    const [age] = describeAgeBias(table.filter((d: any) => d.fold >= 0));
    assert.match(age, /training age groups score best on their own group/);
  });
});

describe('pickEncoders', () => {
  const e = (name: string, kind: StudyEncoder['kind'], arch?: string): StudyEncoder => ({ name, spec: name, kind, arch });
  const all = [e('ssl-nano', 'ssl', 'vit_nano'), e('ssl-tiny', 'ssl', 'vit_tiny'), e('sup', 'supervised'), e('rnd', 'random', 'vit_nano')];
  it('quick: the SSL encoder of the profile architecture + the supervised baseline; full: all', () => {
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' } }).map((x) => x.name), ['ssl-nano', 'sup']);
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_small', patchSize: 16, batchSize: 8, precision: 'fp32' } }).map((x) => x.name), ['ssl-tiny', 'sup']);
    assert.equal(pickEncoders(all, { name: 'full', encoder: { model: 'vit_small', patchSize: 16, batchSize: 8, precision: 'fp32' } }).length, 4);
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' } }, { withRandom: true }).map((x) => x.name), ['ssl-nano', 'sup', 'rnd']);
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_tiny', patchSize: 16, batchSize: 8, precision: 'fp32' } }, { withRandom: true }).map((x) => x.name), ['ssl-tiny', 'sup'], 'no random init of vit_tiny');
    assert.deepEqual(pickEncoders([all[3]], { name: 'quick', encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' } }).map((x) => x.name), ['rnd']);
  });
});

describe('tableS2', () => {
  it('stacks formatted demographics per dataset with pandas-equal % female and age mean (SD)', () => {
    const t = aq.from(ref.demo.rows);
    const s: SampleTable = { dataset: 'toy', table: t, labelNames: [], problems: [], loadImage: () => Promise.reject(new Error('no images')) };
    const out = tableS2([s, { ...s, dataset: 'toy2' }]).objects() as any[];
    assert.equal(out.length, 6);
    assert.deepEqual(out.map((r) => r.dataset), ['toy', 'toy', 'toy', 'toy2', 'toy2', 'toy2']);
    for (const e of ref.demo.expected) {
      const r = out.find((x) => x.Split === e.split && x.dataset === 'toy');
      assert.equal(r['Female (%)'], e.pct_female.toFixed(1));
      assert.equal(r['Age, mean (SD)'], `${e.age_mean.toFixed(1)} (${e.age_sd.toFixed(1)})`);
    }
  });
  it('throws on no datasets', () => assert.throws(() => tableS2([]), /no datasets/));
});

describe('sliceBars', () => {
  it('one panel per attribute, drops unscored groups, compiles with vega-lite', () => {
    const { sliceBars } = require('../../lib/study/bias');
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
    const { sexBiasFigure } = require('../../lib/study/bias');
    const vl = require('vega-lite');
    const two = aq.from([...ref.bias.rows, ...ref.bias.rows.map((r: any) => ({ ...r, model: 'enc2' }))]);
    const spec = sexBiasFigure(two, { title: 'Fig 4c' });
    assert.equal(spec.hconcat.length, 2);
    for (const c of spec.hconcat) {
      const ann = c.layer[c.layer.length - 1].data.values;
      assert.equal(ann.length, 3);
      assert.ok(ann.every((r: any) => r.model === c.title));
    }
    assert.ok(vl.compile(spec).spec);
  });
});
