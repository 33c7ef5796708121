/**
 * DICOM → GreyImage with dicom-parser (uncompressed transfer syntaxes only).
 * Pixel pipeline (DICOM PS3.3 C.11): stored value (BitsStored, PixelRepresentation) → Rescale Slope/Intercept →
 * VOI window from the file (Window Center/Width, linear function C.11.2.1.2) or min–max when absent →
 * MONOCHROME1 inverted (so that higher = brighter, like MONOCHROME2) → [0, 1].
 */
import * as dicomParser from 'dicom-parser';
import type { GreyImage } from './types';

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

/** Header fields useful without decoding pixels (sex/age for VinDr, size for checks). */
export interface DicomHeader {
  rows: number;
  columns: number;
  photometric: string;
  patientSex: string | null;
  patientAge: string | null;
  viewPosition: string | null;
}

function firstNumber(ds: dicomParser.DataSet, tag: string): number | undefined {
  const s = ds.string(tag);
  if (s === undefined || s.trim() === '') return undefined;
  const v = Number(s.split('\\')[0]);
  return Number.isFinite(v) ? v : undefined;
}

function parse(buf: Uint8Array, where: string): dicomParser.DataSet {
  try {
    return dicomParser.parseDicom(buf);
  } catch (e) {
    const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : (e as { exception?: string }).exception ?? String(e);
    throw new Error(`${where}: not a readable DICOM file (${msg})`);
  }
}

export function readDicomHeader(buf: Uint8Array, where = 'DICOM'): DicomHeader {
  const ds = parse(buf, where);
  return {
    rows: ds.uint16('x00280010') ?? 0,
    columns: ds.uint16('x00280011') ?? 0,
    photometric: (ds.string('x00280004') ?? '').trim(),
    patientSex: ds.string('x00100040')?.trim() || null,
    patientAge: ds.string('x00101010')?.trim() || null,
    viewPosition: ds.string('x00185101')?.trim() || null,
  };
}

export function decodeDicom(buf: Uint8Array, where = 'DICOM'): GreyImage {
  const ds = parse(buf, where);
  const ts = (ds.string('x00020010') ?? '1.2.840.10008.1.2').replace(/\0/g, '').trim();
  if (!UNCOMPRESSED.has(ts)) throw new Error(`${where}: unsupported DICOM transfer syntax ${ts} (only uncompressed is read; convert with dcmdjpeg/gdcmconv)`);
  const rows = ds.uint16('x00280010');
  const cols = ds.uint16('x00280011');
  const spp = ds.uint16('x00280002') ?? 1;
  const bitsAllocated = ds.uint16('x00280100');
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated ?? 16;
  const signed = (ds.uint16('x00280103') ?? 0) === 1;
  const photometric = (ds.string('x00280004') ?? 'MONOCHROME2').trim();
  const el = ds.elements.x7fe00010;
  if (!rows || !cols || !bitsAllocated || !el) throw new Error(`${where}: DICOM without Rows/Columns/BitsAllocated/PixelData`);
  if (spp !== 1) throw new Error(`${where}: DICOM with ${spp} samples per pixel (${photometric}); only greyscale is read`);
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`${where}: BitsAllocated ${bitsAllocated} not supported`);
  const n = rows * cols;
  const bytesPer = bitsAllocated / 8;
  if (el.length < n * bytesPer) throw new Error(`${where}: pixel data truncated (${el.length} bytes < ${n * bytesPer})`);
  const bigEndian = ts === '1.2.840.10008.1.2.2';
  const view = new DataView(buf.buffer, buf.byteOffset + el.dataOffset, n * bytesPer);
  const mask = bitsStored >= 32 ? 0xffffffff : (1 << bitsStored) - 1;
  const signBit = 1 << (bitsStored - 1);
  const slope = firstNumber(ds, 'x00281053') ?? 1;
  const intercept = firstNumber(ds, 'x00281052') ?? 0;
  const values = new Float32Array(n);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    let s = bytesPer === 1 ? view.getUint8(i) : view.getUint16(2 * i, !bigEndian);
    s &= mask;
    if (signed && s & signBit) s -= 1 << bitsStored; // two's complement within BitsStored
    const v = s * slope + intercept;
    values[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const c = firstNumber(ds, 'x00281050');
  const w = firstNumber(ds, 'x00281051');
  const out = new Float32Array(n);
  if (c !== undefined && w !== undefined && w >= 1) {
    // PS3.3 C.11.2.1.2.1 linear VOI: y = ((x - (c - 0.5)) / (w - 1) + 0.5), clipped to [0, 1]
    const wm1 = Math.max(w - 1, 1e-6);
    for (let i = 0; i < n; i++) {
      const y = (values[i] - (c - 0.5)) / wm1 + 0.5;
      out[i] = y <= 0 ? 0 : y >= 1 ? 1 : y;
    }
  } else {
    const span = hi > lo ? hi - lo : 1;
    for (let i = 0; i < n; i++) out[i] = (values[i] - lo) / span;
  }
  if (photometric === 'MONOCHROME1') for (let i = 0; i < n; i++) out[i] = 1 - out[i];
  return { width: cols, height: rows, data: out };
}

/** Header of a DICOM file on disk (reads the file; dicom-parser needs the whole buffer). */
export async function readDicomHeaderFile(file: string): Promise<DicomHeader> {
  const fsp = await import('fs/promises');
  return readDicomHeader(await fsp.readFile(file), file);
}
