/**
 * POLCOVID (Suwalska et al., Sci Data 10:348, 2023). Metadata CSV (columns read by name; order on disk
 * unconfirmed): filename (Anonymous_<hospital>_<patient>_<class>.<ext>), patient_id, hospital_id, sex, age,
 * class (COVID-19 / PNEUMONIA / NORMAL) → covid / pneumonia / normal, set (train / hold-out test). Images under
 * images.dir; optional lung masks under options.maskDir with the image's stem + `.png`. Patient ids are made unique
 * per hospital (`<hospital>_<patient>`). Split: official set column; val carved from train by patient.
 */
import fs from 'fs';
import path from 'path';
import { columns, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { decodeMaskFile } from '../image';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Split } from '../types';

export const POLCOVID_CLASSES = ['covid', 'pneumonia', 'normal'];
const CLASS: Record<string, number> = { 'COVID-19': 0, COVID: 0, PNEUMONIA: 1, NORMAL: 2 };

function setToSplit(raw: string): Split | null {
  const s = raw.trim().toLowerCase();
  if (s === 'train') return 'train';
  if (s === 'validation' || s === 'val') return 'val';
  if (s.includes('test')) return 'test';
  return null;
}

export async function parsePolcovid(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { maskDir?: string };
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? 'images');
  const t = readCsv(ctx.file('metadata'));
  const get = columns(t, ['filename', 'patient_id', 'hospital_id', 'sex', 'age', 'class', 'set'], ['quality', 'subtype', 'hospital_eng', 'smoke']);
  const records: SampleRecord[] = [];
  for (const row of t.rows) {
    const file = get(row, 'filename');
    const cls = CLASS[get(row, 'class').toUpperCase()];
    if (cls === undefined) throw new Error(`${t.file}:${row.line}: column 'class': unknown value '${get(row, 'class')}'`);
    const split = setToSplit(get(row, 'set'));
    if (!split) throw new Error(`${t.file}:${row.line}: column 'set': unknown value '${get(row, 'set')}'`);
    const hospital = get(row, 'hospital_id');
    const labels: Record<string, number> = {};
    POLCOVID_CLASSES.forEach((c, i) => { labels[c] = i === cls ? 1 : 0; });
    records.push({
      id: file.replace(/\.[a-z0-9]+$/i, ''),
      path: path.join(imgDir, file),
      patient: `${hospital}_${get(row, 'patient_id')}`,
      study: file,
      view: null,
      sex: normaliseSex(get(row, 'sex')),
      age: normaliseAge(get(row, 'age'), 0, `${t.file}:${row.line}: column 'age'`),
      split, width: null, height: null, labels, class: cls,
      extra: { hospital, quality: get(row, 'quality') || null, subtype: get(row, 'subtype') || null },
      file: t.file, line: row.line,
    });
  }
  const maskDir = opt.maskDir ? path.join(ctx.root, opt.maskDir) : null;
  const hasMasks = !!maskDir && fs.existsSync(maskDir);
  return {
    records, labelNames: POLCOVID_CLASSES.slice(), classNames: POLCOVID_CLASSES.slice(), problems: [],
    maskClasses: hasMasks ? ['lungs'] : undefined,
    masks: hasMasks ? async (r) => {
      const f = path.join(maskDir!, `${r.id}.png`);
      return fs.existsSync(f) ? [(await decodeMaskFile(f)).data] : [null];
    } : undefined,
  };
}
