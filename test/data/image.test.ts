import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import sharp from 'sharp';
import { decodeImageBuffer, decodeImageFile, probeImage, decodeMaskFile } from '../../lib/data/image';
import { decodeDicom, readDicomHeader } from '../../lib/data/dicom';
import { writeDicom } from './helpers/dicom-writer';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

describe('decodeImageBuffer', () => {
  it('reads 8-bit grey PNG as value / 255', async () => {
    const raw = Buffer.from([0, 51, 102, 255, 1, 2]);
    const png = await sharp(raw, { raw: { width: 3, height: 2, channels: 1 } }).png().toBuffer();
    const img = await decodeImageBuffer(png);
    assert.deepStrictEqual([img.width, img.height], [3, 2]);
    [0, 51, 102, 255, 1, 2].forEach((v, i) => close(img.data[i], v / 255));
  });

  it('reads 16-bit grey PNG as value / 65535 (PadChest)', async () => {
    const vals = [0, 1000, 40000, 65535];
    const u16 = new Uint16Array(vals);
    const png = await sharp(u16, { raw: { width: 2, height: 2, channels: 1 } }).toColourspace('grey16').png({ compressionLevel: 0 }).toBuffer();
    const meta = await sharp(png).metadata();
    assert.strictEqual(meta.depth, 'ushort'); // the fixture really is 16-bit
    const img = await decodeImageBuffer(png);
    vals.forEach((v, i) => close(img.data[i], v / 65535, 1e-7));
  });

  it('reads JPEG (lossy: within a few grey levels) and RGB as luminance', async () => {
    const raw = Buffer.alloc(16 * 16, 128);
    const jpg = await sharp(raw, { raw: { width: 16, height: 16, channels: 1 } }).jpeg({ quality: 95 }).toBuffer();
    const img = await decodeImageBuffer(jpg);
    assert.deepStrictEqual([img.width, img.height], [16, 16]);
    close(img.data[40], 128 / 255, 3 / 255);
    const rgb = await sharp(Buffer.from([200, 200, 200, 10, 10, 10]), { raw: { width: 2, height: 1, channels: 3 } }).png().toBuffer();
    const g = await decodeImageBuffer(rgb);
    assert.strictEqual(g.data.length, 2);
    close(g.data[0], 200 / 255, 2 / 255);
    close(g.data[1], 10 / 255, 2 / 255);
  });

  it('throws naming the source for corrupt data', async () => {
    await assert.rejects(decodeImageBuffer(Buffer.from('not an image'), 'x.png'), /x\.png: cannot decode image/);
  });
});

describe('decodeImageFile / probeImage / decodeMaskFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-image-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('missing → "missing image", truncated → "cannot decode"', async () => {
    await assert.rejects(decodeImageFile(path.join(dir, 'nope.png')), /missing image .*nope\.png/);
    const png = await sharp(Buffer.alloc(64 * 64, 7), { raw: { width: 64, height: 64, channels: 1 } }).png({ compressionLevel: 0 }).toBuffer();
    fs.writeFileSync(path.join(dir, 'trunc.png'), png.subarray(0, png.length >> 1));
    await assert.rejects(probeImage(path.join(dir, 'trunc.png')), /trunc\.png: cannot decode image/);
    fs.writeFileSync(path.join(dir, 'ok.png'), png);
    assert.deepStrictEqual(await probeImage(path.join(dir, 'ok.png')), { width: 64, height: 64 });
  });

  it('decodes GIF masks (SCR format) to 0/1', async () => {
    const raw = Buffer.from([0, 255, 255, 0, 0, 255]);
    const gif = await sharp(raw, { raw: { width: 3, height: 2, channels: 1 } }).gif().toBuffer();
    fs.writeFileSync(path.join(dir, 'm.gif'), gif);
    const m = await decodeMaskFile(path.join(dir, 'm.gif'));
    assert.deepStrictEqual(Array.from(m.data), [0, 1, 1, 0, 0, 1]);
  });
});

describe('decodeDicom', () => {
  it('applies the file window (PS3.3 C.11.2.1.2) after rescale', () => {
    // stored 0..3000, slope 2, intercept -1000 → modality -1000..5000; window c=1000 w=2001 → [0,1] over [-0.5, 2000.5)
    const pixels = [0, 500, 1000, 1500, 2000, 3000];
    const buf = writeDicom({ rows: 2, columns: 3, bitsAllocated: 16, bitsStored: 12, windowCenter: '1000\\500', windowWidth: 2001, slope: 2, intercept: -1000, pixels });
    const img = decodeDicom(buf);
    assert.deepStrictEqual([img.width, img.height], [3, 2]);
    const expect = pixels.map((s) => { const x = 2 * s - 1000; const y = (x - 999.5) / 2000 + 0.5; return Math.min(1, Math.max(0, y)); });
    expect.forEach((v, i) => close(img.data[i], v, 1e-6));
    assert.deepStrictEqual(expect.map((v) => Number(v.toFixed(5))), [0, 0.00025, 0.50025, 1, 1, 1]);
  });

  it('uses min-max without a window and inverts MONOCHROME1', () => {
    const pixels = [100, 200, 300, 500];
    const m2 = decodeDicom(writeDicom({ rows: 2, columns: 2, bitsAllocated: 16, pixels }));
    [0, 0.25, 0.5, 1].forEach((v, i) => close(m2.data[i], v));
    const m1 = decodeDicom(writeDicom({ rows: 2, columns: 2, bitsAllocated: 16, photometric: 'MONOCHROME1', pixels }));
    [1, 0.75, 0.5, 0].forEach((v, i) => close(m1.data[i], v));
  });

  it('reads signed 12-bit stored values and 8-bit data', () => {
    const signed = decodeDicom(writeDicom({ rows: 1, columns: 3, bitsAllocated: 16, bitsStored: 12, signed: true, pixels: [-2048 & 0xfff, 0, 2047] }));
    [0, 2048 / 4095, 1].forEach((v, i) => close(signed.data[i], v));
    const u8 = decodeDicom(writeDicom({ rows: 1, columns: 2, bitsAllocated: 8, pixels: [10, 20] }));
    [0, 1].forEach((v, i) => close(u8.data[i], v));
  });

  it('reads header fields and routes .dcm buffers through decodeImageBuffer', async () => {
    const buf = writeDicom({ rows: 1, columns: 2, bitsAllocated: 16, pixels: [0, 1], patientSex: 'F', patientAge: '045Y', viewPosition: 'PA' });
    assert.deepStrictEqual(readDicomHeader(buf), { rows: 1, columns: 2, photometric: 'MONOCHROME2', patientSex: 'F', patientAge: '045Y', viewPosition: 'PA' });
    const img = await decodeImageBuffer(buf, 'a.bin');
    assert.deepStrictEqual(Array.from(img.data), [0, 1]);
  });

  it('rejects compressed transfer syntaxes and truncated pixel data with clear errors', () => {
    const jpeg = writeDicom({ rows: 1, columns: 2, bitsAllocated: 16, pixels: [0, 1], transferSyntax: '1.2.840.10008.1.2.4.50' });
    assert.throws(() => decodeDicom(jpeg, 'x.dcm'), /x\.dcm: unsupported DICOM transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50/);
    assert.throws(() => decodeDicom(Buffer.from('garbage'), 'y.dcm'), /y\.dcm: not a readable DICOM file/);
  });
});
