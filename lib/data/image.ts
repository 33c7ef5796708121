/**
 * Image decoding to GreyImage ([0, 1], row-major). PNG (8- and 16-bit), JPEG and GIF through sharp; DICOM through
 * dicom.ts. Colour images are reduced to luminance. 16-bit PNGs are divided by 65535, 8-bit by 255.
 */
import fs from 'fs';
import path from 'path';
import sharp from 'sharp';
import { decodeDicom, readDicomHeader } from './dicom';
import type { GreyImage } from './types';

/** DICOM Part-10 files carry 'DICM' at byte 128; .dcm/.dicom names are trusted too. */
export function isDicom(buf: Uint8Array, file = ''): boolean {
  if (/\.(dcm|dicom)$/i.test(file)) return true;
  return buf.length > 132 && buf[128] === 0x44 && buf[129] === 0x49 && buf[130] === 0x43 && buf[131] === 0x4d;
}

/** Decode an encoded image (PNG/JPEG/GIF/TIFF via sharp, or DICOM). `where` names the source in errors. */
export async function decodeImageBuffer(buf: Uint8Array, where = 'image'): Promise<GreyImage> {
  if (isDicom(buf, where)) return decodeDicom(buf, where);
  try {
    const meta = await sharp(buf).metadata();
    const is16 = meta.depth === 'ushort' || meta.depth === 'short';
    let s = sharp(buf, { pages: 1 });
    if (meta.hasAlpha) s = s.removeAlpha();
    // 16-bit needs an explicit grey16 pipeline, or libvips hands back 8-bit-scaled values in a ushort buffer
    if (is16) s = s.toColourspace('grey16');
    else if ((meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0) > 1) s = s.toColourspace('b-w');
    const { data, info } = await s.raw({ depth: is16 ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const n = info.width * info.height;
    const out = new Float32Array(n);
    const ch = info.channels;
    if (is16) {
      const u16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
      for (let i = 0; i < n; i++) out[i] = u16[i * ch] / 65535;
    } else {
      for (let i = 0; i < n; i++) out[i] = data[i * ch] / 255;
    }
    return { width: info.width, height: info.height, data: out };
  } catch (e) {
    throw new Error(`${where}: cannot decode image (${(e as Error).message})`);
  }
}

/** Read and decode an image file; missing files throw `missing image <file>`. */
export async function decodeImageFile(file: string): Promise<GreyImage> {
  let buf: Buffer;
  try { buf = await fs.promises.readFile(file); } catch { throw new Error(`missing image ${file}`); }
  return decodeImageBuffer(buf, file);
}

/** Width/height without decoding pixels (fast check of readability). Throws on missing/corrupt files. */
export async function probeImage(file: string): Promise<{ width: number; height: number }> {
  let buf: Buffer;
  try { buf = await fs.promises.readFile(file); } catch { throw new Error(`missing image ${file}`); }
  if (isDicom(buf, file)) {
    const h = readDicomHeader(buf, file);
    return { width: h.columns, height: h.rows };
  }
  try {
    const m = await sharp(buf).metadata();
    if (!m.width || !m.height) throw new Error('no size');
    // sharp's metadata reads headers only; a truncated PNG/JPEG is caught by decoding a tiny thumbnail
    await sharp(buf, { failOn: 'truncated' }).resize(8, 8, { fit: 'fill' }).raw().toBuffer();
    return { width: m.width, height: m.height };
  } catch (e) {
    throw new Error(`${file}: cannot decode image (${(e as Error).message})`);
  }
}

/** Decode a binary mask image (PNG/GIF): pixel > threshold → 1. Grey levels in (0, threshold] are treated as 0. */
export async function decodeMaskFile(file: string, threshold = 0.5): Promise<{ width: number; height: number; data: Uint8Array }> {
  const img = await decodeImageFile(file);
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i] > threshold ? 1 : 0;
  return { width: img.width, height: img.height, data };
}

/** Helper for parsers: absolute image path inside a data root. */
export function imagePath(root: string, ...parts: string[]): string {
  return path.join(root, ...parts);
}
