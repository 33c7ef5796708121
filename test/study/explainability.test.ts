import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { GreyImage, SampleTable } from '../../lib/data/types';
import { patchMassInBox } from '../../lib/data/patch-grid';
import { boxedInTest, describeSpuriousCue, diffBox, pinpointingCI } from '../../lib/study/explainability';

const ref = require('../fixtures/study/bias-explainability.json');

describe('patchMassInBox', () => {
  it('equals the mass of the map upsampled piecewise-constantly (numpy kron) inside each box', () => {
    const m = ref.mass;
    m.boxes.forEach((b: any, k: number) => {
      const v = patchMassInBox(m.map, m.gridH, m.gridW, m.width, m.height, b);
      assert.ok(Math.abs(v - m.expected[k]) < 1e-12, `box ${k}: ${v} vs ${m.expected[k]}`);
    });
  });
  it('throws when the map does not fit the grid', () => {
    assert.throws(() => patchMassInBox([1, 2, 3], 2, 2, 8, 8, { x: 0, y: 0, w: 1, h: 1 }), /3 values for a 2×2 grid/);
  });
});

describe('diffBox', () => {
  const img = (w: number, h: number, set: [number, number, number][] = []): GreyImage => {
    const data = new Float32Array(w * h).fill(0.3);
    for (const [x, y, v] of set) data[y * w + x] = v;
    return { width: w, height: h, data };
  };
  it('bounds the pixels that differ by more than the threshold', () => {
    const a = img(10, 8), b = img(10, 8, [[2, 1, 0.9], [6, 4, 0.8], [9, 7, 0.32]]);
    assert.deepEqual(diffBox(a, b), { x: 2, y: 1, w: 5, h: 4 });
    assert.equal(diffBox(a, img(10, 8)), null);
    assert.throws(() => diffBox(a, img(8, 8)), /sizes differ/);
  });
});

describe('pinpointingCI', () => {
  const maps = [
    ...[1, 1, 0, 1].map((h) => ({ label: 'A', hit: h === 1 })),
    ...[0, 0, 1].map((h) => ({ label: 'B', hit: h === 1 })),
  ];
  it('macro mean of per-class hit rates with a bootstrap interval around it', () => {
    const s = pinpointingCI(maps, { n: 2000, seed: 3 });
    assert.ok(Math.abs(s.value - (0.75 + 1 / 3) / 2) < 1e-12);
    assert.equal(s.findings, 7); assert.equal(s.classes, 2);
    assert.ok(s.lo <= s.value && s.value <= s.hi && s.lo >= 0 && s.hi <= 1 && s.hi - s.lo > 0.1, JSON.stringify(s));
    assert.deepEqual(pinpointingCI(maps, { n: 200, seed: 3 }), pinpointingCI(maps, { n: 200, seed: 3 }));
  });
  it('a class with a single finding still varies across resamples (findings resampled together)', () => {
    const s = pinpointingCI([{ label: 'A', hit: true }, { label: 'B', hit: false }, { label: 'C', hit: true }], { n: 500, seed: 1 });
    assert.ok(Math.abs(s.value - 2 / 3) < 1e-12);
    assert.ok(s.lo === 0 && s.hi === 1, JSON.stringify(s));
  });
  it('all hits give a degenerate interval at 1; no maps throw', () => {
    const s = pinpointingCI([{ label: 'A', hit: true }, { label: 'B', hit: true }], { n: 50 });
    assert.deepEqual([s.value, s.lo, s.hi], [1, 1, 1]);
    assert.throws(() => pinpointingCI([]), /no attention maps/);
  });
});

describe('boxedInTest', () => {
  it('moves exactly the boxed images to the test split', () => {
    const table = aq.from([{ id: 'a', split: 'train' }, { id: 'b', split: 'val' }, { id: 'c', split: 'train' }, { id: 'd', split: 'test' }]);
    const s: SampleTable = { dataset: 'toy', table, labelNames: [], problems: [], boxes: [{ id: 'b', label: 'Mass', x: 0, y: 0, w: 1, h: 1 }, { id: 'c', label: 'Nodule', x: 0, y: 0, w: 1, h: 1 }], loadImage: () => Promise.reject(new Error('none')) };
    assert.deepEqual(boxedInTest(s).table.array('split'), ['train', 'test', 'test', 'test']);
    assert.deepEqual(table.array('split'), ['train', 'val', 'train', 'test'], 'input untouched');
    assert.throws(() => boxedInTest({ ...s, boxes: [] }), /has no boxes/);
  });
});

describe('describeSpuriousCue', () => {
  const rows = (arm: string, v: Record<string, number>) => Object.entries(v).map(([metric, value]) => ({ model: 'enc', arm, metric, value }));
  const base = { auroc_val: 0.9, auroc_test: 0.6, area_cue: 0.08, area_finding: 0.02 };
  it('says the cued model looks at the brace when its brace mass beats both references', () => {
    const t = aq.from([...rows('cued', { ...base, mass_cue: 0.55, mass_finding: 0.05 }), ...rows('uncued', { ...base, auroc_val: 0.7, auroc_test: 0.68, mass_cue: 0.1, mass_finding: 0.2 })]);
    const s = describeSpuriousCue(t);
    assert.match(s, /puts 55 % of its attention on the brace and 5 % on the fracture box/);
    assert.match(s, /falls from 0\.90 .* to 0\.60 .* \(drop 0\.30; uncued head: 0\.70 → 0\.68, drop 0\.02\)/);
    assert.match(s, /reveal the shortcut/);
    assert.match(s, /the cued head relied on the cue/);
  });
  it('a brace share barely above the uncued head\'s does not count (ratio rule)', () => {
    const t = aq.from([...rows('cued', { ...base, mass_cue: 0.12, mass_finding: 0.01 }), ...rows('uncued', { ...base, mass_cue: 0.11, mass_finding: 0.01 })]);
    assert.match(describeSpuriousCue(t), /do NOT show the shortcut clearly here: the cued head's brace share \(12 %\)/);
  });
  it('says so when the maps do not show it', () => {
    const t = aq.from([...rows('cued', { ...base, mass_cue: 0.1, mass_finding: 0.3 }), ...rows('uncued', { ...base, mass_cue: 0.1, mass_finding: 0.2 })]);
    assert.match(describeSpuriousCue(t), /do NOT show the shortcut/);
  });
});

describe('spuriousCueExperiment (in-memory features)', function () {
  this.timeout(120000);
  before(async () => { await require('../../lib/engine/backend').initBackend(); });
  // 2×2 patch grid on 8×8 images: the cue lives in patch 0 (top-left), the finding in patch 3 (bottom-right)
  const { createRng } = require('../../lib/engine/rng');
  const { spuriousCueExperiment } = require('../../lib/study/explainability');
  const n = { train: 160, val: 80, test: 80 } as const;
  const D = 4, T = 4;
  function world(cued: boolean) {
    const rng = createRng(11);
    const rows: any[] = [];
    const feats: any = {};
    for (const split of ['train', 'val', 'test'] as const) {
      const ids: string[] = [];
      const patches = new Float32Array(n[split] * T * D), cls = new Float32Array(n[split] * D);
      for (let i = 0; i < n[split]; i++) {
        const id = `${split}-${i}`;
        const y = i % 2;
        const draw = rng.uniform();   // drawn in both worlds so that the two stay identical but for the cue
        const brace = cued ? (split === 'test' ? (draw < 0.5 ? 1 : 0) : y) : 0;
        for (let k = 0; k < T * D; k++) patches[i * T * D + k] = 0.1 * rng.normal();
        if (brace) patches[i * T * D + 0 * D + 0] += 2;
        if (y) patches[i * T * D + 3 * D + 1] += 0.15;
        ids.push(id);
        rows.push({ id, split, Fracture: y, brace, width: 8, height: 8 });
      }
      feats[split] = { key: '', encoder: 'toy', dataset: 'toy', split, ids, n: n[split], dim: D, gridH: 2, gridW: 2, cls, patches };
    }
    const table = aq.from(rows);
    const boxes = rows.filter((r) => r.Fracture === 1).map((r) => ({ id: r.id, label: 'Fracture', x: 4, y: 4, w: 4, h: 4 }));
    const braceOf = new Map(rows.map((r) => [r.id, r.brace]));
    const samples: SampleTable = {
      dataset: 'toy', table, labelNames: ['Fracture'], problems: [], boxes,
      loadImage: async (id: string) => {
        const data = new Float32Array(64).fill(0.2);
        if (braceOf.get(id)) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data[y * 8 + x] = 1;
        return { width: 8, height: 8, data };
      },
    };
    return { samples, feats };
  }
  it('the cued head attends to the cue patch and loses AUROC when the cue is decorrelated', async () => {
    const c = world(true), u = world(false);
    const head = { configs: [{ lr: 1e-1, wd: 0, layers: 1 as const, pooling: 'attentive' as const }], epochs: 40, engine: 'tfjs' as const };
    const r = await spuriousCueExperiment({
      cued: { arm: 'cued', samples: c.samples, input: { model: 'toy', features: c.feats, head } },
      uncued: { arm: 'uncued', samples: u.samples, input: { model: 'toy', features: u.feats, head } },
    });
    const v = (arm: string, metric: string) => (r.table.objects() as any[]).find((x) => x.arm === arm && x.metric === metric).value;
    assert.equal(r.probeIds.length, 40, 'every Fracture image of val has the brace in the cued world');
    assert.equal(v('cued', 'area_cue'), 0.25);
    assert.equal(v('cued', 'area_finding'), 0.25);
    assert.ok(v('cued', 'auroc_val') > 0.99, `cued val AUROC ${v('cued', 'auroc_val')}`);
    assert.ok(v('cued', 'auroc_test') < v('cued', 'auroc_val') - 0.2, `cued test AUROC ${v('cued', 'auroc_test')}`);
    assert.ok(v('cued', 'mass_cue') > 0.35 && v('cued', 'mass_cue') > v('uncued', 'mass_cue') + 0.2,
      `mass on the cue: cued ${v('cued', 'mass_cue')}, uncued ${v('uncued', 'mass_cue')}`);
    assert.ok(v('uncued', 'mass_finding') > v('uncued', 'mass_cue'), `uncued head: finding ${v('uncued', 'mass_finding')} vs cue ${v('uncued', 'mass_cue')}`);
  });
});

describe('spuriousCueMassRows', () => {
  it('one bar per head and region plus the uniform-attention reference', () => {
    const { spuriousCueMassRows } = require('../../lib/study/explainability');
    const t = aq.from([
      { arm: 'cued', metric: 'mass_cue', value: 0.4 }, { arm: 'cued', metric: 'mass_finding', value: 0.1 }, { arm: 'cued', metric: 'area_cue', value: 0.05 },
      { arm: 'cued', metric: 'area_finding', value: 0.01 }, { arm: 'uncued', metric: 'mass_cue', value: 0.1 }, { arm: 'uncued', metric: 'mass_finding', value: 0.2 },
      { arm: 'uncued', metric: 'area_cue', value: 0.05 }, { arm: 'cued', metric: 'auroc_val', value: 0.9 },
    ]);
    assert.deepEqual(spuriousCueMassRows(t).objects(), [
      { region: 'brace box', what: 'cued head', value: 0.4 }, { region: 'fracture box', what: 'cued head', value: 0.1 },
      { region: 'brace box', what: 'uncued head', value: 0.1 }, { region: 'fracture box', what: 'uncued head', value: 0.2 },
      { region: 'brace box', what: 'uniform (box area)', value: 0.05 }, { region: 'fracture box', what: 'uniform (box area)', value: 0.01 },
    ]);
    assert.throws(() => spuriousCueMassRows(aq.from([{ arm: 'x', metric: 'auroc_val', value: 1 }])), /no mass_\* rows/);
  });
});

describe('describePinpointing', () => {
  it('calls a CI above, below or around the chance level', () => {
    const { describePinpointing } = require('../../lib/study/explainability');
    const row = (value: number, lo: number, hi: number, findings = 30) => ({ model: 'm', dataset: 'd', value, lo, hi, chance: 0.1, findings, classes: 3 });
    const [a, b, c, d] = describePinpointing(aq.from([row(0.5, 0.3, 0.7), row(0.04, 0.02, 0.06), row(0.1, 0.05, 0.2), row(0, 0, 0, 8)]));
    assert.match(a, /^m on d: 0\.500 \[0\.300, 0\.700\] vs chance 0\.100 — above chance \(30 findings, 3 classes\)$/);
    assert.match(d, /too few findings for a verdict \(< 20\)/);
    assert.match(b, /BELOW chance/);
    assert.match(c, /not distinguishable from chance/);
  });
});

describe('pinpointingBars', () => {
  const row = { value: 0.4, lo: 0.3, hi: 0.5, findings: 9, classes: 3 };
  it('one chance level per dataset: a floor row per dataset, named in the legend; compiles with vega-lite', () => {
    const { pinpointingBars } = require('../../lib/study/explainability');
    const vl = require('vega-lite');
    const t = aq.from([{ model: 'a-very-long-encoder-name', dataset: 'd', ...row, chance: 0.1 }, { model: 'b', dataset: 'd', ...row, chance: 0.1 }, { model: 'b', dataset: 'e', ...row, chance: 0.25 }]);
    const spec = pinpointingBars(t, { title: 'x' });
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
    const { pinpointingBars } = require('../../lib/study/explainability');
    const t = aq.from([{ model: 'a', dataset: 'd', ...row, chance: 0.1 }, { model: 'b', dataset: 'd', ...row, chance: 0.2 }]);
    const spec = pinpointingBars(t, { title: 'x' });
    const tick = spec.layer[spec.layer.length - 1];
    assert.equal(tick.mark.type, 'tick');
    assert.equal(tick.encoding.y.field, 'chance');
    assert.match(spec.title, /red tick: each encoder's chance level/);
  });
});
