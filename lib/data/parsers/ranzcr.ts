/**
 * RANZCR CLiP (Kaggle 2021). `train.csv`: StudyInstanceUID, 11 binary labels (ETT/NGT/CVC Abnormal / Borderline /
 * Normal / Incompletely Imaged, Swan Ganz Catheter Present), PatientID. Images `train/<StudyInstanceUID>.jpg`.
 * Optional `train_annotations.csv` (StudyInstanceUID, label, data = "[[x, y], …]" line points) [column names
 * unconfirmed] → one box per annotated line (bounding box of its points), label = the annotation's label.
 * Split: 80/10/10 by PatientID (test labels were never released).
 */
import path from 'path';
import { columns, readCsv } from '../csv';
import { encodeBinaryValue } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Box } from '../types';

export const RANZCR_LABELS = ['ETT - Abnormal', 'ETT - Borderline', 'ETT - Normal', 'NGT - Abnormal', 'NGT - Borderline',
  'NGT - Incompletely Imaged', 'NGT - Normal', 'CVC - Abnormal', 'CVC - Borderline', 'CVC - Normal', 'Swan Ganz Catheter Present'];

export async function parseRanzcr(ctx: ParserContext): Promise<ParsedDataset> {
  const labelNames = ctx.manifest.labels.names.length ? ctx.manifest.labels.names : RANZCR_LABELS;
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? 'train');
  const t = readCsv(ctx.file('train'));
  const get = columns(t, ['StudyInstanceUID', 'PatientID', ...labelNames]);
  const records: SampleRecord[] = t.rows.map((row) => {
    const uid = get(row, 'StudyInstanceUID');
    if (!uid) throw new Error(`${t.file}:${row.line}: empty 'StudyInstanceUID'`);
    const labels: Record<string, number> = {};
    for (const l of labelNames) labels[l] = encodeBinaryValue(get(row, l), `${t.file}:${row.line} column '${l}'`);
    return {
      id: uid, path: path.join(imgDir, `${uid}.jpg`), patient: get(row, 'PatientID'), study: uid, view: null,
      sex: null, age: null, width: null, height: null, labels, file: t.file, line: row.line,
    };
  });
  const boxes: Box[] = [];
  if ('annotations' in ctx.manifest.files && ctx.has('annotations')) {
    const a = readCsv(ctx.file('annotations'));
    const aget = columns(a, ['StudyInstanceUID', 'label', 'data']);
    for (const row of a.rows) {
      let pts: unknown;
      try { pts = JSON.parse(aget(row, 'data')); } catch { pts = null; }
      if (!Array.isArray(pts) || pts.length === 0 || pts.some((p) => !Array.isArray(p) || p.length < 2 || !p.every(Number.isFinite))) {
        throw new Error(`${a.file}:${row.line}: column 'data': expected a list of [x, y] points`);
      }
      const xs = (pts as number[][]).map((p) => p[0]), ys = (pts as number[][]).map((p) => p[1]);
      const x = Math.min(...xs), y = Math.min(...ys);
      boxes.push({ id: aget(row, 'StudyInstanceUID'), label: aget(row, 'label'), x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y });
    }
  }
  return { records, labelNames: labelNames.slice(), boxes, problems: [] };
}
