import { strict as assert } from 'assert';
import type { SegPrediction } from '../../lib/eval/dense/segmentation';
import type { AttentionMap } from '../../lib/eval/explainability/pinpointing';
import { attentionMaskPanels, organKey, organOverlayPanels, ORGAN_COLORS, transferComparePanels, transferPanels } from '../../lib/plots/segmentation-panels';
import { lungWorld } from '../eval/fake-masks';

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
  it('Fig 2d key: each class of the groups once, in its overlay colour', () => {
    assert.deepEqual(organKey({ organs: ['lungs', 'heart'], bones: ['ribs', 'lungs'] }), [
      { label: 'lungs', color: ORGAN_COLORS.lungs }, { label: 'heart', color: ORGAN_COLORS.heart }, { label: 'ribs', color: ORGAN_COLORS.ribs },
    ]);
    assert.throws(() => organKey({ lesion: ['P'] }), /no overlay colour for 'P'/);
  });
});

describe('lung masks', () => {
  const { L, R } = lungWorld();

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
