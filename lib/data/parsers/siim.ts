/**
 * SIIM-ACR Pneumothorax Segmentation (Kaggle 2019). `train-rle.csv`: `ImageId, EncodedPixels` (the second header
 * name has a leading space); `-1` = no pneumothorax; several rows per image = several regions (union).
 * Stage-1 RLE is RELATIVE and COLUMN-MAJOR on the 1024×1024 grid (see decodeSiimRle); stage 2 is reported to use
 * absolute 1-based starts (`options.rle: 'absolute'`) [unconfirmed]. DICOMs live under nested study/series UID
 * folders, so images are found by indexing `images.dir` for `<ImageId>.dcm`. Label: Pneumothorax (1 if any run).
 * No patient ids: each image is its own patient. `options.dicomDemographics` reads sex/age from the headers.
 */
import path from 'path';
import { columns, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { readDicomHeaderFile } from '../dicom';
import { indexFiles } from '../files';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';

/**
 * Decode a SIIM run-length string into a row-major width×height mask (1 inside).
 * relative (stage 1): pairs (offset, length), each offset counted from the END of the previous run, starting at 0;
 * absolute: pairs (start, length) with 1-based starts. Pixels are enumerated column-major (down the first column
 * first), i.e. flat index k → (x = ⌊k / height⌋, y = k mod height) — the Kaggle reference reshapes to
 * (width, height) and transposes. `into` lets several regions of one image accumulate (union).
 */
export function decodeSiimRle(rle: string, width: number, height: number, mode: 'relative' | 'absolute' = 'relative', into?: Uint8Array, where = 'RLE'): Uint8Array {
  const mask = into ?? new Uint8Array(width * height);
  const s = rle.trim();
  if (s === '-1' || s === '') return mask;
  const nums = s.split(/\s+/).map(Number);
  if (nums.length % 2 !== 0 || nums.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`${where}: malformed run-length string (odd count or non-integers)`);
  const n = width * height;
  let pos = 0;
  for (let i = 0; i < nums.length; i += 2) {
    const start = mode === 'relative' ? pos + nums[i] : nums[i] - 1;
    const end = start + nums[i + 1];
    if (start < 0 || end > n) throw new Error(`${where}: run [${start}, ${end}) outside the ${width}×${height} grid`);
    for (let k = start; k < end; k++) {
      const x = Math.floor(k / height), y = k - x * height;
      mask[y * width + x] = 1;
    }
    pos = end;
  }
  return mask;
}

export async function parseSiim(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { rle?: 'relative' | 'absolute'; width?: number; height?: number; dicomDemographics?: boolean };
  const W = opt.width ?? 1024, H = opt.height ?? 1024;
  const t = readCsv(ctx.file('rle'));
  const get = columns(t, ['ImageId', 'EncodedPixels']);
  const runs = new Map<string, { rles: string[]; line: number }>();
  for (const row of t.rows) {
    const id = get(row, 'ImageId');
    const rle = get(row, 'EncodedPixels');
    // validate now so that a bad row is reported with its line
    decodeSiimRle(rle, W, H, opt.rle ?? 'relative', undefined, `${t.file}:${row.line} column 'EncodedPixels'`);
    const e = runs.get(id) ?? { rles: [], line: row.line };
    if (rle !== '-1') e.rles.push(rle);
    runs.set(id, e);
  }
  const index = indexFiles(path.join(ctx.root, ctx.manifest.images.dir ?? 'dicom-images-train'), ['.dcm']);
  const records: SampleRecord[] = [];
  for (const [id, e] of runs) {
    const p = index.get(id);
    if (!p) { ctx.problem({ id, file: t.file, row: e.line, reason: `missing image ${id}.dcm under ${ctx.manifest.images.dir ?? 'dicom-images-train'}` }); continue; }
    records.push({
      id, path: p, patient: id, study: id, view: null, sex: null, age: null, width: W, height: H,
      labels: { Pneumothorax: e.rles.length > 0 ? 1 : 0 },
      extra: { regions: e.rles.length }, file: t.file, line: e.line,
    });
  }
  if (opt.dicomDemographics) {
    for (const r of records) {
      const h = await readDicomHeaderFile(r.path!);
      r.sex = normaliseSex(h.patientSex);
      r.age = normaliseAge(h.patientAge, 0, `${r.path}: DICOM PatientAge`);
      r.view = h.viewPosition;
    }
  }
  return {
    records, labelNames: ['Pneumothorax'], maskClasses: ['pneumothorax'], problems: [],
    masks: async (r) => {
      const m = new Uint8Array(W * H);
      for (const rle of runs.get(r.id)!.rles) decodeSiimRle(rle, W, H, opt.rle ?? 'relative', m);
      return [m];
    },
  };
}
