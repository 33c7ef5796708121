import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aq from 'arquero';
import type { SessionEncoder } from '../../lib/session/encoders';
import { initBackend } from '../../lib/engine/backend';
import { scalingFigure } from '../../lib/figures/scaling-figure';

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
