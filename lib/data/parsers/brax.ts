/**
 * BRAX (Reis et al., Sci Data 2022; PhysioNet brax/1.1.0). `master_spreadsheet_update.csv`: `PngPath` (relative to
 * the data root), `ViewPosition`, `PatientID`, `PatientSex`, `PatientAge`, the 14 CheXpert labels (CheXpert names,
 * 1 / 0 / -1 / blank under the label policy). Ages may be exact or binned ('55-59' → midpoint 57, '85 or more' /
 * '85+' → 85) [unconfirmed format]. Split: 80/10/10 by patient.
 */
import path from 'path';
import { columns, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { encodeChexpertValue } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import { CHEXPERT_LABELS } from './chexpert';

/** Exact or binned age → years (bin midpoint; open-ended bins → lower bound). */
export function braxAge(raw: string, where?: string): number | null {
  const s = raw.trim();
  const range = /^(\d+)\s*(?:-|to)\s*(\d+)$/.exec(s);
  if (range) return (Number(range[1]) + Number(range[2])) / 2;
  const open = /^(\d+)\s*(?:\+|or more|or older|and over)$/i.exec(s);
  if (open) return Number(open[1]);
  return normaliseAge(s, 0, where);
}

export async function parseBrax(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { frontalOnly?: boolean };
  const labelNames = ctx.manifest.labels.names.length ? ctx.manifest.labels.names : CHEXPERT_LABELS;
  const t = readCsv(ctx.file('master'));
  const get = columns(t, ['PngPath', 'ViewPosition', 'PatientID', 'PatientSex', 'PatientAge', ...labelNames], ['DicomPath', 'StudyDate']);
  const records: SampleRecord[] = [];
  for (const row of t.rows) {
    const p = get(row, 'PngPath');
    if (!p) throw new Error(`${t.file}:${row.line}: empty 'PngPath'`);
    const view = get(row, 'ViewPosition') || null;
    if (opt.frontalOnly && !(view === 'PA' || view === 'AP')) continue;
    const labels: Record<string, number> = {};
    for (const l of labelNames) labels[l] = encodeChexpertValue(get(row, l), ctx.policy, `${t.file}:${row.line} column '${l}'`);
    const studyMatch = /Study_([^/]+)/.exec(p);
    records.push({
      id: p.replace(/\.(png|dcm)$/i, ''),
      path: path.join(ctx.root, p),
      patient: get(row, 'PatientID'),
      study: studyMatch ? studyMatch[1] : get(row, 'PatientID'),
      view,
      sex: normaliseSex(get(row, 'PatientSex')),
      age: braxAge(get(row, 'PatientAge'), `${t.file}:${row.line}: column 'PatientAge'`),
      width: null, height: null,
      labels,
      file: t.file, line: row.line,
    });
  }
  return { records, labelNames: labelNames.slice(), problems: [] };
}
