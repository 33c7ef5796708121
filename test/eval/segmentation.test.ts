import * as assert from 'assert';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { SampleTable } from '../../lib/data/types';
import { accumulateOutputDice, meanOfClassMeans, selectTokenRows } from '../../lib/eval/dense/segmentation';
import { defaultPyramidBlocks, evalSegmentation, maskSourceFromSampleTable, MaskSource, segTokensFromFeatures } from '../../lib/eval/dense/segmentation';
import { useBackend } from '../adapters/segmentation/helpers';
import { makeToy, Toy } from '../adapters/segmentation/toy';
import { fakeTable } from './fake-masks';

const CLASSES = ['lungs', 'heart', 'nodule'];

function toFeatureSet(toy: Toy, split: string, prefix: string): FeatureSet {
  const { n, gridH, gridW, dim, levels } = toy.tokens;
  return {
    key: '', encoder: 'toy', dataset: 'toy', split, n, dim, gridH, gridW,
    ids: Array.from({ length: n }, (_, i) => `${prefix}${i}`),
    cls: new Float32Array(n * dim),
    patches: levels[3],
    blocks: new Map(levels.map((l, i) => [2 + 3 * i, l])),
  };
}

/** The dataset the toy features come from: its ids and splits (the masks are given as a MaskSource). */
function toyTable(dataset: string, feats: Record<string, FeatureSet>): SampleTable {
  return fakeTable(dataset, Object.entries(feats).flatMap(([split, f]) => f.ids.map((id) => ({ id, split }))), [], {});
}

function source(toys: Record<string, Toy>): MaskSource {
  return {
    classes: CLASSES,
    async load(id) {
      const [, prefix, i] = /^([a-z]+)(\d+)$/.exec(id)!;
      return toys[prefix].samples[+i];
    },
  };
}

describe('evalSegmentation', () => {
  before(useBackend);

  it('selects an lr on val, scores test per class at the mask size, returns tidy rows and qualitative masks', async () => {
    const toys = { tr: makeToy(32, 11), va: makeToy(8, 12), te: makeToy(12, 13) };
    const before = tf.memory().numTensors;
    const features = { train: toFeatureSet(toys.tr, 'train', 'tr'), val: toFeatureSet(toys.va, 'val', 'va'), test: toFeatureSet(toys.te, 'test', 'te') };
    const out = await evalSegmentation({
      model: 'toy-vit', samples: toyTable('toy', features), features,
      masks: source(toys), seeds: [0], lrs: [1e-4, 1e-2], epochs: 40, batchSize: 8, channels: 16, qualitative: 2, chunk: 5,
    });
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
    const rows = out.table.objects() as Record<string, unknown>[];
    assert.deepStrictEqual(out.table.columnNames(), ['model', 'task', 'dataset', 'split', 'seed', 'fold', 'group', 'metric', 'value', 'config']);
    assert.strictEqual(rows.length, CLASSES.length + 1);
    assert.deepStrictEqual(rows.map((r) => r.group), [...CLASSES, 'all']);
    assert.ok(rows.every((r) => r.model === 'toy-vit' && r.task === 'segmentation' && r.dataset === 'toy' && r.split === 'test' && r.seed === 0 && r.fold === 0 && r.config === 'lr=0.01'));
    const mDice = rows[3].value as number;
    const perClass = rows.slice(0, 3).map((r) => r.value as number);
    assert.ok(Math.abs(mDice - perClass.reduce((a, b) => a + b) / 3) < 1e-12);
    assert.ok(mDice > 0.9, `test mDice ${mDice} per class ${perClass} selection ${JSON.stringify(out.extras.selection.objects())}`);
    const sel = out.extras.selection.objects() as Record<string, unknown>[];
    assert.strictEqual(sel.length, 2);
    // lr 1e-4 for 160 steps barely moves the head: 1e-2 must win
    assert.deepStrictEqual(sel.filter((s) => s.selected).map((s) => s.lr), [1e-2]);
    assert.ok((sel[1].val_mDice as number) > (sel[0].val_mDice as number));
    assert.strictEqual(out.extras.examples.length, 2);
    const p = out.extras.examples[0];
    assert.strictEqual(p.id, 'te0');
    assert.strictEqual(p.predicted.length, 3);
    assert.strictEqual(p.predicted[0].length, 32 * 32);
    assert.deepStrictEqual(out.extras.config.outSize, [32, 32]);
  });

  it('scores extra test sets with the same heads: equal to a run whose test split is that set; qualitativeIds pick the masks', async () => {
    const toys = { tr: makeToy(32, 11), va: makeToy(8, 12), te: makeToy(12, 13), ot: makeToy(10, 21) };
    const feats = { train: toFeatureSet(toys.tr, 'train', 'tr'), val: toFeatureSet(toys.va, 'val', 'va'), test: toFeatureSet(toys.te, 'test', 'te') };
    const other = { ...toFeatureSet(toys.ot, 'test', 'ot'), dataset: 'other' };
    const common = { model: 'toy-vit', samples: toyTable('toy', feats), masks: source(toys), seeds: [0, 1], lrs: [1e-2], epochs: 20, batchSize: 8, channels: 16, chunk: 4 };
    const before = tf.memory().numTensors;
    const both = await evalSegmentation({
      ...common, features: feats, qualitativeIds: ['te5', 'te2'],
      extraTests: [{ dataset: 'other', features: other, masks: source(toys), qualitativeIds: ['ot7'] }],
    });
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
    const alone = await evalSegmentation({ ...common, samples: toyTable('other', { ...feats, test: other }), features: { ...feats, test: other }, qualitative: 0 });
    const pick = (t: ColumnTable, ds: string) => (t.objects() as Record<string, unknown>[]).filter((r) => r.dataset === ds);
    const mine = pick(both.table, 'other');
    const ref = pick(alone.table, 'other');
    assert.strictEqual(mine.length, 2 * (CLASSES.length + 1));
    assert.deepStrictEqual(mine.map((r) => [r.seed, r.group, r.metric]), ref.map((r) => [r.seed, r.group, r.metric]));
    mine.forEach((r, i) => assert.ok(Math.abs((r.value as number) - (ref[i].value as number)) < 1e-12, `${r.group}: ${r.value} vs ${ref[i].value}`));
    assert.strictEqual(pick(both.table, 'toy').length, 2 * (CLASSES.length + 1));
    assert.deepStrictEqual(both.extras.examples.map((p) => p.id), ['te5', 'te2']);
    assert.deepStrictEqual(both.extras.extraExamples.other.map((p) => p.id), ['ot7']);
    assert.deepStrictEqual(alone.extras.extraExamples, {});
    await assert.rejects(evalSegmentation({ ...common, features: feats, qualitativeIds: ['nope'] }), /qualitativeIds nope are not toy test samples/);
    const twoClasses: MaskSource = { classes: CLASSES.slice(0, 2), load: async () => { throw new Error('unused'); } };
    await assert.rejects(evalSegmentation({ ...common, features: feats, extraTests: [{ dataset: 'other', features: other, masks: twoClasses }] }),
      /test set other has classes lungs, heart; the heads predict lungs, heart, nodule/);
  });
});

describe('segTokensFromFeatures', () => {
  const toy = makeToy(2, 1);
  const fs = toFeatureSet(toy, 'train', 'tr');
  it('takes stored blocks shallow → deep, or named blocks', () => {
    assert.deepStrictEqual(segTokensFromFeatures(fs).levels, toy.tokens.levels);
    assert.deepStrictEqual(segTokensFromFeatures(fs, { blocks: [11, 2] }).levels, [toy.tokens.levels[3], toy.tokens.levels[0]].concat([toy.tokens.levels[0], toy.tokens.levels[0]]));
    assert.throws(() => segTokensFromFeatures(fs, { blocks: [4] }), /block 4 not in the toy\/train features \(have 2, 5, 8, 11\)/);
  });
  it('replicates the final tokens when no blocks are stored (simple pyramid)', () => {
    const t = segTokensFromFeatures({ ...fs, blocks: undefined });
    assert.strictEqual(t.levels.length, 4);
    assert.ok(t.levels.every((l) => l === fs.patches));
  });
  it('picks evenly spaced blocks when there are more than levels', () => {
    const many = { ...fs, blocks: new Map(Array.from({ length: 7 }, (_, i) => [i, new Float32Array(i + 1)])) };
    assert.deepStrictEqual(segTokensFromFeatures(many).levels.map((l) => l.length), [1, 3, 5, 7]);
  });
});

describe('accumulateOutputDice', () => {
  it('scores logits > 0 against byte coverage ≥ 0.5 per image and class, skipping unannotated and doubly-empty pairs', () => {
    // 2 samples, 4 pixels, 2 classes; targets [N, P, K] bytes
    const y = {
      classes: 2, outH: 2, outW: 2,
      target: Uint8Array.from([255, 0, 255, 0, 0, 0, 127, 0, /* sample 1 */ 255, 0, 255, 0, 255, 0, 255, 0]),
      auxTarget: new Uint8Array(0),
      weight: Float32Array.from([1, 1, 1, 0]),
    };
    // sample 0: class 0 pred {0,1} vs truth {0,1} (127 < 128 is out) → 1; class 1 empty both → skipped
    // sample 1: class 0 pred {0} vs truth {0,1,2,3} → 2/5; class 1 unannotated
    const logits = Float32Array.from([1, -1, 2, -1, -1, -1, -1, -1, /* s1 */ 3, 5, -1, 5, -1, 5, -1, 5]);
    const acc = { sum: new Float64Array(2), cnt: new Float64Array(2) };
    accumulateOutputDice(logits.subarray(0, 8), y, 0, 1, acc);
    accumulateOutputDice(logits.subarray(8), y, 1, 1, acc);
    assert.deepStrictEqual(Array.from(acc.cnt), [2, 0]);
    const m = meanOfClassMeans(acc);
    assert.ok(Math.abs(m.perClass[0] - (1 + 0.4) / 2) < 1e-12);
    assert.ok(Number.isNaN(m.perClass[1]));
    assert.ok(Math.abs(m.mean - 0.7) < 1e-12);
  });
});

describe('selectTokenRows', () => {
  it('copies rows of each level and keeps shared levels shared', () => {
    const a = Float32Array.from({ length: 3 * 2 * 1 * 2 }, (_, i) => i);
    const x = { n: 3, gridH: 2, gridW: 1, dim: 2, levels: [a, a] };
    const s = selectTokenRows(x, [2, 0]);
    assert.deepStrictEqual(Array.from(s.levels[0]), [8, 9, 10, 11, 0, 1, 2, 3]);
    assert.strictEqual(s.levels[0], s.levels[1]);
    assert.strictEqual(s.n, 2);
  });
});

describe('defaultPyramidBlocks', () => {
  it('takes 4 evenly spaced blocks ending at the deepest', () => {
    assert.deepStrictEqual(defaultPyramidBlocks(Array.from({ length: 12 }, (_, i) => i)), [2, 5, 8, 11]);
    assert.deepStrictEqual(defaultPyramidBlocks([11, 3, 7]), [3, 7, 11]);
    assert.deepStrictEqual(defaultPyramidBlocks(undefined), []);
  });
});

describe('maskSourceFromSampleTable', () => {
  const masks = [new Uint8Array([1, 0, 0, 1, 1, 0]), null, new Uint8Array(6)];
  const st: SampleTable = {
    dataset: 'mini', labelNames: [], problems: [], maskClasses: ['lungs', 'heart', 'spine'],
    table: aq.table({ id: ['a', 'b'], width: [3, null], height: [2, null] }),
    loadImage: async () => ({ width: 3, height: 2, data: new Float32Array(6) }),
    loadMasks: async () => masks,
  };
  it('selects classes and reads sizes from the table (or the image)', async () => {
    const src = maskSourceFromSampleTable(st, ['spine', 'lungs']);
    const a = await src.load('a');
    assert.deepStrictEqual([a.width, a.height], [3, 2]);
    assert.deepStrictEqual(a.masks, [masks[2], masks[0]]);
    const b = await src.load('b');
    assert.deepStrictEqual([b.width, b.height], [3, 2]);
  });
  it('names unknown classes, ids and datasets without masks', async () => {
    assert.throws(() => maskSourceFromSampleTable(st, ['ribs']), /class ribs is not among mini's mask classes \(lungs, heart, spine\)/);
    await assert.rejects(maskSourceFromSampleTable(st).load('zz'), /sample zz is not in dataset mini/);
    assert.throws(() => maskSourceFromSampleTable({ ...st, loadMasks: undefined }), /dataset mini has no masks/);
  });
});

describe('evalSegmentation with an encoder', () => {
  before(useBackend);

  it('extracts features through the cache from a SampleTable and scores its masks (end to end)', async () => {
    const os = await import('os');
    const fsMod = await import('fs');
    const path = await import('path');
    const { randomProjectionEncoder } = await import('../../lib/features/random-projection-encoder');
    const toys: Record<string, Toy> = { train: makeToy(32, 21), val: makeToy(8, 22), test: makeToy(8, 23) };
    const ids: string[] = [];
    const splits: string[] = [];
    const byId = new Map<string, { width: number; height: number; masks: Uint8Array[] }>();
    for (const [split, toy] of Object.entries(toys)) {
      toy.samples.forEach((s, i) => { const id = `${split}-${i}`; ids.push(id); splits.push(split); byId.set(id, s as { width: number; height: number; masks: Uint8Array[] }); });
    }
    // the image shows the structures as intensities (as anatomy in a radiograph)
    const image = (id: string) => {
      const s = byId.get(id)!;
      const data = new Float32Array(s.width * s.height);
      for (let p = 0; p < data.length; p++) data[p] = 0.1 + 0.5 * s.masks[0][p] + 0.2 * s.masks[1][p];
      return { width: s.width, height: s.height, data };
    };
    const st: SampleTable = {
      dataset: 'toy-cxr', labelNames: [], problems: [], maskClasses: CLASSES,
      table: aq.table({ id: ids, path: ids.map(() => null), split: splits, width: ids.map(() => 32), height: ids.map(() => 32) }),
      loadImage: async (id) => image(id),
      loadMasks: async (id) => byId.get(id)!.masks,
    };
    const cacheDir = fsMod.mkdtempSync(path.join(os.tmpdir(), 'seg-cache-'));
    try {
      const encoder = randomProjectionEncoder({ inputSize: 32, patchSize: 4, dim: 32, seed: 0 });
      const log: string[] = [];
      const out = await evalSegmentation({
        model: encoder.name, encoder, cacheDir, samples: st, classes: ['lungs'], maxTrain: 24, onProgress: (m) => log.push(m),
        seeds: [0], lrs: [1e-2], epochs: 30, batchSize: 8, channels: 16, qualitative: 1,
      });
      const rows = out.table.objects() as Record<string, any>[];
      assert.deepStrictEqual(rows.map((r) => r.group), ['lungs', 'all']);
      assert.ok(rows.every((r) => r.dataset === 'toy-cxr'));
      assert.ok(rows[1].value > 0.85, `mDice ${rows[1].value}`);
      assert.ok(out.extras.examples[0].image && out.extras.examples[0].image.width === 32);
      assert.ok(fsMod.readdirSync(cacheDir).length > 0, 'nothing cached');
      assert.ok(log.some((m) => m.includes('loading masks (24 train, 8 val)')), log.join('\n'));
    } finally {
      fsMod.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
