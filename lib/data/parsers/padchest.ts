/**
 * PadChest (Bustos et al., Med Image Anal 2020). `PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv`: ImageID,
 * ImageDir (zip folder number 0–54: image at <root>/<ImageDir>/<ImageID>), StudyDate_DICOM (YYYYMMDD), StudyID,
 * PatientID, PatientBirth (year), PatientSex_DICOM, Projection, Labels (Python list literal, lower-case English
 * findings, 'normal'). Age = study year − birth year. Images are 16-bit PNG (decoded / 65535).
 * Labels: the manifest's names (a subset of the 174 findings); findings outside it are ignored; an empty list
 * gives NaN (unlabelled). Option `projections` keeps those Projection values (e.g. PA, AP, AP_horizontal).
 */
import path from 'path';
import { columns, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { parsePythonList } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';

export async function parsePadchest(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { projections?: string[] };
  const labelNames = ctx.manifest.labels.names;
  const aliases = ctx.manifest.labels.aliases ?? {};
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? '');
  const t = readCsv(ctx.file('labels'));
  const get = columns(t, ['ImageID', 'ImageDir', 'StudyDate_DICOM', 'StudyID', 'PatientID', 'PatientBirth', 'PatientSex_DICOM', 'Projection', 'Labels'],
    ['MethodLabel', 'Rows_DICOM', 'Columns_DICOM', 'Pediatric']);
  const records: SampleRecord[] = [];
  for (const row of t.rows) {
    const proj = get(row, 'Projection');
    if (opt.projections && !opt.projections.includes(proj)) continue;
    const found = parsePythonList(get(row, 'Labels'), `${t.file}:${row.line} column 'Labels'`).map((s) => s.trim());
    const labels: Record<string, number> = {};
    for (const l of labelNames) labels[l] = found.length === 0 ? NaN : 0;
    for (const f of found) { const n = aliases[f] ?? f; if (n in labels) labels[n] = 1; }
    const birth = Number(get(row, 'PatientBirth'));
    const date = get(row, 'StudyDate_DICOM');
    const year = /^\d{8}/.test(date) ? Number(date.slice(0, 4)) : NaN;
    const id = get(row, 'ImageID');
    const w = get(row, 'Columns_DICOM'), h = get(row, 'Rows_DICOM');
    records.push({
      id: id.replace(/\.png$/i, ''),
      path: path.join(imgDir, String(Number(get(row, 'ImageDir'))), id),
      patient: get(row, 'PatientID'),
      study: get(row, 'StudyID'),
      view: proj || null,
      sex: normaliseSex(get(row, 'PatientSex_DICOM')),
      age: get(row, 'PatientBirth') !== '' && Number.isFinite(birth) && Number.isFinite(year) ? normaliseAge(year - birth) : null,
      width: w && Number.isFinite(Number(w)) ? Number(w) : null,
      height: h && Number.isFinite(Number(h)) ? Number(h) : null,
      labels,
      extra: { method_label: get(row, 'MethodLabel') || null },
      file: t.file, line: row.line,
    });
  }
  return { records, labelNames: labelNames.slice(), problems: [] };
}
