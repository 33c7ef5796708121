/**
 * NIH ChestX-ray14 (Wang et al., CVPR 2017). Reads `Data_Entry_2017_v2020.csv` (or the 2017 file): the header's
 * `OriginalImage[Width,Height]` and `OriginalImagePixelSpacing[x,y]` names contain commas, so a plain CSV split
 * yields 11 names — `OriginalImage[Width` / `Height]` hold the original DICOM size (kept as orig_width/orig_height).
 * `Finding Labels` is a '|'-separated subset of the 14 labels or 'No Finding'. Boxes: `BBox_List_2017.csv`
 * (header `Image Index,Finding Label,Bbox [x,y,w,h],,,`; read by position; 'Infiltrate' → 'Infiltration' via the
 * manifest's label aliases), coordinates in the 1024-px image, multiplied by `options.boxScale` (e.g. 0.5 for the
 * 512-px copy). Official split lists `train_val_list.txt` / `test_list.txt` are used when the manifest's rule is
 * 'official'.
 */
import path from 'path';
import { columns, numberField, readCsv, readText } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { multiHot } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Box, Split } from '../types';

export const NIH_LABELS = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Effusion', 'Emphysema', 'Fibrosis',
  'Hernia', 'Infiltration', 'Mass', 'Nodule', 'Pleural_Thickening', 'Pneumonia', 'Pneumothorax'];

interface NihOptions { boxScale?: number; imageWidth?: number; imageHeight?: number }

function readList(file: string): Set<string> {
  return new Set(readText(file).split(/\r?\n/).map((s) => s.trim()).filter(Boolean));
}

export async function parseNih(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as NihOptions;
  const labelNames = ctx.manifest.labels.names.length ? ctx.manifest.labels.names : NIH_LABELS;
  const aliases = ctx.manifest.labels.aliases ?? {};
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? 'images');
  const t = readCsv(ctx.file('dataEntry'));
  const get = columns(t, ['Image Index', 'Finding Labels', 'Patient ID', 'Patient Age', 'Patient Gender', 'View Position'],
    ['Follow-up #', 'OriginalImage[Width', 'Height]']);

  let official: ((f: string) => Split | null) | null = null;
  if (ctx.manifest.split.rule === 'official') {
    const trainVal = readList(ctx.file('trainValList'));
    const test = readList(ctx.file('testList'));
    official = (f) => (test.has(f) ? 'test' : trainVal.has(f) ? 'train' : null);
  }

  const records: SampleRecord[] = [];
  for (const row of t.rows) {
    const file = get(row, 'Image Index');
    const raw = get(row, 'Finding Labels');
    if (!file || !raw) throw new Error(`${t.file}:${row.line}: empty 'Image Index' or 'Finding Labels'`);
    const names = raw === 'No Finding' ? [] : raw.split('|').map((s) => s.trim());
    const { labels, unknown } = multiHot(names, labelNames, aliases);
    if (unknown.length) throw new Error(`${t.file}:${row.line}: column 'Finding Labels': unknown label(s) ${unknown.map((u) => `'${u}'`).join(', ')}`);
    const ow = get(row, 'OriginalImage[Width'), oh = get(row, 'Height]');
    const patient = String(Number(get(row, 'Patient ID')));
    if (patient === 'NaN') throw new Error(`${t.file}:${row.line}: column 'Patient ID': not a number: '${get(row, 'Patient ID')}'`);
    const split = official ? official(file) : undefined;
    if (official && !split) {
      ctx.problem({ id: file, file: t.file, row: row.line, reason: 'image in neither train_val_list.txt nor test_list.txt' });
      continue;
    }
    records.push({
      id: file.replace(/\.png$/i, ''),
      path: path.join(imgDir, file),
      patient,
      study: `${patient}_${get(row, 'Follow-up #') || '0'}`,
      view: get(row, 'View Position') || null,
      sex: normaliseSex(get(row, 'Patient Gender')),
      age: normaliseAge(get(row, 'Patient Age'), 0, `${t.file}:${row.line}: column 'Patient Age'`),
      split,
      width: opt.imageWidth ?? null,
      height: opt.imageHeight ?? null,
      labels,
      extra: {
        finding_labels: raw,
        orig_width: ow ? numberField(t, row, 'OriginalImage[Width', ow) : null,
        orig_height: oh ? numberField(t, row, 'Height]', oh) : null,
      },
      file: t.file, line: row.line,
    });
  }

  const boxes: Box[] = [];
  if (ctx.has('bbox')) {
    const scale = opt.boxScale ?? 1;
    const bt = readCsv(ctx.file('bbox'));
    const ids = new Set(records.map((r) => r.id));
    for (const row of bt.rows) {
      if (row.fields.length < 6) throw new Error(`${bt.file}:${row.line}: expected 6 fields (file,label,x,y,w,h), got ${row.fields.length}`);
      const [file, label, ...xywh] = row.fields.map((f) => f.trim());
      const [x, y, w, h] = xywh.slice(0, 4).map((v, i) => {
        const n = Number(v);
        if (v === '' || !Number.isFinite(n)) throw new Error(`${bt.file}:${row.line}: field ${'xywh'[i]}: not a number: '${v}'`);
        return n * scale;
      });
      const id = file.replace(/\.png$/i, '');
      if (!ids.has(id)) continue; // boxes of images outside this copy
      boxes.push({ id, label: aliases[label] ?? label, x, y, w, h });
    }
  }
  return { records, labelNames: labelNames.slice(), boxes, problems: [] };
}
