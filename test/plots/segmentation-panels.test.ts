import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { Predictions } from '../../lib/eval/protocol';
import type { SegPrediction } from '../../lib/eval/dense/segmentation';
import type { AttentionMap } from '../../lib/eval/explainability/pinpointing';
import { attentionMaskPanels, organOverlayPanels, transferComparePanels, transferPanels } from '../../lib/plots/segmentation-panels';

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

/** A tiny SampleTable with masks given per id. */
function fakeTable(dataset: string, rows: Record<string, unknown>[], maskClasses: string[], masks: Record<string, (Uint8Array | null)[]>, extra: Partial<SampleTable> = {}): SampleTable {
  return {
    dataset, table: aq.from(rows), labelNames: [], maskClasses, problems: [],
    loadImage: async (id) => {
      const r = rows.find((x) => x.id === id)!;
      return { width: r.width as number, height: r.height as number, data: new Float32Array((r.width as number) * (r.height as number)).fill(0.5) };
    },
    loadMasks: async (id) => masks[id],
    ...extra,
  };
}

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

describe('lung masks', () => {
  const L = Uint8Array.from([1, 0, 0, 0]);
  const R = Uint8Array.from([0, 0, 0, 1]);
  const syn = fakeTable('syn', [{ id: 's1', split: 'test', width: 2, height: 2 }], ['body', 'right_lung', 'left_lung'],
    { s1: [Uint8Array.from([1, 1, 1, 1]), R, L] });
  const real = fakeTable('real', [
    { id: 'r1', split: 'train', width: 2, height: 2, has_lung_mask: 1 },
    { id: 'r2', split: 'test', width: 2, height: 2, has_lung_mask: 0 },
  ], ['lungs'], { r1: [Uint8Array.from([1, 1, 0, 0])], r2: [null] });

  it('compare panels: image | each encoder | truth, same examples required', () => {
    const img = { width: 2, height: 2, data: new Float32Array(4) };
    const ex = (pred: Uint8Array) => [{ id: 'r1', seed: 0, width: 2, height: 2, classes: ['lungs'], predicted: [pred], truth: [R], image: img }];
    const p = transferComparePanels([{ model: 'ssl', examples: ex(L) }, { model: 'rnd', examples: ex(R) }]);
    assert.deepEqual(p.map((x) => x.title), ['r1', 'ssl: predicted', 'rnd: predicted', 'truth']);
    assert.deepEqual(Array.from((p[2].image as any).masks[0].mask), Array.from(R));
    assert.throws(() => transferComparePanels([{ model: 'ssl', examples: ex(L) }, { model: 'rnd', examples: [] }]), /rnd has examples ; ssl has r1/);
  });
  it('builds image | predicted | truth panels', () => {
    const img = { width: 2, height: 2, data: new Float32Array(4) };
    const p = transferPanels([{ id: 'r1', seed: 0, width: 2, height: 2, classes: ['lungs'], predicted: [L], truth: [R], image: img }], 'enc');
    assert.equal(p.length, 3);
    assert.deepEqual(p.map((x) => x.title), ['r1', 'enc: predicted', 'truth']);
    assert.deepEqual(Array.from((p[1].image as any).masks[0].mask), [1, 0, 0, 0]);
    assert.throws(() => transferPanels([{ id: 'x', seed: 0, width: 2, height: 2, classes: ['lungs'], predicted: [L], truth: [R] }], 'enc'), /example x has no image/);
  });
});
