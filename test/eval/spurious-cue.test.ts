import { strict as assert } from 'assert';
import { RESULT_COLUMNS } from '../../lib/eval/result-table';
import * as aq from 'arquero';
import type { GreyImage, SampleTable } from '../../lib/data/types';
import { patchMassInBox } from '../../lib/data/patch-grid';
import { diffBox, spuriousCueExperiment } from '../../lib/eval/explainability/spurious-cue';

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

describe('spuriousCueExperiment (in-memory features)', function () {
  this.timeout(120000);
  before(async () => { await require('../../lib/engine/backend').initBackend(); });
  // 2×2 patch grid on 8×8 images: the cue lives in patch 0 (top-left), the finding in patch 3 (bottom-right)
  const { createRng } = require('../../lib/engine/rng');
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
      model: 'toy', samples: c.samples, features: c.feats, head, uncued: { samples: u.samples, features: u.feats },
    });
    await assert.rejects(spuriousCueExperiment({ model: 'toy', samples: c.samples, features: c.feats, seeds: [0, 1], uncued: { samples: u.samples, features: u.feats } }),
      /one seed, got 2 \(0, 1\)/);
    const v = (arm: string, metric: string) => (r.table.objects() as any[]).find((x) => x.group === arm && x.metric === metric).value;
    assert.equal(r.extras.probeIds.length, 40, 'every Fracture image of val has the brace in the cued world');
    // the tidy ResultTable: one row per arm and metric, the test AUROC on the test split, the rest on validation
    assert.deepEqual(r.table.columnNames(), [...RESULT_COLUMNS]);
    const rows = r.table.objects() as any[];
    assert.equal(rows.length, 2 * 9);
    assert.ok(rows.every((x) => x.model === 'toy' && x.task === 'spurious-cue' && x.dataset === c.samples.dataset && x.seed === 0 && x.config !== ''));
    assert.deepEqual([...new Set(rows.filter((x) => x.split === 'test').map((x) => x.metric))], ['auroc_test']);
    assert.equal(r.predictions.length, 0);
    assert.deepEqual([...r.extras.maps.keys()], ['cued', 'uncued']);
    assert.equal(r.extras.maps.get('cued')!.length, 40);
    assert.equal(v('cued', 'area_cue'), 0.25);
    assert.equal(v('cued', 'area_finding'), 0.25);
    assert.ok(v('cued', 'auroc_val') > 0.99, `cued val AUROC ${v('cued', 'auroc_val')}`);
    assert.ok(v('cued', 'auroc_test') < v('cued', 'auroc_val') - 0.2, `cued test AUROC ${v('cued', 'auroc_test')}`);
    assert.ok(v('cued', 'mass_cue') > 0.35 && v('cued', 'mass_cue') > v('uncued', 'mass_cue') + 0.2,
      `mass on the cue: cued ${v('cued', 'mass_cue')}, uncued ${v('uncued', 'mass_cue')}`);
    assert.ok(v('uncued', 'mass_finding') > v('uncued', 'mass_cue'), `uncued head: finding ${v('uncued', 'mass_finding')} vs cue ${v('uncued', 'mass_cue')}`);
  });
});
