import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { preprocess, resizeGrey, resizeMaskNearest, loadBatch, IMAGENET_MEAN, IMAGENET_STD } from '../../lib/data/preprocess';
import * as aq from 'arquero';
import { loadDataset } from '../../lib/data/load';
import type { SampleTable } from '../../lib/data/types';
import { realSetOrSkip } from './helpers/real-set';

const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/data/preprocess/resize-reference.json'), 'utf8'));
const input = { width: ref.width, height: ref.height, data: Float32Array.from(ref.input as number[]) };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('resizeGrey', () => {
  for (const c of ref.bilinear as { outH: number; outW: number; antialias: boolean; data: number[] }[]) {
    it(`matches torch bilinear ${ref.height}x${ref.width} -> ${c.outH}x${c.outW} antialias=${c.antialias}`, () => {
      const out = resizeGrey(input, c.outH, c.outW, c.antialias);
      assert.deepStrictEqual([out.height, out.width], [c.outH, c.outW]);
      assert.ok(maxAbsDiff(out.data, c.data) < 2e-6, `max diff ${maxAbsDiff(out.data, c.data)}`);
    });
  }
  it('is deterministic and the identity at the same size', () => {
    const a = resizeGrey(input, 16, 16), b = resizeGrey(input, 16, 16);
    assert.deepStrictEqual(a.data, b.data);
    assert.deepStrictEqual(resizeGrey(input, ref.height, ref.width).data, input.data);
  });
});

describe('resizeMaskNearest', () => {
  for (const c of ref.nearest as { outH: number; outW: number; data: number[] }[]) {
    it(`matches torch nearest -> ${c.outH}x${c.outW}`, () => {
      const out = resizeMaskNearest(Uint8Array.from(ref.mask as number[]), ref.width, ref.height, c.outW, c.outH);
      assert.deepStrictEqual(Array.from(out), c.data);
    });
  }
  it('rejects a mask of the wrong size', () => {
    assert.throws(() => resizeMaskNearest(new Uint8Array(10), 4, 4, 2, 2), /mask has 10 pixels, expected 4×4/);
  });
});

describe('preprocess', () => {
  it('returns CHW with ImageNet normalisation, channels replicated', () => {
    const out = preprocess(input, { size: [9, 12], channels: 3, antialias: true });
    assert.strictEqual(out.length, 3 * 9 * 12);
    const r = (ref.bilinear as { outH: number; outW: number; antialias: boolean; data: number[] }[]).find((c) => c.outH === 9 && c.antialias)!;
    for (let ch = 0; ch < 3; ch++) {
      for (const i of [0, 17, 107]) {
        const want = (r.data[i] - IMAGENET_MEAN[ch]) / IMAGENET_STD[ch];
        assert.ok(Math.abs(out[ch * 108 + i] - want) < 1e-5);
      }
    }
  });
  it('supports one channel and scalar mean/std; rejects mismatched lengths', () => {
    const out = preprocess(input, { size: 16, channels: 1, mean: [0.5], std: [0.25] });
    assert.strictEqual(out.length, 256);
    assert.throws(() => preprocess(input, { size: 16, channels: 3, mean: [0.1, 0.2] }), /invalid mean: 2 values for 3 channels/);
  });
  it('refuses NaN and ±Inf pixels, naming the image and the pixel', () => {
    const bad = (v: number) => {
      const data = input.data.slice();
      data[2 * input.width + 3] = v;
      return { ...input, data };
    };
    assert.throws(() => preprocess(bad(NaN), { size: 16 }), /^Error: image: pixel row 2, column 3 is NaN; non-finite pixels are refused/);
    assert.throws(() => preprocess(bad(-Infinity), { size: 16, source: 'scan.png' }), /^Error: scan.png: pixel row 2, column 3 is -Infinity/);
    assert.throws(() => preprocess(bad(Infinity), { size: 16, source: () => 'lazy name' }), /^Error: lazy name: pixel row 2, column 3 is Infinity/);
  });
});

describe('loadBatch', () => {
  it('names the dataset, sample id and file of an image with a non-finite pixel', async () => {
    const table = aq.table({ id: ['a', 'b'], path: ['/data/a.png', '/data/b.png'], split: ['train', 'train'] });
    const samples: SampleTable = {
      dataset: 'toy', table, labelNames: [], problems: [],
      async loadImage(id: string) {
        const data = new Float32Array(16).fill(0.5);
        if (id === 'b') data[5] = NaN;
        return { width: 4, height: 4, data };
      },
    };
    const spec = { inputSize: 8, channels: 1 as const, mean: [0.5], std: [0.25] };
    assert.strictEqual((await loadBatch(samples, ['a'], spec)).length, 64);
    await assert.rejects(loadBatch(samples, ['a', 'b'], spec), /^Error: toy: sample b \(\/data\/b\.png\): pixel row 1, column 1 is NaN/);
  });
  it('stacks preprocessed images NCHW in the order given', async function () {
    realSetOrSkip(this, 'nih-chestxray14-sample');
    const ds = await loadDataset('nih-chestxray14-sample');
    const ids = (ds.table.array('id') as string[]).slice(0, 3).reverse();
    const spec = { inputSize: 32, channels: 3 as const, mean: IMAGENET_MEAN, std: IMAGENET_STD };
    const batch = await loadBatch(ds, ids, spec);
    assert.strictEqual(batch.length, 3 * 3 * 32 * 32);
    const single = preprocess(await ds.loadImage(ids[1]), { size: 32, channels: 3 });
    assert.deepStrictEqual(batch.subarray(3 * 32 * 32, 2 * 3 * 32 * 32), single);
  });
});
