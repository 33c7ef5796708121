import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { barsWithP, floorLines, sslVsRandom, verdictLines } from '../../lib/analysis/seed-bars';

const ref = require('../fixtures/study/classification.json');
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) < tol;

function resultTable(values: Record<string, Record<string, number[]>>) {
  const rows: Record<string, unknown>[] = [];
  for (const [dataset, byModel] of Object.entries(values)) {
    for (const [model, vs] of Object.entries(byModel)) {
      vs.forEach((value, seed) => {
        rows.push({ model, task: 'classification', dataset, split: 'test', seed, fold: 0, group: 'macro', metric: 'auroc', value, config: '' });
        rows.push({ model, task: 'classification', dataset, split: 'test', seed, fold: 0, group: 'Nodule', metric: 'auroc', value: 0.5, config: '' });
      });
    }
  }
  return aq.from(rows);
}

describe('barsWithP', () => {
  const t = resultTable(ref.values);
  const bars = barsWithP(t, { metric: 'auroc', group: 'macro', split: 'test', clip: null }).objects() as any[];
  it('mean, 95% t-interval and t-test p vs the best equal scipy', () => {
    assert.equal(bars.length, ref.bars.length);
    for (const e of ref.bars) {
      const r = bars.find((b) => b.dataset === e.dataset && b.model === e.model);
      assert.ok(r, `${e.dataset} ${e.model}`);
      assert.ok(close(r.value, e.mean, 1e-12) && close(r.lo, e.lo) && close(r.hi, e.hi), `${e.dataset} ${e.model} ${r.lo} ${r.hi}`);
      assert.equal(r.best, e.best);
      if (e.p === null) { assert.ok(Number.isNaN(r.p)); assert.equal(r.label, ''); }
      else { assert.ok(close(r.p, e.p, 1e-9 + 1e-6 * e.p), `${r.p} vs ${e.p}`); assert.ok(r.label.startsWith('p')); }
    }
  });
  it('clips the interval to [0, 1] by default', () => {
    const wide = aq.from([0.02, 0.9, 0.1].map((value, seed) => ({ model: 'm', dataset: 'd', split: 'test', seed, group: 'macro', metric: 'auroc', value })));
    const [r] = barsWithP(wide, { metric: 'auroc', group: 'macro' }).objects() as any[];
    assert.equal(r.lo, 0);
    assert.ok(r.hi <= 1 && r.hi > 0.9);
  });
  it('verdictLines / sslVsRandom claim only what survives Holm (separated seeds) and say "no significant difference" otherwise', () => {
    const b = barsWithP(t, { metric: 'auroc', group: 'macro', split: 'test' });
    const lines = verdictLines(b, 'AUROC');
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith('synthetic-cxr: highest mean AUROC ssl 0.819 [0.816, 0.821]; ssl better than supervised (p ≤ 1e-5, Holm-adjusted p ≤ 1e-5)'), lines[0]);
    const kinds = new Map([['ssl', 'ssl'], ['supervised', 'supervised'], ['random', 'random']]);
    assert.deepEqual(sslVsRandom(b, kinds).map((l) => l.split(' (')[0]), ['synthetic-cxr: SSL better than random init', 'nih: SSL better than random init']);
    assert.deepEqual(sslVsRandom(b, new Map([['ssl', 'ssl']])), []);
    // overlapping seeds (issue 12's NIH case): ssl 0.72 ± 0.05 vs random 0.70 ± 0.05 over 3 seeds, t-test p = 0.65
    const mk = (model: string, vals: number[]) => vals.map((value, seed) => ({ model, dataset: 'nih', split: 'test', seed, group: 'macro', metric: 'auroc', value }));
    const o = barsWithP(aq.from([...mk('ssl', [0.67, 0.72, 0.77]), ...mk('random', [0.65, 0.70, 0.75])]), { metric: 'auroc', group: 'macro' });
    const [ov] = verdictLines(o, 'AUROC');
    assert.match(ov, /^nih: highest mean AUROC ssl 0\.720 .*; no significant difference between ssl and random \(p = 0\.65, Holm-adjusted p = 0\.65\)/);
    assert.deepEqual(sslVsRandom(o, kinds), ['nih: SSL NOT shown better than random init (no significant difference between ssl and random (p = 0.65, Holm-adjusted p = 0.65))']);
  });
});

describe('floorLines', () => {
  const fx = require('../fixtures/stats/verdict.json').one_sample;
  it('tests each encoder\'s seed mean against the floor (scipy ttest_1samp), Holm over the figure, one line per floor', () => {
    // two encoders on one dataset against one floor, a third on another dataset: the family has 3 comparisons
    const [c0, c1, c2] = fx;
    const bar = (dataset: string, model: string, c: any) => ({ dataset, model, value: c.args[0], sd: c.args[1], n: c.args[2] });
    const bars = aq.from([bar('d1', 'A', c0), bar('d1', 'B', { args: [c1.args[0], c1.args[1], c1.args[2]] }), bar('d2', 'A', c2)]);
    const floors = [{ dataset: 'd1', model: 'floor: raw pixels', value: c0.args[3] }, { dataset: 'd2', model: 'floor: chance', value: c2.args[3] },
      { dataset: 'd3', model: 'floor: chance', value: 0.5 }];
    const lines = floorLines(bars, floors, 'macro AUROC');
    assert.equal(lines.length, 2, 'the floor of d3 has no bar');
    // the raw p of A on d1 is scipy's; Holm over 3: A@d2 (p ≈ 0.003) first
    const { oneSampleTTestFromStats } = require('../../lib/stats');
    const pB = oneSampleTTestFromStats(c1.args[0], c1.args[1], c1.args[2], c0.args[3]).p;
    const ps = [c0.p, pB, c2.p];
    const { holm } = require('../../lib/stats/p-adjust');
    const adj = holm(ps);
    const { formatP } = require('../../lib/stats/format-p');
    assert.match(lines[0], /^d1: floor raw pixels 0\.793 \(macro AUROC\) — /);
    assert.ok(lines[0].includes(`no significant difference between A and raw pixels (${formatP(c0.p)}, Holm-adjusted ${formatP(adj[0])})`), lines[0]);
    // B (mean 0.710 vs 0.793, p ≈ 0.03) is no claim once Holm counts the 3 comparisons
    assert.ok(adj[1] > 0.05 && pB < 0.05);
    assert.ok(lines[0].includes(`no significant difference between B and raw pixels (${formatP(pB)}, Holm-adjusted ${formatP(adj[1])})`), lines[0]);
    assert.ok(lines[1].includes(`A better than chance (${formatP(c2.p)}, Holm-adjusted ${formatP(adj[2])})`), lines[1]);
    // one seed: not tested, never a claim
    assert.match(floorLines(aq.from([{ dataset: 'd1', model: 'A', value: 0.9, sd: NaN, n: 1 }]), floors, 'AUROC')[0], /A vs raw pixels not tested/);
  });
});
