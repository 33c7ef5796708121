/**
 * CheXpert (Irvin et al., AAAI 2019). `train.csv` / `valid.csv` (and optionally the CheXlocalize `test.csv`), header
 * `Path,Sex,Age,Frontal/Lateral,AP/PA,<14 observations>`. `Path` starts with the dataset folder
 * (`CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg`): it is resolved against the data root with that
 * first component dropped, so the root is the `CheXpert-v1.0(-small)` folder itself. Labels 1 / 0 / -1 / blank under
 * the label policy. Age 0 = unknown. Sex Male/Female/Unknown. Split: train.csv rows 'train' (val carved by patient
 * with split.valFraction), valid.csv rows 'test' (radiologist consensus), test.csv rows 'test'.
 * Option `frontalOnly` (default false) keeps Frontal rows.
 */
import path from 'path';
import { columns, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { encodeChexpertValue } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Split } from '../types';

export const CHEXPERT_LABELS = ['No Finding', 'Enlarged Cardiomediastinum', 'Cardiomegaly', 'Lung Opacity', 'Lung Lesion', 'Edema',
  'Consolidation', 'Pneumonia', 'Atelectasis', 'Pneumothorax', 'Pleural Effusion', 'Pleural Other', 'Fracture', 'Support Devices'];

/** Resolve a CheXpert `Path` against the data root (drop the leading dataset folder). */
export function chexpertImagePath(root: string, p: string): string {
  const parts = p.split('/');
  return path.join(root, ...(parts[0].startsWith('CheXpert') ? parts.slice(1) : parts));
}

export async function parseChexpert(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { frontalOnly?: boolean };
  const labelNames = ctx.manifest.labels.names.length ? ctx.manifest.labels.names : CHEXPERT_LABELS;
  const records: SampleRecord[] = [];
  const sources: [string, Split][] = [['train', 'train'], ['valid', 'test'], ['test', 'test']];
  for (const [key, split] of sources) {
    if (!(key in ctx.manifest.files) || !ctx.has(key)) continue;
    const t = readCsv(ctx.file(key));
    const get = columns(t, ['Path', 'Sex', 'Age', 'Frontal/Lateral', ...labelNames], ['AP/PA']);
    for (const row of t.rows) {
      const p = get(row, 'Path');
      const m = /patient(\d+)\/(study\d+)\//.exec(p);
      if (!m) throw new Error(`${t.file}:${row.line}: column 'Path': cannot find patient/study in '${p}'`);
      const fl = get(row, 'Frontal/Lateral');
      if (fl !== 'Frontal' && fl !== 'Lateral') throw new Error(`${t.file}:${row.line}: column 'Frontal/Lateral': unknown value '${fl}'`);
      if (opt.frontalOnly && fl !== 'Frontal') continue;
      const labels: Record<string, number> = {};
      for (const l of labelNames) labels[l] = encodeChexpertValue(get(row, l), ctx.policy, `${t.file}:${row.line} column '${l}'`);
      records.push({
        id: p.replace(/^[^/]*\//, '').replace(/\.(jpg|png)$/i, ''),
        path: chexpertImagePath(ctx.root, p),
        patient: String(Number(m[1])),
        study: `${Number(m[1])}/${m[2]}`,
        view: fl === 'Frontal' ? get(row, 'AP/PA') || 'Frontal' : 'LATERAL',
        sex: normaliseSex(get(row, 'Sex')),
        age: normaliseAge(get(row, 'Age'), 1, `${t.file}:${row.line}: column 'Age'`),
        split,
        width: null, height: null,
        labels,
        extra: { source_file: key },
        file: t.file, line: row.line,
      });
    }
  }
  return { records, labelNames: labelNames.slice(), problems: [] };
}
