/**
 * AASCE 2019 / SpineWeb dataset 16 (Wu et al., MICCAI 2017 BoostNet; AASCE challenge 2019). Layout:
 * `boostnet_labeldata/data/{training,test}/<name>.jpg`, `boostnet_labeldata/labels/{training,test}/<name>.jpg.mat`
 * (key `p2`: 68×2 (x, y) = 4 corners × 17 vertebrae T1–T12, L1–L5), and per split `filenames.csv` + `angles.csv`
 * (rows aligned; three Cobb angles PT, MT, TL/L per image). CSV header presence is unconfirmed: a first row that
 * does not parse as numbers (angles) or that equals 'filename'/'name' is treated as a header.
 * Regression targets: cobb_pt, cobb_mt, cobb_tl. Landmarks from the .mat (p2) go into the `landmarks` column as a
 * JSON array of 68 [x, y] pairs, and one box per vertebra (bounding box of its 4 corners: labels T1…L5). When a .mat
 * is missing, `landmarks.csv` (136 numbers per row, 68 x then 68 y, aligned with filenames.csv) is used as stored.
 * Split: official training / test; val carved from training by split.valFraction. Each image is its own patient.
 */
import fs from 'fs';
import path from 'path';
import { parseCsvRecords, readText } from '../csv';
import { readMat, matGet } from '../mat';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Box, Split } from '../types';
import { COBB_TARGETS } from '../targets';

export const VERTEBRAE = [...Array.from({ length: 12 }, (_, i) => `T${i + 1}`), ...Array.from({ length: 5 }, (_, i) => `L${i + 1}`)];

function rowsNoHeader(file: string, isHeader: (f: string[]) => boolean) {
  const rows = parseCsvRecords(readText(file), file);
  return rows.length && isHeader(rows[0].fields) ? rows.slice(1) : rows;
}

/** 68×2 landmarks from a .mat file's `p2` (falls back to the first 68×2 array). */
export function readAasceLandmarks(file: string): [number, number][] {
  const mats = readMat(fs.readFileSync(file), file);
  const p2 = mats.get('p2') ?? [...mats.values()].find((m) => m.dims[0] === 68 && m.dims[1] === 2);
  if (!p2) throw new Error(`${file}: no 'p2' 68×2 array (found: ${[...mats.keys()].join(', ') || 'none'})`);
  if (p2.dims[0] !== 68 || p2.dims[1] !== 2) throw new Error(`${file}: 'p2' is ${p2.dims.join('×')}, expected 68×2`);
  return Array.from({ length: 68 }, (_, i) => [matGet(p2, i, 0), matGet(p2, i, 1)] as [number, number]);
}

export async function parseAasce(ctx: ParserContext): Promise<ParsedDataset> {
  const base = ctx.manifest.images.dir ?? 'boostnet_labeldata';
  const records: SampleRecord[] = [];
  const boxes: Box[] = [];
  for (const [folder, split] of [['training', 'train'], ['test', 'test']] as [string, Split][]) {
    const fk = `filenames_${folder}`, ak = `angles_${folder}`, lk = `landmarks_${folder}`;
    if (!(fk in ctx.manifest.files) || !ctx.has(fk)) continue;
    const ff = ctx.file(fk), af = ctx.file(ak);
    const names = rowsNoHeader(ff, (f) => /^(file)?names?$/i.test(f[0].trim())).map((r) => ({ name: r.fields[0].trim(), line: r.line }));
    const angles = rowsNoHeader(af, (f) => f.some((x) => !Number.isFinite(Number(x)) || x.trim() === ''));
    if (angles.length !== names.length) throw new Error(`${af}: ${angles.length} rows but ${ff} has ${names.length}`);
    const lm = ctx.has(lk) ? rowsNoHeader(ctx.file(lk), (f) => !Number.isFinite(Number(f[0]))) : null;
    names.forEach(({ name, line }, i) => {
      const a = angles[i].fields.slice(0, 3).map((x) => Number(x));
      if (a.length < 3 || a.some((x) => !Number.isFinite(x))) throw new Error(`${af}:${angles[i].line}: expected 3 numeric Cobb angles, got '${angles[i].fields.join(',')}'`);
      const id = name.replace(/\.jpe?g$/i, '');
      const matFile = path.join(ctx.root, base, 'labels', folder, `${name}.mat`);
      let landmarks: [number, number][] | null = null;
      if (fs.existsSync(matFile)) landmarks = readAasceLandmarks(matFile);
      else if (lm && lm[i]) {
        const v = lm[i].fields.map(Number);
        if (v.length < 136 || v.some((x) => !Number.isFinite(x))) throw new Error(`${ctx.file(lk)}:${lm[i].line}: expected 136 numbers`);
        landmarks = Array.from({ length: 68 }, (_, k) => [v[k], v[68 + k]] as [number, number]);
      } else ctx.problem({ id, file: matFile, row: line, reason: 'no landmarks (.mat missing, no landmarks.csv row)' });
      if (landmarks) {
        VERTEBRAE.forEach((v, k) => {
          const pts = landmarks!.slice(4 * k, 4 * k + 4);
          const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
          const x = Math.min(...xs), y = Math.min(...ys);
          boxes.push({ id, label: v, x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y });
        });
      }
      records.push({
        id, path: path.join(ctx.root, base, 'data', folder, name), patient: id, study: id, view: 'AP', sex: null, age: null,
        split, width: null, height: null, labels: {},
        targets: { cobb_pt: a[0], cobb_mt: a[1], cobb_tl: a[2] },
        extra: { landmarks: landmarks ? JSON.stringify(landmarks) : null }, file: ff, line,
      });
    });
  }
  return { records, labelNames: [], targetNames: [...COBB_TARGETS], boxes, problems: [] };
}
