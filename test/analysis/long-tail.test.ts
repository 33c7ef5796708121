import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { binSizes, findingLabels, frequencyRows, groupBars } from '../../lib/analysis/long-tail';
import { frequencyBin } from '../../lib/stats/macro';

const ref = require('../fixtures/study/classification.json');
const manifest = require('../../data-manifests/synthetic-cxr.json');

describe('findingLabels', () => {
  it('drops the device-position labels of the synthetic manifest (incl. Incompletely Imaged)', () => {
    const st = { labelNames: manifest.labels.names } as SampleTable;
    const f = findingLabels(st);
    assert.equal(f.length, 15);
    assert.ok(f.includes('Support Devices') && f.includes('No Finding'));
    assert.ok(!f.some((n) => n.includes(' - ')));
  });
});

describe('frequencyBin', () => {
  it('follows binnedMacroAuprc: rare < 1% ≤ uncommon ≤ 10% < common', () => {
    assert.deepEqual([0.005, 0.01, 0.05, 0.1, 0.1001, 0.6].map((p) => frequencyBin(p)), ['rare', 'uncommon', 'uncommon', 'uncommon', 'common', 'common']);
    assert.throws(() => frequencyBin(1.5), /invalid prevalence: 1.5/);
  });
});

describe('frequencyRows', () => {
  const rows = [['A', 0.3], ['B', 0.05], ['C', 0.004], ['D', 0]].flatMap(([group, value]) => [0, 1].map((seed) => (
    { model: 'm', task: 'long-tail', dataset: 'd', split: 'train', seed, fold: 0, group, metric: 'train_prevalence', value, config: '' })));
  it('one row per class of the first model/seed, zero-prevalence classes listed apart', () => {
    const f = frequencyRows(aq.from(rows));
    assert.deepEqual(f.rows, [{ class: 'A', frequency: 0.3, bin: 'common' }, { class: 'B', frequency: 0.05, bin: 'uncommon' }, { class: 'C', frequency: 0.004, bin: 'rare' }]);
    assert.deepEqual(f.absent, ['D']);
    assert.deepEqual(binSizes(f.rows), { common: 1, uncommon: 1, rare: 1 });
  });
  it('throws on a table without prevalence rows', () => {
    assert.throws(() => frequencyRows(aq.from([{ metric: 'auprc', value: 1 }])), /train_prevalence/);
  });
});

describe('groupBars', () => {
  // the fixture's two "datasets" stand in for two bins; scipy's t-interval and ttest_ind p per bin
  const bin = (d: string) => (d === 'nih' ? 'rare' : 'common');
  const rows: Record<string, unknown>[] = [];
  for (const [d, byModel] of Object.entries(ref.values as Record<string, Record<string, number[]>>)) {
    for (const [model, vs] of Object.entries(byModel)) vs.forEach((value, seed) => {
      rows.push({ model, task: 'long-tail', dataset: 'synthetic-cxr', split: 'test', seed, fold: 0, group: bin(d), metric: 'auprc', value, config: '' });
      rows.push({ model, task: 'long-tail', dataset: 'synthetic-cxr', split: 'test', seed, fold: 0, group: 'Hernia', metric: 'auprc', value: 0.1, config: '' });
    });
  }
  it('bars per bin in the given order, relabelled, with scipy intervals and p', () => {
    const out = groupBars(aq.from(rows), { metric: 'auprc', groups: ['common', 'uncommon', 'rare'], names: { rare: 'rare (3)' } }).objects() as any[];
    assert.equal(out.length, 6);
    assert.deepEqual([...new Set(out.map((r) => r.group))], ['common', 'rare (3)']);
    for (const e of ref.bars) {
      const r = out.find((o) => o.group.startsWith(bin(e.dataset)) && o.model === e.model);
      assert.ok(Math.abs(r.value - e.mean) < 1e-12 && Math.abs(r.lo - e.lo) < 1e-9 && Math.abs(r.hi - e.hi) < 1e-9);
      if (e.p !== null) assert.ok(Math.abs(r.p - e.p) < 1e-9 + 1e-6 * e.p);
    }
  });
});

describe('frequencyFigure', () => {
  it('draws bars on a log scale whose domain excludes 0 (vega runtime)', async () => {
    const vl = require('vega-lite'), vega = require('vega');
    const { frequencyFigure } = require('../../lib/figures/frequency-bars');
    const spec = frequencyFigure([{ class: 'A', frequency: 0.3, bin: 'common' }, { class: 'C', frequency: 0.004, bin: 'rare' }]);
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const [lo, hi] = view.scale('y').domain();
    assert.ok(lo > 0 && lo <= 0.004 && hi >= 0.3, `domain ${lo} ${hi}`);
  });
});

describe('chanceAuprc', () => {
  it('macro mean of test prevalence over classes with a positive (= sklearn average_precision of a constant score)', () => {
    const { chanceAuprc } = require('../../lib/analysis/long-tail');
    const st = { dataset: 'd', labelNames: ['A', 'B', 'C'], table: aq.table({
      split: ['test', 'test', 'test', 'test', 'train'], A: [1, 0, 0, NaN, 1], B: [1, 1, 0, 0, 0], C: [0, 0, 0, 0, 1] }) };
    const r = chanceAuprc(st, { g: ['A', 'B', 'C'], none: ['C'] });
    assert.ok(Math.abs(r.g - (1 / 3 + 1 / 2) / 2) < 1e-12, String(r.g));
    assert.ok(Number.isNaN(r.none));
    assert.throws(() => chanceAuprc(st, { x: ['Z'] }), /no label 'Z'/);
  });
  it('prevalenceFloor: floor rows on the figure labels, NaN groups left out', () => {
    const { prevalenceFloor } = require('../../lib/analysis/long-tail');
    assert.deepEqual(prevalenceFloor({ common: 0.25, rare: NaN, uncommon: 0.05 }, { common: 'common (3)' }), [
      { group: 'common (3)', model: 'floor: prevalence', value: 0.25 }, { group: 'uncommon', model: 'floor: prevalence', value: 0.05 }]);
    assert.throws(() => prevalenceFloor({ rare: NaN }), /no group with a finite chance AUPRC \(rare\)/);
  });
});
