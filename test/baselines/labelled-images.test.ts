import * as aq from 'arquero';
import * as assert from 'assert';
import { resolveSupervisedConfig, warmupSteps } from '../../lib/baselines/config';
import { labelledImages, prevalence, supervisedSyntheticOptions } from '../../lib/baselines/labelled-images';
import { SampleTable } from '../../lib/data/types';

function table(rows: Record<string, unknown>[], labelNames: string[]): SampleTable {
  return {
    dataset: 'toy', table: aq.from(rows), labelNames, problems: [],
    async loadImage(id: string) { return { width: 2, height: 1, data: Float32Array.from([Number(id.slice(1)) / 10, 0]) }; },
  };
}

describe('labelledImages', () => {
  const rows = [
    { id: 'r1', split: 'train', a: 1, b: 0 },
    { id: 'r2', split: 'val', a: 0, b: 1 },
    { id: 'r3', split: 'train', a: NaN, b: 1 },
    { id: 'r4', split: 'train', a: 0, b: null },
  ];

  it('keeps the rows of one split in table order, labels row-major with NaN for unknown (null too)', async () => {
    const d = await labelledImages(table(rows, ['a', 'b']), 'train');
    assert.deepStrictEqual(d.ids, ['r1', 'r3', 'r4']);
    assert.deepStrictEqual(Array.from(d.labels), [1, 0, NaN, 1, 0, NaN]);
    assert.deepStrictEqual(Array.from(d.images[1].data), [Math.fround(0.3), 0]);
    assert.deepStrictEqual(Array.from(prevalence(d)), [0.5, 0.5]);
    const onlyB = await labelledImages(table(rows, ['a', 'b']), 'val', ['b']);
    assert.deepStrictEqual(Array.from(onlyB.labels), [1]);
  });

  it('names the bad row, column and value', async () => {
    await assert.rejects(labelledImages(table([{ id: 'x1', split: 'train', a: 2 }], ['a']), 'train'), /row 0 \(id x1\), column 'a': label 2/);
    await assert.rejects(labelledImages(table(rows, ['a', 'b']), 'train', ['c']), /unknown label column\(s\) c/);
    await assert.rejects(labelledImages(table(rows, ['a', 'b']), 'test'), /no rows in split 'test'/);
  });
});

describe('resolveSupervisedConfig', () => {
  it('fills defaults, derives the warm-up and the one-population generator options', () => {
    const c = resolveSupervisedConfig({ optim: { steps: 50 }, data: { population: 'popB' } });
    assert.strictEqual(c.model.arch, 'vit_nano');
    assert.strictEqual(warmupSteps(c), 5);
    assert.deepStrictEqual(supervisedSyntheticOptions(c).populations, ['popB']);
  });

  it('rejects unknown and bad fields, naming them', () => {
    assert.throws(() => resolveSupervisedConfig({ optim: { stpes: 3 } }, 'x.json'), /x.json: optim: Unrecognized key/);
    assert.throws(() => resolveSupervisedConfig({ augment: { cropScale: [0.9, 0.6] } }), /augment.cropScale/);
  });
});
