import { strict as assert } from 'assert';
import Ajv from 'ajv';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import * as aq from 'arquero';
import {
  confidenceEllipse, domainScatter, floorRows, withFloors, frequencyBars, groupStrip, heatmap, lineChart, metricBars, predScatter, rocPlot, Spec, ENCODER_COLORS,
  CATEGORY_PALETTE, MIN_POINTS_FOR_LINE, categoryAsFloor, palette,
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
    assert.equal(spec.spec.layer[0].mark.type, 'line');
    assert.equal(spec.spec.layer[0].encoding.y.scale.type, 'log');
    await checkSpec(spec);
  });

  it('lineChart wraps many panels into columns, each titled by its value', async () => {
    const rows = [1, 2, 3].flatMap((s) => ['a', 'b', 'c', 'd'].map((m) => ({ step: s, series: m, value: s })));
    const spec = lineChart(rows, { x: 'step', wrap: 'series', columns: 2 }) as any;
    assert.equal(spec.columns, 2);
    assert.deepEqual(spec.concat.map((c: any) => c.title.text), ['a', 'b', 'c', 'd']);
    assert.deepEqual(spec.concat.map((c: any) => c.transform[0]), ['a', 'b', 'c', 'd'].map((v) => ({ filter: { field: 'series', equal: v } })));
    // x labels only under the last panel of each column
    assert.deepEqual(spec.concat.map((c: any) => c.layer[0].encoding.x.axis?.labels), [false, false, undefined, undefined]);
    const svg = await checkSpec(spec);
    for (const m of ['a', 'b', 'c', 'd']) assert.match(svg, new RegExp(`>${m}<`));
    assert.throws(() => lineChart(rows, { x: 'step', wrap: 'series', row: 'series' }), /wrap cannot be combined/);
  });

  it('lineChart: a line only through a series of ≥ MIN_POINTS_FOR_LINE points; shorter series are points, their group a shape', async () => {
    assert.equal(MIN_POINTS_FOR_LINE, 3);
    const rows = [
      ...[0, 1, 2].map((s) => ({ step: s, model: 'vit-nano-synthetic', line: 'SSL', value: 0.5 + 0.1 * s })),
      ...[0, 2].map((s) => ({ step: s, model: 'vit-nano-synthetic', line: 'random init', value: 0.5 })),
    ];
    const spec = lineChart(rows, { x: 'step', color: 'model', strokeDash: 'line', strokeDashTitle: 'weights' }) as any;
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const marks: any[] = [];
    const walk = (n: any) => { if (n.marktype) marks.push(n); (n.items ?? []).forEach((c: any) => c.items && walk(c)); };
    walk((view.scenegraph() as any).root);
    const data = (m: any) => m.items.map((i: any) => i.datum).filter((d: any) => d && d.step !== undefined);
    const lines = marks.filter((m) => m.marktype === 'line').flatMap(data);
    assert.ok(lines.length > 0 && lines.every((d: any) => d.line === 'SSL'), 'a line for the 3-point series only');
    const points = marks.filter((m) => m.marktype === 'symbol' && m.role === 'mark').flatMap(data);
    assert.deepEqual(points.map((d: any) => `${d.line}@${d.step}`).sort(), ['random init@0', 'random init@2']);
    view.finalize();
    const svg = await checkSpec(spec);
    assert.match(svg, />weights</);
    // every series with 3 points: lines only, the groups told apart by dashes in a legend (no point shapes)
    const three = lineChart([...rows, { step: 1, model: 'vit-nano-synthetic', line: 'random init', value: 0.5 }], { x: 'step', color: 'model', strokeDash: 'line' }) as any;
    assert.deepEqual(three.layer.map((l: any) => l.mark.type), ['line']);
    assert.deepEqual(three.layer[0].encoding.strokeDash.scale.domain, ['SSL', 'random init']);
    assert.equal(three.layer[0].encoding.strokeDash.legend.symbolType, 'stroke');
  });

  it('lineChart: reference lines are dashed rules named in a legend, in their own panel or in every panel', async () => {
    const rows = [0, 1, 2].flatMap((s) => ['DINO', 'rank'].map((m) => ({ step: s, series: m, model: 'vit-nano-synthetic', value: m === 'DINO' ? 1 - 0.1 * s : 10 * s })));
    const spec = lineChart(rows, { x: 'step', color: 'model', column: 'series', refs: [{ name: 'target', value: 0.8, series: 'DINO' }, { name: 'everywhere', value: 1 }] }) as any;
    const refs = spec.data.values.filter((r: any) => r.__ref);
    assert.deepEqual(refs.map((r: any) => `${r.__ref}:${r.series}:${r.value}`), ['target:DINO:0.8', 'everywhere:DINO:1', 'everywhere:rank:1']);
    const rule = spec.spec.layer[spec.spec.layer.length - 1];
    assert.equal(rule.mark.type, 'rule');
    assert.deepEqual(rule.encoding.strokeDash.scale.domain, ['target', 'everywhere']);
    const svg = await checkSpec(spec);
    assert.match(svg, />target</);
    assert.throws(() => lineChart(rows, { x: 'step', column: 'series', refs: [{ name: 't', value: 1, series: 'nope' }] }), /reference 't' is for series 'nope', which has no data/);
    assert.throws(() => lineChart(rows, { x: 'step', refs: [{ name: 't', value: NaN }] }), /reference 't' is NaN/);
  });

  it('lineChart: a wrapped grid with a free cell holds the legends there, not beside the grid', async () => {
    const rows = [0, 1, 2].flatMap((s) => ['a', 'b', 'c', 'd', 'e'].flatMap((m) => ['vit-nano-synthetic', 'vit-nano-popA'].map((model) => ({ step: s, series: m, model, value: s }))));
    const spec = lineChart(rows, { x: 'step', color: 'model', wrap: 'series', columns: 3, refs: [{ name: 'target', value: 1, series: 'a' }] }) as any;
    assert.equal(spec.concat.length, 6);
    for (const c of spec.concat.slice(0, 5)) for (const l of c.layer) for (const ch of ['color', 'strokeDash']) if (l.encoding[ch]) assert.equal(l.encoding[ch].legend, null);
    const key = spec.concat[5];
    assert.deepEqual(key.transform, [{ filter: 'false' }]);
    assert.deepEqual(key.layer.map((l: any) => Object.keys(l.encoding)), [['color'], ['strokeDash']]);
    assert.equal(spec.resolve.legend.color, 'independent');
    const svg = await checkSpec(spec);
    for (const t of ['vit-nano-popA', 'target']) assert.match(svg, new RegExp(`>${t}<`));
    // a full grid keeps one legend beside it
    const full = lineChart(rows.filter((r) => r.series !== 'e'), { x: 'step', color: 'model', wrap: 'series', columns: 2 }) as any;
    assert.equal(full.concat.length, 4);
    assert.equal(full.resolve.legend.color, 'shared');
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

  it('heatmap: a fixed colour domain (row fractions: [0, 1]) and a named legend', async () => {
    const rows = ['A', 'B'].flatMap((t) => ['A', 'B'].map((p) => ({ truth: t, predicted: p, value: t === p ? 0.7 : 0.3 })));
    const spec = heatmap(rows, { x: 'predicted', y: 'truth', domain: [0, 1], legendTitle: 'fraction of true class' }) as any;
    const color = spec.layer[0].encoding.color;
    assert.deepEqual(color.scale.domain, [0, 1]);
    assert.equal(color.title, 'fraction of true class');
    // dark text threshold from the fixed domain: 0 + 0.6 · 1
    assert.match(spec.layer[1].encoding.color.condition.test, /> 0\.6$/);
    const svg = await checkSpec(spec);
    assert.match(svg, /fraction of true class/);
    assert.throws(() => heatmap(rows, { x: 'predicted', y: 'truth', domain: [1, 0] }), /invalid domain/);
  });

  it('metricBars: a bar of (almost) no height gets its value written; a floor at the axis foot is drawn above it and named', async () => {
    const rows = [{ d: 'a', model: 'x', value: 0 }, { d: 'a', model: 'y', value: 0.5 }, { d: 'a', model: 'z', value: 0.004 }];
    const floors = [...floorRows('all background', { a: 0 }, { x: 'd', color: 'model' }), ...floorRows('chance', { a: 0.25 }, { x: 'd', color: 'model' })];
    const spec = metricBars(withFloors(rows, floors), { x: 'd', color: 'model', lo: '', hi: '', yDomain: [0, 1] }) as any;
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const marks: any[] = [];
    const walk = (n: any) => { if (n.marktype) marks.push(n); (n.items ?? []).forEach((c: any) => c.items && walk(c)); };
    walk((view.scenegraph() as any).root);
    const texts = marks.filter((m) => m.marktype === 'text' && m.role === 'mark').flatMap((m) => m.items).filter((i: any) => i.datum?.model);
    assert.deepEqual(texts.map((t: any) => `${t.datum.model}:${t.text}`).sort(), ['x:0.00', 'z:0.00']);
    const y = view.scale('y');
    const rules = marks.filter((m) => m.marktype === 'rule').flatMap((m) => m.items).filter((i: any) => String(i.datum?.model).startsWith('floor: '));
    const at = (name: string) => rules.find((r: any) => r.datum.model === `floor: ${name}`);
    assert.ok(at('all background').y < y(0) - 1, 'above the axis line');
    assert.ok(Math.abs(at('chance').y - y(0.25)) < 1e-9);
    view.finalize();
    const svg = await checkSpec(spec);
    assert.match(svg, /floor: all background \(= 0, on the axis\)/);
    assert.match(svg, />floor: chance</);
    // with p labels the label marks the bar already
    assert.ok(!(metricBars([{ ...rows[0], p: 'p = 1' }], { x: 'd', color: 'model', label: 'p', lo: '', hi: '' }) as any).layer.some((l: any) => l.mark.type === 'text' && l.encoding.text.field === 'value'));
  });

  it('metricBars: column = x gives each group a panel with its own x and y scales, in the table order', async () => {
    const rows = ['common', 'uncommon', 'rare'].flatMap((g, k) => ['a', 'b'].map((m) => ({ group: g, model: m, value: 0.5 / 10 ** k })));
    const spec = metricBars(rows, { x: 'group', column: 'group', color: 'model', lo: '', hi: '' }) as any;
    assert.deepEqual(spec.facet.column.sort, ['common', 'uncommon', 'rare']);
    assert.deepEqual(spec.resolve.scale, { y: 'independent', x: 'independent', xOffset: 'independent' });
    assert.equal(spec.spec.layer[0].encoding.x.axis.labels, false);
    await checkSpec(spec);
    // each panel measures "almost no height" on its own scale: the rare bin's 0.005 is a full bar in its panel
    assert.ok(spec.data.values.every((r: any) => !r.__tiny) && spec.spec.layer.every((l: any) => l.mark.type !== 'text'));
    // another column facet shares x
    const other = metricBars(rows.map((r) => ({ ...r, set: 's' })), { x: 'group', column: 'set', color: 'model', lo: '', hi: '' }) as any;
    assert.deepEqual(other.resolve.scale, { y: 'independent' });
  });

  it('categoryAsFloor: a table\'s trivial-predictor category becomes a floor, not a bar', () => {
    const rows = [{ region: 'brace', what: 'cued', value: 0.5 }, { region: 'brace', what: 'uniform', value: 0.05 }, { region: 'box', what: 'uniform', value: 0.01 }];
    const out = categoryAsFloor(rows, 'uniform', 'uniform attention', { x: 'region', color: 'what' });
    assert.deepEqual(out, [rows[0], { region: 'brace', what: 'floor: uniform attention', value: 0.05 }, { region: 'box', what: 'floor: uniform attention', value: 0.01 }]);
    assert.throws(() => categoryAsFloor(rows, 'nope', 'x', { x: 'region', color: 'what' }), /no row with what 'nope'/);
  });

  it('frequencyBars: the bin edges are named in a legend', async () => {
    const spec = frequencyBars([{ class: 'a', frequency: 0.3, bin: 'common' }, { class: 'b', frequency: 0.004, bin: 'rare' }]) as any;
    assert.deepEqual(spec.layer[1].encoding.strokeDash.scale.domain, ['bin edges (1 %, 10 %)']);
    assert.match(await checkSpec(spec), /bin edges \(1 %, 10 %\)/);
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

describe('category colours', () => {
  it('categories that are not encoders take a palette disjoint from every encoder colour, as the house default', async () => {
    const encoderColours = new Set([...Object.values(ENCODER_COLORS), ...palette].map((c) => c.toLowerCase()));
    assert.ok(CATEGORY_PALETTE.length >= 6);
    for (const c of CATEGORY_PALETTE) assert.ok(!encoderColours.has(c.toLowerCase()), `${c} is an encoder colour`);
    assert.equal(new Set(CATEGORY_PALETTE).size, CATEGORY_PALETTE.length);
    const spec = frequencyBars([{ class: 'a', frequency: 0.3, bin: 'common' }, { class: 'b', frequency: 0.05, bin: 'uncommon' }, { class: 'c', frequency: 0.004, bin: 'rare' }]) as any;
    assert.deepEqual(spec.config.range.category, CATEGORY_PALETTE);
    assert.equal(spec.layer[0].encoding.color.scale, undefined, 'no explicit scale: the category range applies');
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const fills = new Set<string>();
    const walk = (n: any) => { if (n.marktype === 'rect') n.items.forEach((i: any) => i.datum?.bin && fills.add(String(i.fill).toLowerCase())); (n.items ?? []).forEach((c: any) => c.items && walk(c)); };
    walk((view.scenegraph() as any).root);
    view.finalize();
    assert.equal(fills.size, 3);
    for (const f of fills) assert.ok(CATEGORY_PALETTE.map((c) => c.toLowerCase()).includes(f) && !encoderColours.has(f), f);
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
