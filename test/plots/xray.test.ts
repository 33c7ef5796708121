import { strict as assert } from 'assert';
import sharp from 'sharp';
import { compositeXray, renderXray } from '../../lib/plots/xray';
import { GRID_KEY_PX, GRID_TITLE_PX, renderGrid } from '../../lib/plots/panel-grid';
import { turbo, hexToRgb } from '../../lib/plots/colormap';
import { PNG_SIGNATURE } from '../report/helpers';

function grey(w: number, h: number, v = 0.5) {
  return { width: w, height: h, data: new Float32Array(w * h).fill(v) };
}

describe('colormap', () => {
  it('turbo runs dark blue → red', () => {
    const [r0, , b0] = turbo(0.15);
    const [r1, , b1] = turbo(0.9);
    assert.ok(b0 > r0 && r1 > b1);
    assert.deepEqual(turbo(NaN), turbo(0));
    assert.deepEqual(hexToRgb('#0072B2'), [0, 114, 178]);
    assert.throws(() => hexToRgb('blue'), /invalid colour: blue/);
  });
});

describe('compositeXray', () => {
  it('grey pixels, mask fill and opaque outline', () => {
    const img = grey(5, 5, 0.5);
    const mask = new Uint8Array(25);
    for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) mask[y * 5 + x] = 1;
    const px = compositeXray({ image: img, masks: [{ mask, color: '#ff0000', alpha: 0.5 }] });
    const at = (x: number, y: number) => Array.from(px.slice(4 * (y * 5 + x), 4 * (y * 5 + x) + 4));
    assert.deepEqual(at(0, 0), [128, 128, 128, 255]);   // outside
    assert.deepEqual(at(1, 1), [255, 0, 0, 255]);       // edge: opaque
    assert.deepEqual(at(2, 2), [192, 64, 64, 255]);     // inside: 50% over grey 128
  });

  it('heat map: zero leaves the image, the peak gets turbo(1) at alpha', () => {
    const img = grey(4, 4, 0);
    const px = compositeXray({ image: img, heatmap: { data: [0, 0, 0, 1], width: 2, height: 2, alpha: 1 } });
    assert.deepEqual(Array.from(px.slice(0, 3)), [0, 0, 0]);
    assert.deepEqual(Array.from(px.slice(4 * 15, 4 * 15 + 3)), turbo(1));
  });

  it('names bad sizes', () => {
    assert.throws(() => compositeXray({ image: { width: 2, height: 2, data: new Float32Array(3) } }), /invalid image: 2×2 with 3 values/);
    assert.throws(() => compositeXray({ image: grey(2, 2), masks: [{ mask: new Uint8Array(3), label: 'lungs' }] }), /mask lungs has 3 values, image has 4/);
    assert.throws(() => compositeXray({ image: grey(2, 2), heatmap: { data: [1], width: 2, height: 2 } }), /heatmap has 1 values for 2×2/);
  });
});

describe('renderXray / renderGrid', () => {
  it('renders a scaled PNG with a title band and a box', async () => {
    const png = await renderXray({ image: grey(64, 32, 0.2), boxes: [{ x: 8, y: 8, w: 16, h: 8, label: 'nodule', color: '#00ff00' }], title: 'case 1', scale: 4 });
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const m = await sharp(png).metadata();
    assert.equal(m.width, 256);
    const band = m.height! - 128;
    assert.ok(band >= 18, `title band ${band}`);
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    // the box's left edge at x = 32 px, mid-height: green
    const y = band + 12 * 4, x = 32;
    const i = (y * info.width + x) * 3;
    assert.ok(data[i + 1] > 200 && data[i] < 80, `box pixel ${data[i]},${data[i + 1]},${data[i + 2]}`);
  });

  it('grids panels with titles', async () => {
    const a = await renderXray({ image: grey(32, 32), scale: 2 });
    const png = await renderGrid([{ image: a, title: 'A' }, { image: { image: grey(16, 16, 1), scale: 4 }, title: 'B' }, { image: a }], { cols: 2, gap: 4 });
    const m = await sharp(png).metadata();
    assert.equal(m.width, 2 * 64 + 3 * 4);
    assert.equal(m.height, 2 * (64 + 16) + 3 * 4);
    await assert.rejects(renderGrid([]), /no panels/);
  });

  it('rows as tall as their fitted images: landscape X-rays leave no blank bands', async () => {
    const wide = { image: grey(64, 32), scale: 1 };
    const png = await renderGrid([{ image: wide }, { image: wide }, { image: wide }, { image: wide }], { cols: 2, cell: 64, gap: 4 });
    const m = await sharp(png).metadata();
    assert.equal(m.height, 2 * 32 + 3 * 4);
    // a row with a square image is as tall as the square
    const mixed = await sharp(await renderGrid([{ image: wide }, { image: { image: grey(32, 32), scale: 2 } }], { cols: 2, cell: 64, gap: 4 })).metadata();
    assert.equal(mixed.height, 64 + 2 * 4);
  });

  it('a long title wraps at the grid width in the figure title size, a colour key sits under it', async () => {
    const a = { image: grey(32, 32), scale: 2 };
    const plain = await sharp(await renderGrid([{ image: a }], { cell: 64, gap: 4, title: 'short' })).metadata();
    const long = await sharp(await renderGrid([{ image: a }], { cell: 64, gap: 4, title: 'a title much wider than one cell of sixty-four pixels' })).metadata();
    assert.equal(long.width, plain.width, 'never widened');
    assert.ok(long.height! >= plain.height! + 2 * Math.round(GRID_TITLE_PX * 1.25), `wrapped: ${plain.height} → ${long.height}`);
    const keyed = await renderGrid([{ image: a }, { image: a }], { cell: 64, gap: 4, key: [{ label: 'lungs', color: '#0072B2' }] });
    const { data, info } = await sharp(keyed).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.height, 64 + Math.round(GRID_KEY_PX * 1.5) + 3 * 4);
    // the swatch: the key colour at the start of the key line
    const y = 4 + Math.round(Math.round(GRID_KEY_PX * 1.5) / 2), x = 4 + 2;
    const i = (y * info.width + x) * 3;
    assert.deepEqual([data[i], data[i + 1], data[i + 2]], hexToRgb('#0072B2'));
  });
});
