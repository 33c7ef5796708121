import { strict as assert } from 'assert';
import Ajv from 'ajv';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import * as aq from 'arquero';
import {
  confidenceEllipse, domainScatter, floorRows, withFloors, frequencyBars, groupStrip, heatmap, lineChart, metricBars, predScatter, rocPlot, Spec, ENCODER_COLORS,
} from '../../lib/figures';

// vega-lite's own JSON schema: every spec we build must validate (as vega-lite's examples test does).
const schema = require('vega-lite/build/vega-lite-schema.json');
const ajv = new Ajv({ allowUnionTypes: true, strict: false, allErrors: false, validateFormats: false });
const validate = ajv.compile(schema);

async function renderSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

async function checkSpec(spec: Spec): Promise<string> {
  const ok = validate(spec);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3)));
  const svg = await renderSvg(spec);
  assert.match(svg, /^<svg/);
  return svg;
}

const results = aq.table({
  model: ['ssl', 'ssl', 'random', 'random'],
  dataset: ['synthetic', 'nih', 'synthetic', 'nih'],
  value: [0.9, 0.7, 0.6, 0.55],
  lo: [0.88, 0.6, 0.57, 0.45],
  hi: [0.92, 0.8, 0.63, 0.65],
  p: ['p ≤ 1e-5', 'p = 0.03', '', ''],
});

describe('figures', () => {
  it('metricBars: grouped bars, CI rules and labels, valid and renderable', async () => {
    const spec = metricBars(results, { x: 'dataset', color: 'model', label: 'p', yTitle: 'AUROC' }) as any;
    assert.equal(spec.layer.length, 3);
    assert.equal(spec.layer[1].encoding.y.field, 'lo');
    assert.equal(spec.layer[1].encoding.y2.field, 'hi');
    assert.equal(spec.data.values.length, 4);
    const svg = await checkSpec(spec);
    assert.match(svg, /AUROC/);
    assert.match(svg, /p ≤ 1e-5/);
  });

  it('metricBars: xLabelLines draws "name (detail)" x labels on two lines, other labels on one', async () => {
    const rows = [{ dataset: 'covid-chestxray (real train)', model: 'ssl', value: 0.4 }, { dataset: 'synthetic', model: 'ssl', value: 0.7 }];
    const svg = await checkSpec(metricBars(rows, { x: 'dataset', color: 'model', lo: '', hi: '', xLabelLines: true }));
    assert.match(svg, /<tspan>covid-chestxray<\/tspan><tspan[^>]*>\(real train\)<\/tspan>/);
    assert.match(svg, />synthetic</);
    const plain = await checkSpec(metricBars(rows, { x: 'dataset', color: 'model', lo: '', hi: '' }));
    assert.match(plain, />covid-chestxray \(/);
    assert.doesNotMatch(plain, /<tspan>covid-chestxray<\/tspan>/);
  });

  it('metricBars: rejects a missing column and an empty table, naming them', () => {
    assert.throws(() => metricBars(results, { x: 'nope', color: 'model' }), /invalid column: nope/);
    assert.throws(() => metricBars([], { x: 'dataset', color: 'model' }), /empty table/);
  });

  it('metricBars: floor rows are dashed rules across their whole group, in a floor legend, not bars', async () => {
    const floors = floorRows('prevalence', { synthetic: 0.2, nih: 0.1 }, { x: 'dataset', color: 'model' });
    assert.deepEqual(floors[0], { dataset: 'synthetic', model: 'floor: prevalence', value: 0.2 });
    const spec = metricBars(withFloors(results, floors), { x: 'dataset', color: 'model', label: 'p', yTitle: 'AUROC' }) as any;
    assert.deepEqual(spec.layer[0].encoding.color.field, 'model');
    const svg = await checkSpec(spec);
    assert.match(svg, />floor</);
    assert.match(svg, /floor: prevalence/);
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const items: any[] = [];
    const walk = (n: any) => { if (n.marktype) n.items.forEach((i: any) => { if (i.datum) items.push({ type: n.marktype, ...i }); }); (n.items ?? []).forEach((c: any) => c.items && walk(c)); };
    walk((view.scenegraph() as any).root);
    const x = view.scale('x'), y = view.scale('y');
    const rules = items.filter((i) => i.type === 'rule' && String(i.datum.model).startsWith('floor: '));
    assert.equal(rules.length, 2);
    for (const r of rules) {
      const v = r.datum.dataset === 'synthetic' ? 0.2 : 0.1;
      assert.ok(Math.abs(r.x - x(r.datum.dataset)) < 1e-9 && Math.abs(r.x2 - (x(r.datum.dataset) + x.bandwidth())) < 1e-9, 'spans the band');
      assert.ok(Math.abs(r.y - y(v)) < 1e-9, `at ${v}`);
    }
    const barModels = items.filter((i) => i.type === 'rect' && i.datum.model !== undefined && i.datum.value !== undefined).map((i) => i.datum.model);
    assert.deepEqual([...new Set(barModels)].sort(), ['random', 'ssl'], 'no bar for the floor');
    view.finalize();
    assert.throws(() => metricBars(floors, { x: 'dataset', color: 'model' }), /only floor rows/);
    assert.throws(() => floorRows('x', { a: NaN }, { x: 'd', color: 'm' }), /floor 'x' is NaN for d 'a'/);
  });

  it('NaN metric values become null, never a silent zero', () => {
    const spec = metricBars([{ d: 'a', m: 'x', value: NaN }], { x: 'd', color: 'm' }) as any;
    assert.equal(spec.data.values[0].value, null);
  });

  it('lineChart with facets and log axis', async () => {
    const rows = [1, 2, 3].flatMap((s) => ['dino', 'ibot'].map((m) => ({ step: s, metric: m, value: 1 / s })));
    const spec = lineChart(rows, { x: 'step', row: 'metric', logY: true }) as any;
    assert.equal(spec.facet.row.field, 'metric');
    assert.equal(spec.spec.encoding.y.scale.type, 'log');
    await checkSpec(spec);
  });

  it('lineChart wraps many panels into columns, each titled by its value', async () => {
    const rows = [1, 2].flatMap((s) => ['a', 'b', 'c'].map((m) => ({ step: s, series: m, value: s })));
    const spec = lineChart(rows, { x: 'step', wrap: 'series', columns: 2 }) as any;
    assert.equal(spec.facet.field, 'series');
    assert.equal(spec.columns, 2);
    const svg = await checkSpec(spec);
    for (const m of ['a', 'b', 'c']) assert.match(svg, new RegExp(`>${m}<`));
    assert.throws(() => lineChart(rows, { x: 'step', wrap: 'series', row: 'series' }), /wrap cannot be combined/);
  });

  it('heatmap prints each cell', async () => {
    const rows = ['Covid', 'Normal'].flatMap((t) => ['Covid', 'Normal'].map((p) => ({ truth: t, predicted: p, value: t === p ? 0.9 : 0.1 })));
    const svg = await checkSpec(heatmap(rows, { x: 'predicted', y: 'truth' }));
    assert.equal((svg.match(/>0\.90</g) ?? []).length, 2);
  });

  it('heatmap facets wrap at 3 panels per row; white text only on the darker 40 % of the shared colour range', async () => {
    const models = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const rows = models.flatMap((m, k) => ['A', 'B'].flatMap((t) => ['A', 'B'].map((p) => ({ model: m, truth: t, predicted: p, value: t === p ? 0.6 + 0.01 * k : 0.5 }))));
    const spec = heatmap(rows, { x: 'predicted', y: 'truth', column: 'model' }) as any;
    assert.equal(spec.columns, 3);
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const texts: any[] = [];
    const walk = (n: any) => { if (n.marktype === 'text') n.items.forEach((i: any) => { if (i.datum?.model) texts.push(i); }); (n.items ?? []).forEach((c: any) => c.items && walk(c)); };
    walk((view.scenegraph() as any).root);
    // panels: m1–m3 on the first row, m4–m5 below
    const top = (m: string) => Math.min(...texts.filter((t) => t.datum.model === m).map((t) => t.mark.group.y));
    assert.ok(top('m1') === top('m3') && top('m4') > top('m1'), 'wrapped after 3 panels');
    // range [0.5, 0.64]: white above 0.5 + 0.6 · 0.14 = 0.584 → every diagonal (≥ 0.60) white, every off-diagonal (0.5) black
    for (const t of texts) assert.equal(t.fill, t.datum.value > 0.584 ? 'white' : 'black', `${t.datum.model} ${t.datum.value}`);
    assert.equal(texts.filter((t) => t.fill === 'white').length, 10);
    view.finalize();
  });

  it('rocPlot, groupStrip, frequencyBars, predScatter, domainScatter validate and render', async () => {
    await checkSpec(rocPlot([{ model: 'a', fpr: 0, tpr: 0 }, { model: 'a', fpr: 0.2, tpr: 0.8 }, { model: 'a', fpr: 1, tpr: 1 }]));
    const folds = ['F', 'M'].flatMap((tr) => ['F', 'M'].flatMap((te) => [0, 1, 2].map((k) => ({ train_group: tr, test_group: te, value: 0.8 + 0.01 * k }))));
    await checkSpec(groupStrip(folds, { annotations: [{ train_group: 'F', label: 'p = 0.4', y: 0.9 }] }));
    await checkSpec(frequencyBars([{ class: 'a', frequency: 0.3, bin: 'common' }, { class: 'b', frequency: 0.004, bin: 'rare' }]));
    assert.throws(() => frequencyBars([{ class: 'a', frequency: 0, bin: 'rare' }]), /invalid frequency: 0 for a/);
    await checkSpec(predScatter([{ target: 'PT', truth: 10, prediction: 12 }, { target: 'PT', truth: 20, prediction: 18 }]));
    // one encoder's predictions: its registry colour, and the identity line named in a legend
    const ps = predScatter([{ target: 'PT', truth: 10, prediction: 12 }], { model: 'vit-nano-synthetic' }) as any;
    assert.deepStrictEqual(ps.spec.layer[0].encoding.color.scale.range, [ENCODER_COLORS['vit-nano-synthetic']]);
    assert.strictEqual(ps.spec.layer[1].transform[1].calculate, "'identity (y = x)'");
    await checkSpec(ps);
    const pts = [0, 1, 2, 3, 4].flatMap((s) => [{ model: 'a', in_domain: 0.8 + 0.01 * s, out_of_domain: 0.7 + 0.013 * s * (s % 2) }]);
    const spec = domainScatter(pts) as any;
    assert.equal(spec.layer.length, 3);
    assert.equal(spec.layer[0].data.values.length, 65);
    assert.strictEqual(spec.layer[2].transform[1].calculate, "'linear fit, all points'");
    await checkSpec(spec);
  });
});

describe('confidenceEllipse', () => {
  it('every point lies on the chi-square(2) Mahalanobis contour of the sample covariance', () => {
    const xs = [0.1, 0.4, 0.35, 0.8, 0.55, 0.2];
    const ys = [0.3, 0.5, 0.2, 0.9, 0.6, 0.1];
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b) / n, my = ys.reduce((a, b) => a + b) / n;
    let sxx = 0, syy = 0, sxy = 0;
    for (let i = 0; i < n; i++) { sxx += (xs[i] - mx) ** 2; syy += (ys[i] - my) ** 2; sxy += (xs[i] - mx) * (ys[i] - my); }
    sxx /= n - 1; syy /= n - 1; sxy /= n - 1;
    const det = sxx * syy - sxy * sxy;
    const chi2_95 = 5.991464547107979; // scipy.stats.chi2.ppf(0.95, 2)
    for (const p of confidenceEllipse(xs, ys, 0.95)) {
      const dx = p.x - mx, dy = p.y - my;
      const m2 = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
      assert.ok(Math.abs(m2 - chi2_95) < 1e-9, `mahalanobis² ${m2}`);
    }
  });

  it('rejects bad input', () => {
    assert.throws(() => confidenceEllipse([1], [1]), /at least 2/);
    assert.throws(() => confidenceEllipse([1, 2], [1]), /length mismatch/);
    assert.throws(() => confidenceEllipse([1, 2], [1, 2], 1.5), /invalid level/);
  });
});

describe('encoder colours', () => {
  it('an encoder keeps its colour across figures whatever the other encoders and their order; unknown ones take free colours', () => {
    const color = (spec: any, model: string): string => {
      const c = JSON.stringify(spec).match(/"color":(\{"field":"model"[^}]*"scale":\{"domain":(\[[^\]]*\]),"range":(\[[^\]]*\])\})/);
      assert.ok(c, 'a model colour scale');
      const domain = JSON.parse(c![2]), range = JSON.parse(c![3]);
      return range[domain.indexOf(model)];
    };
    const a = metricBars([{ task: 't', model: 'random-vit_nano', value: 0.5 }, { task: 't', model: 'vit-nano-synthetic', value: 0.7 }], { x: 'task', color: 'model', y: 'value' });
    const b = lineChart([{ step: 1, model: 'mine', value: 1 }, { step: 1, model: 'vit-micro-synthetic', value: 2 }, { step: 1, model: 'vit-nano-synthetic', value: 3 }], { x: 'step', y: 'value', color: 'model' });
    assert.equal(color(a, 'vit-nano-synthetic'), ENCODER_COLORS['vit-nano-synthetic']);
    assert.equal(color(b, 'vit-nano-synthetic'), ENCODER_COLORS['vit-nano-synthetic']);
    assert.equal(color(a, 'random-vit_nano'), ENCODER_COLORS['random-vit_nano']);
    const mine = color(b, 'mine');
    assert.ok(!Object.values(ENCODER_COLORS).includes(mine), `user encoder colour ${mine} is free`);
  });
});
