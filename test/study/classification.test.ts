import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { Predictions } from '../../lib/eval/eval-input';
import type { SegPrediction } from '../../lib/eval/segmentation';
import type { AttentionMap } from '../../lib/eval/explainability';
import {
  attentionMaskPanels, barsWithP, groupedMaskSource, organOverlayPanels, positiveIds, positivesFirst, segSetTable, skippedClasses,
  sslVsRandom, SYNTHETIC_ORGAN_GROUPS, verdictLines, withPositivesFirst,
} from '../../lib/study/classification';

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

/** A 4-sample, 4×4-pixel SampleTable with three mask classes (a, b annotated; c null on s2) and a label 'P'. */
function tinyTable(): SampleTable {
  const masks: Record<string, (Uint8Array | null)[]> = {};
  ['s0', 's1', 's2', 's3'].forEach((id, i) => {
    const a = new Uint8Array(16), b = new Uint8Array(16), c = new Uint8Array(16);
    a[i] = 1; b[i + 4] = 1; b[i] = 1; c[15 - i] = 1;
    masks[id] = [a, b, id === 's2' ? null : c];
  });
  return {
    dataset: 'tiny',
    table: aq.table({ id: ['s0', 's1', 's2', 's3'], split: ['test', 'test', 'test', 'test'], width: [4, 4, 4, 4], height: [4, 4, 4, 4], P: [0, 1, 0, 1] }),
    labelNames: ['P'],
    maskClasses: ['a', 'b', 'c'],
    problems: [],
    loadImage: async () => ({ width: 4, height: 4, data: new Float32Array(16).fill(0.5) }),
    loadMasks: async (id) => masks[id],
  };
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

describe('skippedClasses', () => {
  it('lists the classes with one label value in test (sklearn roc_auc_score undefined)', () => {
    const Y: number[][] = ref.multilabel.Y, S: number[][] = ref.multilabel.S;
    const p: Predictions = { seed: 3, fold: 0, config: '', split: 'test', group: '', ids: Y.map((_, i) => `i${i}`), classNames: ['A', 'B', 'C'],
      scores: Float32Array.from(S.flat()), labels: Float32Array.from(Y.flat()) };
    const out = skippedClasses(new Map([['m', [p]]]), 'd');
    assert.deepEqual(out, [{ model: 'm', dataset: 'd', seed: 3, skipped: 'B' }]);
    assert.equal(ref.multilabel.auroc[1], null);
  });
});

describe('groupedMaskSource', () => {
  it('unions member masks per group and keeps null only when every member is null', async () => {
    const src = groupedMaskSource(tinyTable(), { ab: ['a', 'b'], c: ['c'] });
    assert.deepEqual(src.classes, ['ab', 'c']);
    const s1 = await src.load('s1');
    assert.equal(s1.width, 4);
    assert.deepEqual([...s1.masks[0]!].map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [1, 5]);
    assert.deepEqual([...s1.masks[1]!].map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [14]);
    const s2 = await src.load('s2');
    assert.equal(s2.masks[1], null);
  });
  it('rejects an unknown member class, naming it', () => {
    assert.throws(() => groupedMaskSource(tinyTable(), { x: ['nope'] }), /nope/);
  });
  it('the synthetic organ groups cover 20 ribs', () => {
    assert.equal(SYNTHETIC_ORGAN_GROUPS.ribs.length, 20);
  });
});

describe('positivesFirst / withPositivesFirst', () => {
  it('puts the positive test ids first, order otherwise kept', () => {
    assert.deepEqual(positivesFirst(tinyTable(), ['s0', 's1', 's2', 's3'], 'P'), ['s1', 's3', 's0', 's2']);
    assert.throws(() => positivesFirst(tinyTable(), ['s0'], 'Q'), /no label 'Q'/);
    assert.deepEqual(positiveIds(tinyTable(), ['s3', 's2', 's1'], 'P'), ['s3', 's1']);
  });
  it('reorders the test FeatureSet rows with their features', () => {
    const fs = (split: string) => ({ key: '', encoder: 'e', dataset: 'tiny', split, ids: ['s0', 's1', 's2', 's3'], n: 4, dim: 1, gridH: 1, gridW: 1,
      cls: Float32Array.from([0, 1, 2, 3]), patches: Float32Array.from([10, 11, 12, 13]) });
    const out = withPositivesFirst({ train: fs('train'), val: fs('val'), test: fs('test') }, tinyTable(), 'P');
    assert.deepEqual(out.test.ids, ['s1', 's3', 's0', 's2']);
    assert.deepEqual([...out.test.cls], [1, 3, 0, 2]);
    assert.deepEqual([...out.test.patches!], [11, 13, 10, 12]);
    assert.deepEqual(out.train.ids, ['s0', 's1', 's2', 's3']);
  });
});

describe('segSetTable', () => {
  it('averages the set classes per model and seed', () => {
    const rows = [
      ['m', 0, 'lungs', 0.9], ['m', 0, 'heart', 0.7], ['m', 0, 'P', 0.2], ['m', 1, 'lungs', 0.8], ['m', 1, 'heart', 0.6], ['m', 1, 'P', NaN],
    ].map(([model, seed, group, value]) => ({ model, task: 'segmentation', dataset: 'd', split: 'test', seed, fold: 0, group, metric: 'dice', value, config: '' }));
    const out = segSetTable(aq.from(rows), [{ name: 'organs', dataset: 'd', classes: ['lungs', 'heart'] }, { name: 'ptx', dataset: 'd', classes: ['P'] }]).objects() as any[];
    assert.deepEqual(out.map((r) => [r.dataset, r.seed, +r.value.toFixed(12)]), [['organs', 0, 0.8], ['organs', 1, 0.7], ['ptx', 0, 0.2]]);
    assert.ok(out.every((r) => r.metric === 'mDice' && r.group === 'all'));
    assert.throws(() => segSetTable(aq.from(rows), [{ name: 'x', dataset: 'other', classes: ['lungs'] }]), /dataset other/);
  });
});

describe('qualitative panels', () => {
  const image = { width: 4, height: 4, data: new Float32Array(16).fill(0.5) };
  const mask = (i: number) => { const m = new Uint8Array(16); m[i] = 1; return m; };
  const seg: SegPrediction[] = [
    { id: 'a', seed: 0, width: 4, height: 4, classes: ['lungs', 'P'], predicted: [mask(0), mask(1)], truth: [mask(0), new Uint8Array(16)], image },
    { id: 'b', seed: 0, width: 4, height: 4, classes: ['lungs', 'P'], predicted: [mask(0), mask(2)], truth: [mask(0), mask(2)], image },
  ];
  const att = (id: string): AttentionMap => ({ seed: 0, config: '', id, label: 'P', gridH: 2, gridW: 2, map: Float32Array.from([0.1, 0.2, 0.3, 0.4]), argmax: 3, boxes: [], imageWidth: 4, imageHeight: 4, hit: true });
  it('Fig 2c: 4 panels per case with a positive truth and a map', () => {
    const p = attentionMaskPanels({ seg, maps: [att('a'), att('b')], segClass: 'P', label: 'P', n: 5 });
    assert.equal(p.length, 4); // 'a' has an empty truth: left out
    assert.deepEqual(p.map((x) => x.title), ['b', 'attention: P', 'predicted mask', 'ground truth']);
    assert.equal(attentionMaskPanels({ seg, maps: [att('a')], segClass: 'P', label: 'P', n: 5 }).length, 0);
  });
  it('Fig 2d: image, then truth | predicted per panel group, one colour per class', () => {
    const p = organOverlayPanels(seg, { groups: { organs: ['lungs'], lesion: ['P', 'absent'] }, n: 1 });
    assert.deepEqual(p.map((x) => x.title), ['a', 'organs: truth', 'organs: predicted', 'lesion: truth', 'lesion: predicted']);
    const m = (p[1].image as any).masks as any[];
    assert.equal(m.length, 1);
    assert.equal(m[0].color, '#0072B2');
  });
});

describe('readable', () => {
  it('keeps the data order on x and un-truncates labels, without mutating the input', () => {
    const { readable } = require('../../lib/study/classification');
    const spec = { config: { axis: { grid: true } }, layer: [{ encoding: { x: { field: 'group' }, xOffset: { field: 'model' }, color: { field: 'model' } } }, { encoding: { x: { field: 'group', sort: ['b'] } } }] };
    const out = readable(spec);
    assert.equal(out.layer[0].encoding.x.sort, null);
    assert.equal(out.layer[0].encoding.xOffset.sort, null);
    assert.equal(out.layer[0].encoding.color.sort, null);
    assert.deepEqual(out.layer[1].encoding.x.sort, ['b']);
    assert.equal(out.config.axis.labelLimit, 400);
    assert.equal(out.config.axis.grid, true);
    assert.equal((spec.layer[0].encoding.x as any).sort, undefined);
  });
});

describe('readable text labels', () => {
  it('draws p labels vertically', () => {
    const { readable } = require('../../lib/study/classification');
    const out = readable({ layer: [{ mark: { type: 'text', dy: -6, fontSize: 9 }, encoding: { text: { field: 'label' } } }] });
    assert.deepEqual([out.layer[0].mark.angle, out.layer[0].mark.align, out.layer[0].mark.dy, out.layer[0].mark.fontSize], [270, 'left', 0, 9]);
  });
});
