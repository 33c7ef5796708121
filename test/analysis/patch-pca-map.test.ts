import * as assert from 'assert';
import sharp from 'sharp';
import { featurePcaMap, fitPca, patchPcaMap, pcaMapImage, pcaMapPng, projectPca } from '../../lib/analysis';
import type { FeatureSet } from '../../lib/features/feature-set';
import { expectClose, loadFixture } from './helpers';

const fx = loadFixture('pca.json');
const patches = Float32Array.from(fx.patches);
const { n, gridH, gridW, dim } = fx;
const t = gridH * gridW;

describe('fitPca (vs numpy eigh of the covariance)', () => {
  it('explained variance ratios, axes (up to the sign convention) and first-component scores', () => {
    const p = fitPca(patches, n * t, dim, 3);
    p.explained.forEach((e, j) => expectClose(e, fx.first.explained[j], 1e-9, `explained ${j}`));
    p.components.forEach((c, j) => c.forEach((v, i) => expectClose(v, fx.first.components[j * dim + i], 1e-7, `component ${j}[${i}]`)));
    const s = projectPca(p, patches, n * t);
    for (let r = 0; r < n * t; r++) expectClose(s[r * 3], fx.first.projection0[r], 1e-7, `score ${r}`);
  });
});

describe('patchPcaMap (DINOv2-style: PC1 threshold → foreground PCA → RGB)', () => {
  it('foreground mask and RGB bytes equal the numpy reference (±1 for rounding ties)', () => {
    const m = patchPcaMap(patches, gridH, gridW, { dim });
    assert.strictEqual(m.n, 3);
    const fg = m.foreground.flatMap((f) => Array.from(f));
    assert.deepStrictEqual(fg, fx.foreground);
    m.explained.forEach((e, j) => expectClose(e, fx.second.explained[j], 1e-8, `explained ${j}`));
    expectClose(m.firstExplained, fx.first.explained[0], 1e-9, 'first explained');
    const rgb = m.rgb.flatMap((x) => Array.from(x));
    let maxDiff = 0;
    rgb.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - fx.rgb[i])); });
    assert.ok(maxDiff <= 1, `max |Δrgb| = ${maxDiff}`);
    // each channel spans 0…255 over the foreground (min–max per component)
    for (let c = 0; c < 3; c++) {
      const ch = rgb.filter((_, i) => i % 3 === c && fg[Math.floor(i / 3)]);
      assert.strictEqual(Math.min(...ch), 0);
      assert.strictEqual(Math.max(...ch), 255);
    }
    // background is black
    rgb.forEach((v, i) => { if (!fg[Math.floor(i / 3)]) assert.strictEqual(v, 0); });
  });

  it("foreground sides: 'above' / 'below' complement each other; null threshold keeps every patch", () => {
    const above = patchPcaMap(patches, gridH, gridW, { dim, foreground: 'above' }).foreground.flatMap((f) => Array.from(f));
    const below = patchPcaMap(patches, gridH, gridW, { dim, foreground: 'below' }).foreground.flatMap((f) => Array.from(f));
    above.forEach((a, i) => assert.strictEqual(a + below[i], 1));
    const all = patchPcaMap(patches, gridH, gridW, { dim, fgThreshold: null, components: 2 });
    assert.ok(all.foreground.every((f) => f.every((v) => v === 1)));
    assert.ok(Number.isNaN(all.firstExplained));
    expectClose(all.explained[0], fx.first.explained[0], 1e-9, 'no threshold: first PCA');
    assert.ok(all.rgb.every((x) => x.every((v, i) => i % 3 !== 2 || v === 0)), 'blue stays 0 with 2 components');
  });

  it('featurePcaMap reads a FeatureSet', () => {
    const fs: FeatureSet = { key: '', encoder: 'e', dataset: 'd', split: 'test', ids: ['a', 'b', 'c'], n, dim, gridH, gridW, cls: new Float32Array(n * dim), patches };
    const m = featurePcaMap(fs, ['a', 'b', 'c']);
    assert.deepStrictEqual(m.foreground.flatMap((f) => Array.from(f)), fx.foreground);
    assert.throws(() => featurePcaMap({ ...fs, patches: undefined }), /have no patch tokens/);
  });

  it('bad input names the problem', () => {
    assert.throws(() => patchPcaMap(patches, gridH, gridW, { dim: 15 }), /not a multiple of gridH·gridW·dim = 6·7·15/);
    assert.throws(() => patchPcaMap(patches, gridH, gridW, { dim, components: 4 }), /components must be 1, 2 or 3/);
    assert.throws(() => patchPcaMap(patches, gridH, gridW, { dim, fgThreshold: 2 }), /fgThreshold must be in \[0, 1\]/);
    assert.throws(() => patchPcaMap(patches, gridH, gridW, { dim, fgThreshold: 1, foreground: 'above' }), /only 0 foreground patch/);
  });
});

describe('pcaMapImage / pcaMapPng', () => {
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]); // 2×2 patches

  it('nearest: one flat block per patch, RGBA', () => {
    const img = pcaMapImage(rgb, 2, 2, 4);
    assert.strictEqual(img.width, 4);
    assert.strictEqual(img.data.length, 64);
    const px = (x: number, y: number) => Array.from(img.data.slice((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
    assert.deepStrictEqual(px(0, 0), [255, 0, 0, 255]);
    assert.deepStrictEqual(px(1, 1), [255, 0, 0, 255]);
    assert.deepStrictEqual(px(2, 0), [0, 255, 0, 255]);
    assert.deepStrictEqual(px(3, 3), [10, 20, 30, 255]);
  });

  it('bilinear: half-pixel centres (a pixel between two patches mixes them)', () => {
    const img = pcaMapImage(rgb, 2, 2, { width: 4, height: 2 }, { interpolation: 'bilinear' });
    // x = 1 samples source 0.25: 0.75·patch0 + 0.25·patch1
    assert.deepStrictEqual(Array.from(img.data.slice(4, 8)), [191, 64, 0, 255]);
  });

  it('PNG decodes back to the same pixels', async () => {
    const png = await pcaMapPng(rgb, 2, 2, 8);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.strictEqual(info.width, 8);
    assert.strictEqual(info.channels, 4);
    assert.deepStrictEqual(Array.from(data), Array.from(pcaMapImage(rgb, 2, 2, 8).data));
    assert.throws(() => pcaMapImage(rgb, 3, 2, 8), /rgb has 12 values, expected gridH·gridW·3 = 18/);
  });
});
