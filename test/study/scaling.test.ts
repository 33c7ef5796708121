import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aq from 'arquero';
import {
  archParams, configPopulations, dataSourceRows, encodersWithParams, multiPopulationSsl, scalingFigure, scalingRows, scalingVerdict,
  summariseTaskGroups,
  dataSourceVerdict,
} from '../../lib/study/scaling';
import type { SessionEncoder } from '../../lib/session/encoders';
import { initBackend } from '../../lib/engine/backend';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** ViT parameter count by hand (dinov2 layout: patch embed, cls, pos, mask token; per block 2 norms, qkv, proj, 2 LayerScales, MLP; final norm). */
function vitParams(dim: number, depth: number, mlp: number, patch: number, chans: number, tokens: number): number {
  const block = 2 * 2 * dim + (dim * 3 * dim + 3 * dim) + (dim * dim + dim) + 2 * dim + (dim * mlp + mlp) + (mlp * dim + dim);
  // patch embed (w + b), cls token, mask token, pos embed (cls + patches), blocks, final norm
  return patch * patch * chans * dim + dim + dim + dim + (tokens + 1) * dim + depth * block + 2 * dim;
}

function rows(model: string, task: string, metric: string, group: string, values: number[]) {
  return values.map((value, seed) => ({ model, task, dataset: 'd', split: 'test', seed, fold: 0, group, metric, value, config: '' }));
}

const enc = (name: string, kind: SessionEncoder['kind'], arch: string, params?: number, populations?: string[]): SessionEncoder =>
  ({ name, spec: name, kind, arch, params, populations });

describe('archParams', () => {
  before(async () => { await initBackend(); });
  it('counts the registry ViTs as the hand formula (vit_nano 96/4/3, vit_micro 128/6/4, 8-px patches at 64 px, grey)', () => {
    const nano = archParams('vit_nano'), micro = archParams('vit_micro');
    const hand = [vitParams(96, 4, 384, 8, 1, 64), vitParams(128, 6, 512, 8, 1, 64)];
    assert.deepEqual([nano, micro], hand);
    assert.equal(nano, 460992);
  });
});

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

describe('configPopulations / encodersWithParams', () => {
  it('reads data.populations or data.population from config.json', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-'));
    assert.equal(configPopulations(d), undefined);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ data: { population: 'popA' } }));
    assert.deepEqual(configPopulations(d), ['popA']);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ data: { populations: ['popA', 'popC'] } }));
    assert.deepEqual(configPopulations(d), ['popA', 'popC']);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ data: { populations: [] } }));
    assert.equal(configPopulations(d), undefined);
  });
  it('fills params from the architecture, keeping given ones', async () => {
    await initBackend();
    const [a, b] = encodersWithParams([enc('a', 'random', 'vit_nano'), enc('b', 'ssl', 'vit_nano', 7)]);
    assert.equal(a.params, archParams('vit_nano'));
    assert.equal(b.params, 7);
  });
});

describe('classificationAndAuprc', () => {
  before(async () => { await initBackend(); });
  it('reports test macro AUROC and macro AUPRC of the selected head\'s own predictions (one grid run)', async function () {
    this.timeout(60000);
    const { classificationAndAuprc } = await import('../../lib/study/scaling');
    const { macroAuroc, macroAuprc } = await import('../../lib/stats');
    const { createRng } = await import('../../lib/engine/rng');
    const rng = createRng(7);
    const n = 60, d = 4, t = 2;
    const rowsT = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, split: i < 30 ? 'train' : i < 40 ? 'val' : 'test', A: i % 2, B: i % 3 === 0 ? 1 : 0 }));
    const samples = { dataset: 'toy', table: aq.from(rowsT), labelNames: ['A', 'B'] } as any;
    const feats = (ids: number[]) => {
      const cls = new Float32Array(ids.length * d), patches = new Float32Array(ids.length * t * d);
      ids.forEach((i, r) => {
        const v = [i % 2 ? 1 : -1, i % 3 === 0 ? 1 : -1, rng.normal(), rng.normal()];
        for (let j = 0; j < d; j++) { cls[r * d + j] = v[j] + 0.5 * rng.normal(); for (let p = 0; p < t; p++) patches[(r * t + p) * d + j] = v[j] + 0.5 * rng.normal(); }
      });
      return { key: '', encoder: 'e', dataset: 'toy', split: 'x', ids: ids.map((i) => `s${i}`), n: ids.length, dim: d, gridH: 1, gridW: t, cls, patches };
    };
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);
    const r = await classificationAndAuprc({
      model: 'm', samples, features: { train: feats(range(0, 30)), val: feats(range(30, 40)), test: feats(range(40, 60)) },
      seeds: [0], bootstrap: false, head: { grid: { lrs: [1e-1], wds: [0], layers: [1], poolings: ['avg'] }, epochs: 40, engine: 'tfjs', workers: 1 },
    });
    const got = Object.fromEntries((r.table.objects() as any[]).map((x) => [x.metric, x.value]));
    const p = r.predictions[0];
    const C = p.classNames.length, N = p.ids.length;
    const col = (a: ArrayLike<number>) => Array.from({ length: C }, (_, c) => Float64Array.from({ length: N }, (_, i) => a[i * C + c]));
    close(got.auroc, macroAuroc(col(p.labels), col(p.scores)).macro);
    close(got.auprc, macroAuprc(col(p.labels), col(p.scores)).macro);
    assert.ok(got.auroc > 0.8, `separable toy labels: AUROC ${got.auroc}`);
  });
});

describe('scalingFigure (Fig S1 top)', () => {
  const vega = require('vega');
  const vl = require('vega-lite');
  const row = (task: string, series: string, model: string, params: number, value: number, lo: number | null, hi: number | null) =>
    ({ task, label: task, series, model, params, value, lo, hi });
  const rows = [
    row('cls', 'SSL', 'nano', 100, 0.7, 0.6, 0.8), row('cls', 'SSL', 'micro', 300, 0.75, null, null),
    row('cls', 'best other', 'sup', 100, 0.65, null, null), row('cls', 'best other', 'sup', 300, 0.65, null, null),
    row('seg', 'SSL', 'nano', 100, 0.5, 0.45, 0.55), row('seg', 'SSL', 'micro', 300, 0.52, 0.5, 0.54), row('seg', 'SSL', 'small', 900, 0.6, 0.58, 0.62),
  ];
  async function marks(spec: any): Promise<{ type: string; datum: any; y?: number; y2?: number }[]> {
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const out: any[] = [];
    const walk = (n: any) => { if (n.marktype) n.items.forEach((i: any) => { if (i.datum?.series) out.push({ type: n.marktype, ...i }); }); (n.items ?? []).forEach((c: any) => c.items && walk(c)); };
    walk((view.scenegraph() as any).root);
    view.finalize();
    return out;
  }
  it('a trend line only in panels with ≥ 3 sizes, CI whiskers where computed, one shared y-axis', async () => {
    const spec = scalingFigure(rows, { title: 't' }) as any;
    assert.equal(spec.resolve.scale.y, 'shared');
    assert.deepEqual(spec.spec.layer[0].encoding.x.scale.domain, [100 / 1.5, 900 * 1.5], 'the log axis hugs the sizes');
    const m = await marks(spec);
    const lines = m.filter((x) => x.type === 'line');
    // SSL lines: seg only (3 sizes), not cls (2); the dashed best-other line in cls
    const sslLineTasks = [...new Set(lines.filter((x) => x.datum.series === 'SSL').map((x) => x.datum.task))];
    assert.deepEqual(sslLineTasks, ['seg']);
    assert.deepEqual([...new Set(lines.filter((x) => x.datum.series === 'best other').map((x) => x.datum.model))], ['sup']);
    const whiskers = m.filter((x) => x.type === 'rule').map((x) => `${x.datum.task}:${x.datum.model}`).sort();
    assert.deepEqual(whiskers, ['cls:nano', 'seg:micro', 'seg:nano', 'seg:small'], 'no whisker where the CI is null');
    assert.deepEqual(m.filter((x) => x.type === 'text').map((x) => x.datum.model), ['sup']);
  });
  it('throws on no rows', () => assert.throws(() => scalingFigure([]), /no rows/));
});
