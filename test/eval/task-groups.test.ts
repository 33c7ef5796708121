import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { initBackend } from '../../lib/engine/backend';
import { classificationAndAuprc } from '../../lib/eval/grid/task-groups';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('classificationAndAuprc', () => {
  before(async () => { await initBackend(); });
  it('reports test macro AUROC and macro AUPRC of the selected head\'s own predictions (one grid run)', async function () {
    this.timeout(60000);
    const { classificationAndAuprc } = await import('../../lib/eval/grid/task-groups');
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
