import * as assert from 'assert';
import { createRng } from '../../lib/engine/rng';
import { gaussianBlur } from '../../lib/pretrain/augment';
import { collateCrops, defaultMultiCrop, multiCrop, randomResizedCropBox, resizeCrop } from '../../lib/pretrain/multi-crop';

describe('randomResizedCropBox', () => {
  it('keeps global crops within 15–100 % and local crops within 5–15 % of the area (± rounding)', () => {
    const rng = createRng(5);
    for (let i = 0; i < 200; i++) {
      const g = randomResizedCropBox(128, 128, [0.15, 1], rng);
      const l = randomResizedCropBox(128, 128, [0.05, 0.15], rng);
      const fg = (g.h * g.w) / 128 ** 2, fl = (l.h * l.w) / 128 ** 2;
      assert.ok(fg >= 0.13 && fg <= 1, `global ${fg}`);
      assert.ok(fl >= 0.04 && fl <= 0.17, `local ${fl}`);
      assert.ok(g.top >= 0 && g.left >= 0 && g.top + g.h <= 128 && g.left + g.w <= 128);
    }
  });
});

describe('resizeCrop', () => {
  it('reproduces a linear ramp (bilinear, pixel centres) and averages when shrinking', () => {
    const W = 8;
    const data = new Float32Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) data[y * W + x] = x / (W - 1);
    const out = resizeCrop({ width: W, height: W, data }, { top: 0, left: 0, h: 8, w: 8 }, 4);
    // output pixel j covers input pixels 2j, 2j+1 → mean (2j + 0.5) / 7
    for (let j = 0; j < 4; j++) assert.ok(Math.abs(out[j] - (2 * j + 0.5) / 7) < 1e-6);
  });
});

describe('gaussianBlur', () => {
  it('preserves a constant image and the mean of an impulse (reflect padding away from borders)', () => {
    const c = new Float32Array(16 * 16).fill(0.3);
    gaussianBlur(c, 16, 1.5);
    assert.ok(c.every((v) => Math.abs(v - 0.3) < 1e-6));
    const imp = new Float32Array(16 * 16);
    imp[8 * 16 + 8] = 1;
    gaussianBlur(imp, 16, 1);
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.ok(imp[8 * 16 + 8] < 0.2);
  });
});

describe('multiCrop', () => {
  it('gives 2 global + nLocal local normalised crops, reproducible from the seed, collated crop-major', () => {
    const img = { width: 96, height: 96, data: new Float32Array(96 * 96).map((_, i) => (i % 96) / 96) };
    const a = multiCrop(img, defaultMultiCrop, createRng(7));
    const b = multiCrop(img, defaultMultiCrop, createRng(7));
    assert.strictEqual(a.global.length, 2);
    assert.strictEqual(a.local.length, defaultMultiCrop.nLocal);
    assert.strictEqual(a.global[0].length, 64 * 64);
    assert.strictEqual(a.local[0].length, 32 * 32);
    assert.deepStrictEqual(a, b);
    const c = multiCrop(img, defaultMultiCrop, createRng(8));
    const batch = collateCrops([a, c], 1, 64, 32);
    assert.strictEqual(batch.global.length, 2 * 2 * 64 * 64);
    // crop-major: [img0 crop0, img1 crop0, img0 crop1, img1 crop1]
    assert.deepStrictEqual(batch.global.subarray(64 * 64, 2 * 64 * 64), c.global[0]);
    assert.deepStrictEqual(batch.global.subarray(2 * 64 * 64, 3 * 64 * 64), a.global[1]);
  });
});
