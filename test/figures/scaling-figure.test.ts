import { strict as assert } from 'assert';
import { scalingFigure } from '../../lib/figures/scaling-figure';

function rows(model: string, task: string, metric: string, group: string, values: number[]) {
  return values.map((value, seed) => ({ model, task, dataset: 'd', split: 'test', seed, fold: 0, group, metric, value, config: '' }));
}

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
  it('draws the floors (scalingFloorRows) flat over the SSL sizes in light grey, only in the panels that have one', async () => {
    const { scalingFloorRows } = require('../../lib/analysis/scaling');
    const floors = scalingFloorRows(rows, { cls: [{ name: 'raw pixels', value: 0.72 }, { name: 'none', value: NaN }], other: [{ name: 'x', value: 0.1 }] });
    assert.deepEqual(floors.map((r: any) => [r.task, r.model, r.params, r.value]), [['cls', 'floor: raw pixels', 100, 0.72], ['cls', 'floor: raw pixels', 300, 0.72]]);
    const spec = scalingFigure([...rows, ...floors]) as any;
    assert.deepEqual(spec.spec.layer[0].encoding.color.scale, { domain: ['SSL', 'best other', 'floor'], range: ['#0072B2', '#555555', '#aaaaaa'] });
    const m = await marks(spec);
    assert.deepEqual([...new Set(m.filter((x) => x.type === 'line' && x.datum.series === 'floor').map((x) => `${x.datum.task}:${x.datum.model}`))], ['cls:floor: raw pixels']);
    assert.deepEqual((scalingFigure(rows) as any).spec.layer[0].encoding.color.scale.domain, ['SSL', 'best other'], 'no floor entry without floor rows');
  });
  it('draws SSL solid and the best other encoder and floors dashed, in the panels and in the legend alike', async () => {
    const { scalingFloorRows } = require('../../lib/analysis/scaling');
    const spec = scalingFigure([...rows, ...scalingFloorRows(rows, { cls: [{ name: 'raw pixels', value: 0.72 }] })]) as any;
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const lines: { series: string; dash: number[] }[] = [];
    const legend: { label: string; dash: number[]; shape: string }[] = [];
    const walk = (n: any) => {
      for (const i of n.items ?? []) {
        if (n.marktype === 'line' && i.datum?.series) lines.push({ series: i.datum.series, dash: i.strokeDash ?? [] });
        if (n.marktype === 'symbol' && n.role === 'legend-symbol') legend.push({ label: i.datum.label, dash: i.strokeDash ?? [], shape: i.shape });
        if (i.items) walk(i);
      }
    };
    walk((view.scenegraph() as any).root);
    view.finalize();
    const style = (dash: number[]) => (dash.length === 0 || dash[1] === 0 ? 'solid' : `dashed ${dash.join(',')}`);
    const styles = (xs: { dash: number[] }[]) => [...new Set(xs.map((x) => style(x.dash)))];
    assert.deepEqual(styles(lines.filter((l) => l.series === 'SSL')), ['solid']);
    assert.deepEqual(styles(lines.filter((l) => l.series !== 'SSL')), ['dashed 6,3']);
    assert.deepEqual(legend.map((l) => [l.label, l.shape, style(l.dash)]), [['SSL', 'stroke', 'solid'], ['best other', 'stroke', 'dashed 6,3'], ['floor', 'stroke', 'dashed 6,3']]);
  });
  it('throws on no rows', () => assert.throws(() => scalingFigure([]), /no rows/));
});
