import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SessionEncoder } from '../../lib/session/encoders';
import { dataSourceRows, dataSourceVerdict, multiPopulationSsl, scalingRows, scalingVerdict, summariseTaskGroups } from '../../lib/analysis/scaling';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function rows(model: string, task: string, metric: string, group: string, values: number[]) {
  return values.map((value, seed) => ({ model, task, dataset: 'd', split: 'test', seed, fold: 0, group, metric, value, config: '' }));
}

const enc = (name: string, kind: SessionEncoder['kind'], arch: string, params?: number, populations?: string[]): SessionEncoder =>
  ({ name, spec: name, kind, arch, params, populations });

describe('summariseTaskGroups', () => {
  it('takes each group\'s aggregate row and gives mean ± t-interval (scipy.stats.t.interval)', () => {
    const t = aq.from([
      ...rows('A', 'classification', 'auroc', 'macro', [0.6, 0.7]),
      ...rows('A', 'classification', 'auroc', 'Nodule', [0.1, 0.1]),
      ...rows('A', 'classification', 'auprc', 'macro', [0.5, 0.55, 0.62]),
      ...rows('A', 'long-tail', 'auprc', 'macro', [0.1, 0.1, 0.1]),
      ...rows('A', 'segmentation', 'mDice', 'all', [0.8]),
      ...rows('A', 'segmentation', 'dice', 'lung', [0.9]),
    ]);
    const s = summariseTaskGroups(t).objects() as any[];
    assert.deepEqual(s.map((r) => r.task), ['classification (macro AUROC)', 'long-tail (macro AUPRC)', 'segmentation (mDice)']);
    close(s[0].value, 0.65); close(s[0].lo, 0.014689763178395432); close(s[0].hi, 1.2853102368216045);
    close(s[1].value, 0.5566666666666666); close(s[1].lo, 0.40692995566108525); close(s[1].hi, 0.706403377672248);
    close(s[2].value, 0.8);
    assert.ok(Number.isNaN(s[2].lo)); // one seed, no bootstrap rows: no interval
    // one seed with bootstrap rows: the CI is the bootstrap's
    const b = summariseTaskGroups(aq.from([...rows('B', 'classification', 'auroc', 'macro', [0.7]), ...rows('B', 'classification', 'auroc_ci_lo', 'macro', [0.65]),
      ...rows('B', 'classification', 'auroc_ci_hi', 'macro', [0.75])])).objects() as any[];
    assert.deepEqual([b.length, b[0].value, b[0].lo, b[0].hi], [1, 0.7, 0.65, 0.75]);
  });
  it('throws when no task group is in the table', () => {
    assert.throws(() => summariseTaskGroups(aq.from(rows('A', 'bias', 'auroc', 'macro', [0.5]))), /none of the tasks/);
    assert.throws(() => summariseTaskGroups(aq.from(rows('A', 'long-tail', 'auprc', 'macro', [0.5]))), /none of the tasks/);
  });
});

describe('scalingRows / scalingVerdict', () => {
  const encoders = [
    enc('nano', 'ssl', 'vit_nano', 100), enc('micro', 'ssl', 'vit_micro', 300), enc('nano-popA', 'ssl', 'vit_nano', 100, ['popA']),
    enc('sup', 'supervised', 'vit_nano', 100, ['popA']), enc('random-vit_nano', 'random', 'vit_nano', 100),
  ];
  const summary = aq.from([
    { model: 'nano', task: 'classification', label: 'cls', value: 0.7, lo: 0.6, hi: 0.8, sd: 0.01, n: 5 },
    { model: 'micro', task: 'classification', label: 'cls', value: 0.75, lo: NaN, hi: NaN, sd: 0.01, n: 5 },
    { model: 'nano-popA', task: 'classification', label: 'cls', value: 0.9, lo: 0.8, hi: 1 },
    { model: 'sup', task: 'classification', label: 'cls', value: 0.65, lo: 0.6, hi: 0.7, sd: 0.05, n: 5 },
    { model: 'random-vit_nano', task: 'classification', label: 'cls', value: 0.55, lo: 0.5, hi: 0.6 },
  ]);
  it('puts multi-population SSL on the size axis and the best other encoder flat over its range', () => {
    assert.deepEqual(multiPopulationSsl(encoders).map((e) => e.name), ['nano', 'micro']);
    const r = scalingRows(summary, encoders);
    assert.deepEqual(r.map((x) => [x.series, x.model, x.params, x.value]), [
      ['SSL', 'nano', 100, 0.7], ['SSL', 'micro', 300, 0.75],
      ['best other', 'sup', 100, 0.65], ['best other', 'sup', 300, 0.65],
    ]);
    assert.equal(r[1].lo, null); // NaN CI → null (no whisker)
    // separated (SD 0.01, 5 seeds each): claims survive Holm over the 2 claims of the figure
    // micro vs nano: t = 0.05 / sqrt(1e-4 · 0.4) = 7.906, df 8 → p = 4.8e-5 (scipy ttest_ind_from_stats)
    const [v] = scalingVerdict(r);
    assert.match(v, /^cls: nano \(0\.00 M params\) 0\.700, micro \(0\.00 M params\) 0\.750; best other encoder sup 0\.650; /);
    assert.match(v, /micro better than nano \(p = 4\.8e-5, Holm-adjusted p = 9\.\de-5\)/);
    assert.match(v, /micro better than sup \(p = 0\.00\d+, Holm-adjusted/);
    // overlapping (SD 0.1): no claim, the p is printed
    const noisy = r.map((x) => ({ ...x, sd: 0.1 }));
    const [w] = scalingVerdict(noisy);
    assert.match(w, /no significant difference between micro and nano \(p = 0\.4\d*, Holm-adjusted p = /);
    assert.match(w, /no significant difference between micro and sup/);
    // one seed: no SD → not tested, never a claim
    assert.match(scalingVerdict(r.map((x) => ({ ...x, sd: null, n: 1 })))[0], /micro vs nano not tested/);
  });
});

describe('dataSourceRows', () => {
  it('labels pretraining data and in-domain / other population from generalization rows', () => {
    const encoders = [enc('nano', 'ssl', 'vit_nano'), enc('nano-popA', 'ssl', 'vit_nano', undefined, ['popA']), enc('sup', 'supervised', 'vit_nano', undefined, ['popA'])];
    const t = aq.from([
      ...rows('nano', 'train popA', 'auroc', 'popA', [0.7, 0.8]), ...rows('nano', 'train popA', 'auroc', 'popB', [0.6, 0.62]),
      ...rows('nano', 'train popA', 'auroc', 'popA/Nodule', [0.1, 0.1]),
      ...rows('nano-popA', 'train popA', 'auroc', 'popB', [0.5, 0.52]), ...rows('sup', 'train popA', 'auroc', 'popA', [0.9]),
    ]);
    const r = dataSourceRows(t, encoders, 'popA');
    const key = (x: any) => `${x.pretraining}|${x.test}|${x.population}`;
    assert.deepEqual(r.map(key).sort(), [
      'SSL, one population (popA)|other population|popB', 'SSL, several populations|in-domain|popA',
      'SSL, several populations|other population|popB', 'supervised (popA)|in-domain|popA',
    ]);
    close(r.find((x) => x.model === 'nano' && x.population === 'popA')!.value, 0.75);
    // other population: nano [0.60, 0.62] vs nano-popA [0.50, 0.52] → scipy ttest_ind p = 0.0194 (one comparison: Holm = raw)
    assert.deepEqual(dataSourceVerdict(r), [
      'other population: several populations (nano) better than one population (nano-popA) (p = 0.019, Holm-adjusted p = 0.019) [means 0.610 vs 0.510]',
      'in-domain: the one-population SSL checkpoint is missing; ',
    ]);
    const noisy = dataSourceVerdict(r.map((x) => ({ ...x, sd: 0.2 })));
    assert.match(noisy[0], /^other population: no significant difference between several populations \(nano\) and one population \(nano-popA\)/);
  });
});

describe('taskGroupFloors', () => {
  it('gives each Fig S1 panel its floor: raw-pixel probe, mean test prevalence, whole-image Dice', async function () {
    this.timeout(120000);
    const { loadSynthetic } = await import('../../lib/data/synthetic');
    const { taskGroupFloors } = await import('../../lib/analysis/scaling');
    const { probePixels } = await import('../../lib/pretrain/probe');
    const { chanceAuprc } = await import('../../lib/analysis/long-tail');
    const { segmentFloors } = await import('../../lib/analysis/seg-sets');
    const samples = await loadSynthetic({ n: 120, size: 32, seed: 5, splits: [0.5, 0.25, 0.25] } as never);
    const f = await taskGroupFloors(samples, 16);
    assert.deepEqual(Object.keys(f), ['classification (macro AUROC)', 'long-tail (macro AUPRC)', 'segmentation (mDice)']);
    close(f['classification (macro AUROC)'][0].value, (await probePixels(samples, 16)).linearMacroAuroc);
    close(f['long-tail (macro AUPRC)'][0].value, chanceAuprc(samples, { all: samples.labelNames }).all);
    const seg = (await segmentFloors(samples, [{ task: 'segmentation' }])).objects() as any[];
    const whole = seg.filter((r) => r.model === 'floor: whole image as the structure' && Number.isFinite(r.value));
    close(f['segmentation (mDice)'][0].value, whole.reduce((a, r) => a + r.value, 0) / whole.length);
    assert.ok(f['segmentation (mDice)'][0].value > 0 && f['segmentation (mDice)'][0].value < 1);
  });
});
