/**
 * MIMIC-CXR-JPG 2.0.0 (Johnson et al., Sci Data 2019). Per-image `mimic-cxr-2.0.0-metadata.csv(.gz)` (dicom_id,
 * subject_id, study_id, ViewPosition, Rows, Columns, StudyDate), per-study labels `mimic-cxr-2.0.0-chexpert.csv(.gz)`
 * (or negbio; 14 labels, 1 / 0 / -1 / blank under the label policy) joined on study_id, per-image official split
 * `mimic-cxr-2.0.0-split.csv(.gz)` (train / validate / test, patient-disjoint; columns read by name). Optional MIMIC-IV
 * `patients.csv(.gz)` gives sex and age: anchor_age + (study year − anchor_year) (dates are shifted consistently).
 * Image path: files/p{first 2 digits of subject}/p{subject}/s{study}/{dicom_id}.jpg. Option `views` (e.g. ["PA","AP"])
 * keeps those ViewPositions. Studies without a label row get NaN labels and are listed as problems.
 */
import path from 'path';
import { columns, numberField, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { encodeChexpertValue } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Split } from '../types';

export const MIMIC_LABELS = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Enlarged Cardiomediastinum', 'Fracture',
  'Lung Lesion', 'Lung Opacity', 'No Finding', 'Pleural Effusion', 'Pleural Other', 'Pneumonia', 'Pneumothorax', 'Support Devices'];

/** files/p10/p10000032/s50414267/02aa804e-….jpg */
export function mimicImagePath(root: string, subject: string, study: string, dicom: string): string {
  return path.join(root, 'files', `p${subject.slice(0, 2)}`, `p${subject}`, `s${study}`, `${dicom}.jpg`);
}

const SPLITS: Record<string, Split> = { train: 'train', validate: 'val', test: 'test' };

export async function parseMimic(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { views?: string[] };
  const labelNames = ctx.manifest.labels.names.length ? ctx.manifest.labels.names : MIMIC_LABELS;

  const lt = readCsv(ctx.file('labels'));
  const lget = columns(lt, ['subject_id', 'study_id', ...labelNames]);
  const studyLabels = new Map<string, Record<string, number>>();
  for (const row of lt.rows) {
    const labels: Record<string, number> = {};
    for (const l of labelNames) labels[l] = encodeChexpertValue(lget(row, l), ctx.policy, `${lt.file}:${row.line} column '${l}'`);
    studyLabels.set(lget(row, 'study_id'), labels);
  }

  const st = readCsv(ctx.file('split'));
  const sget = columns(st, ['dicom_id', 'split']);
  const splitOf = new Map<string, Split>();
  for (const row of st.rows) {
    const s = SPLITS[sget(row, 'split')];
    if (!s) throw new Error(`${st.file}:${row.line}: column 'split': unknown value '${sget(row, 'split')}'`);
    splitOf.set(sget(row, 'dicom_id'), s);
  }

  const patients = new Map<string, { sex: string; anchorAge: number; anchorYear: number }>();
  if (ctx.has('patients')) {
    const pt = readCsv(ctx.file('patients'));
    const pget = columns(pt, ['subject_id', 'gender', 'anchor_age', 'anchor_year']);
    for (const row of pt.rows) {
      patients.set(pget(row, 'subject_id'), {
        sex: pget(row, 'gender'),
        anchorAge: numberField(pt, row, 'anchor_age', pget(row, 'anchor_age')),
        anchorYear: numberField(pt, row, 'anchor_year', pget(row, 'anchor_year')),
      });
    }
  }

  const mt = readCsv(ctx.file('metadata'));
  const mget = columns(mt, ['dicom_id', 'subject_id', 'study_id', 'ViewPosition'], ['Rows', 'Columns', 'StudyDate']);
  const records: SampleRecord[] = [];
  const problems: ParsedDataset['problems'] = [];
  const nanLabels = Object.fromEntries(labelNames.map((l) => [l, NaN]));
  for (const row of mt.rows) {
    const dicom = mget(row, 'dicom_id'), subject = mget(row, 'subject_id'), study = mget(row, 'study_id');
    if (!/^\d{8}$/.test(subject)) throw new Error(`${mt.file}:${row.line}: column 'subject_id': expected 8 digits, got '${subject}'`);
    const view = mget(row, 'ViewPosition') || null;
    if (opt.views && !(view && opt.views.includes(view))) continue;
    let labels = studyLabels.get(study);
    if (!labels) { problems.push({ id: dicom, file: lt.file, reason: `no label row for study ${study}` }); labels = nanLabels; }
    const p = patients.get(subject);
    const date = mget(row, 'StudyDate');
    const year = date.length >= 4 ? Number(date.slice(0, 4)) : NaN;
    const age = p && Number.isFinite(year) ? normaliseAge(p.anchorAge + (year - p.anchorYear)) : p ? normaliseAge(p.anchorAge) : null;
    const rows = mget(row, 'Rows'), cols = mget(row, 'Columns');
    records.push({
      id: dicom,
      path: mimicImagePath(ctx.root, subject, study, dicom),
      patient: subject, study, view,
      sex: p ? normaliseSex(p.sex) : null,
      age,
      split: splitOf.get(dicom) ?? null,
      width: cols ? numberField(mt, row, 'Columns', cols) : null,
      height: rows ? numberField(mt, row, 'Rows', rows) : null,
      labels: { ...labels },
      file: mt.file, line: row.line,
    });
  }
  // images missing from the split file cannot be placed: list and drop
  const placed = records.filter((r) => {
    if (r.split) return true;
    problems.push({ id: r.id, file: st.file, reason: 'image not in the split file' });
    return false;
  });
  return { records: placed, labelNames: labelNames.slice(), problems };
}
