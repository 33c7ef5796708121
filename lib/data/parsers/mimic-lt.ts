/**
 * MIMIC-CXR-LT / CXR-LT 2023 (Holste et al.; PhysioNet cxr-lt-iccv-workshop-cvamd). Label CSVs per split
 * (`train.csv`, `development.csv`, `test.csv` for CXR-LT 2023, or the MICCAI-2023 `…_labels_{train,val,test}.csv`)
 * with a `path` column relative to the MIMIC-CXR-JPG root (files/p10/p1000…/s5…/<dicom>.jpg) and binary 0/1 columns
 * named like the manifest labels; other metadata columns are ignored [column names unconfirmed]. subject / study /
 * dicom ids are taken from `path`. The data root is the MIMIC-CXR-JPG root; the CSVs' locations are manifest files
 * `train`, `val`, `test`.
 */
import path from 'path';
import { columns, readCsv } from '../csv';
import { encodeBinaryValue } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Split } from '../types';

export const CXR_LT_2023_LABELS = ['Atelectasis', 'Calcification of the Aorta', 'Cardiomegaly', 'Consolidation', 'Edema', 'Emphysema',
  'Enlarged Cardiomediastinum', 'Fibrosis', 'Fracture', 'Hernia', 'Infiltration', 'Lung Lesion', 'Lung Opacity', 'Mass', 'No Finding',
  'Nodule', 'Pleural Effusion', 'Pleural Other', 'Pleural Thickening', 'Pneumomediastinum', 'Pneumonia', 'Pneumoperitoneum',
  'Pneumothorax', 'Subcutaneous Emphysema', 'Support Devices', 'Tortuous Aorta'];

export async function parseMimicLt(ctx: ParserContext): Promise<ParsedDataset> {
  const labelNames = ctx.manifest.labels.names.length ? ctx.manifest.labels.names : CXR_LT_2023_LABELS;
  const records: SampleRecord[] = [];
  for (const split of ['train', 'val', 'test'] as Split[]) {
    if (!(split in ctx.manifest.files) || !ctx.has(split)) continue;
    const t = readCsv(ctx.file(split));
    const get = columns(t, ['path', ...labelNames], ['subject_id', 'study_id', 'dicom_id', 'ViewPosition', 'view']);
    for (const row of t.rows) {
      const p = get(row, 'path');
      const m = /p(\d{8})\/s(\d{8})\/([^/]+)\.(jpg|png|dcm)$/.exec(p);
      if (!m) throw new Error(`${t.file}:${row.line}: column 'path': expected …/p<subject>/s<study>/<dicom>.jpg, got '${p}'`);
      const labels: Record<string, number> = {};
      for (const l of labelNames) labels[l] = encodeBinaryValue(get(row, l), `${t.file}:${row.line} column '${l}'`);
      records.push({
        id: m[3], path: path.join(ctx.root, p), patient: m[1], study: m[2],
        view: get(row, 'ViewPosition') || get(row, 'view') || null,
        sex: null, age: null, split, width: null, height: null, labels,
        file: t.file, line: row.line,
      });
    }
  }
  return { records, labelNames: labelNames.slice(), problems: [] };
}
